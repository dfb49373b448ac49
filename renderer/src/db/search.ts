/**
 * Pure helpers shared by the schema, its upgrade and the middleware that keeps the derived tables of
 * version 5 (`dossierSearch`, `queueTotals`) in step with `dossiers` and `outbox`. No database access here.
 */
import type { DossierId } from '../../../shared/domain/dossier';
import type { DossierSearchRow, OutboxRow, OutboxState, StoredDossier } from './database';

/** Lower case without Vietnamese diacritics, so "nguyen" finds "Nguyễn" and "đ" matches "d". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

/** Between the code and the name in a search key: a control character nobody types, so no match spans both. */
const searchFieldSeparator = '\u001f';

export function searchRowOf(dossier: Pick<StoredDossier, 'id' | 'code' | 'createdAt' | 'applicant' | 'provisionalCode'>): DossierSearchRow {
  // Issue 15: a dossier whose provisional number was replaced is still found by it (the applicant's first receipt).
  const codes = dossier.provisionalCode ? `${foldText(dossier.code)}${searchFieldSeparator}${foldText(dossier.provisionalCode)}` : foldText(dossier.code);
  return { createdAt: dossier.createdAt, text: `${codes}${searchFieldSeparator}${foldText(dossier.applicant.fullName)}`, dossierId: dossier.id };
}

export function searchKeyOf(row: DossierSearchRow): [string, string, DossierId] {
  return [row.createdAt, row.text, row.dossierId];
}

function isPending(state: OutboxState): boolean {
  return state === 'waiting' || state === 'uploading' || state === 'committing';
}

export function bytesSentOf(row: OutboxRow): number {
  return Object.values(row.uploads).reduce((sum, u) => sum + Math.min(u.bytesSent, u.size), 0);
}

/** What this row adds to the queue's "bytes left": nothing once acknowledged or failed. */
export function bytesLeftOf(row: OutboxRow | undefined): number {
  return row && isPending(row.state) ? Math.max(0, row.bytesTotal - bytesSentOf(row)) : 0;
}
