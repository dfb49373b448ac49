/**
 * Rows computed from other rows, used both by the live code and by the schema upgrades that fill a new table
 * from existing rows (schema-versions.ts): kept apart so neither imports the other.
 */
import type { Applicant } from '../../../shared/domain/dossier';
import type { StatusChange } from '../../../shared/sync/protocol';
import type { ResultFileRow } from './database';

/** The applicant's lookup key: an organisation by its tax code, anyone else by the submitter's number. */
export function applicantKey(applicant: Applicant): string {
  return applicant.organisation?.taxCode ?? applicant.idNumber;
}

/** The rows a status change announces: one 'waiting' row per result file (status 9 only). */
export function resultRowsOf(change: StatusChange, at: string): ResultFileRow[] {
  if (change.status !== 9) return [];
  return change.resultFiles.map((f) => ({ dossierId: change.dossierId, sha256: f.sha256, name: f.name, mediaType: f.mediaType, size: f.size, seq: change.seq, state: 'waiting', attempts: 0, nextAttemptAt: 0, updatedAt: at }));
}
