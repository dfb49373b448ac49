/**
 * The renderer's side of the audit log (issue 17, finding 9): after an action that matters is saved, main is
 * told what it was (`audit:record`); main adds the time, the clerk, the seq and the chain. The action is already
 * saved when this runs, so a log that cannot be written does not undo it: the failure goes to the sync log,
 * where IT sees it (and the central later sees the counter's chain stop).
 */
import type { RendererAuditRecord } from '../../../shared/audit/chain';
import type { CounterEvent } from '../../../shared/sync/protocol';
import type { MainClient } from '../platform/main-client';
import { toWireError } from '../../../shared/errors';
import type { CounterDatabase, StoredDossier } from './database';

export async function recordAudit(db: CounterDatabase, main: MainClient, record: RendererAuditRecord): Promise<void> {
  try {
    await main.call('audit:record', record);
  } catch (err) {
    const { code, details } = toWireError(err);
    await db.syncLog
      .add({ at: new Date().toISOString(), level: 'error', event: 'audit-record-failed', details: { action: record.action, error: code, issue: JSON.stringify(details).slice(0, 300) } })
      .catch(() => undefined);
  }
}

/** The audit record of a counter event: what happened to which dossier, without the applicant's data or free text. */
export function auditRecordOfEvent(dossierId: StoredDossier['id'], dossierCode: string | undefined, event: CounterEvent): RendererAuditRecord {
  const code = dossierCode ? { dossierCode } : {};
  switch (event.kind) {
    case 'result-returned':
      return { action: 'result-returned', dossierId, ...code, details: { method: event.method } };
    case 'supplement-received':
      return { action: 'supplement-received', dossierId, ...code, details: { files: event.files.length } };
    case 'apology-issued':
      return { action: 'deadline-extended', dossierId, ...code, details: { newAppointmentAt: event.newAppointmentAt } };
    case 'dossier-stopped':
      return { action: 'dossier-stopped', dossierId, ...code, details: {} };
  }
}
