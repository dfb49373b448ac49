// The renderer's actions reach main's audit log (issue 17, finding 9): an acceptance and a counter event saved
// through main's spool (the one path every screen takes) each add one chained entry naming the dossier — and
// none of the applicant's data; a host without an audit log leaves the action saved and says so in the sync log.
import 'fake-indexeddb/auto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/services/audit/audit-log';
import { auditHandlers, spoolHandlers } from '../../../electron/services/counter-host';
import { openDossierSpool } from '../../../electron/services/dossier-spool';
import { CounterDatabase } from '../../../renderer/src/db/database';
import { queueCounterEventSpooled, saveAcceptedDossierSpooled } from '../../../renderer/src/db/dossier-spool';
import { createMainClient, type MainClient } from '../../../renderer/src/platform/main-client';
import { parseAuditLines, verifyAuditChain } from '../../../shared/audit/chain';
import { perChannel } from '../../../shared/ipc/channels';
import type { IpcHandlers, MotcuaBridge } from '../../../shared/ipc/contract';
import { dispatchIpc } from '../../../shared/ipc/dispatch';
import { testDossierWithFiles } from '../../support/counter-dossier';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function openDb(): CounterDatabase {
  const db = new CounterDatabase(`motcua-test-${crypto.randomUUID()}`);
  cleanups.push(() => db.delete());
  return db;
}

async function mainWith(withAudit: boolean): Promise<{ main: MainClient; log: AuditLog }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-audit-renderer-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const log = new AuditLog({ dataDir: dir });
  const handlers = { ...spoolHandlers(openDossierSpool(dir)), ...(withAudit ? auditHandlers(log) : auditHandlers(undefined)) } as unknown as IpcHandlers;
  const bridge = perChannel((channel) => (request: unknown) => dispatchIpc(handlers, channel, request, () => undefined)) as MotcuaBridge;
  return { main: createMainClient(bridge), log };
}

const pdf = Uint8Array.from({ length: 1500 }, (_, i) => (i * 11) % 251);

describe('renderer actions in the audit log', () => {
  it('records an acceptance and a result returned, chained, with the dossier’s id and code and no personal data', async () => {
    const db = openDb();
    const { main, log } = await mainWith(true);
    const { dossier, files } = testDossierWithFiles(1, [pdf]);
    await saveAcceptedDossierSpooled(db, main, dossier, files);
    await queueCounterEventSpooled(db, main, dossier.id, { kind: 'result-returned', eventId: crypto.randomUUID(), at: '2026-12-06T10:00:00+07:00', clerk: 'Quầy 1', receivedBy: dossier.applicant.fullName, method: 'counter' }, (s) => ({ ...s, status: 10 }));

    const text = await readFile(log.file, 'utf8');
    const lines = parseAuditLines(text);
    expect(verifyAuditChain(lines)).toMatchObject({ ok: true, count: 2 });
    expect(lines).toMatchObject([
      { seq: 1, action: 'dossier-accepted', dossierId: dossier.id, dossierCode: dossier.code, details: { procedureCode: dossier.procedure.code, files: 1 } },
      { seq: 2, action: 'result-returned', dossierId: dossier.id, dossierCode: dossier.code, details: { method: 'counter' } },
    ]);
    expect(text).not.toContain(dossier.applicant.fullName);
    expect(text).not.toContain(dossier.applicant.idNumber);
  });

  it('keeps the action when main has no audit log, and writes the failure to the sync log', async () => {
    const db = openDb();
    const { main } = await mainWith(false);
    const { dossier, files } = testDossierWithFiles(2, [pdf]);
    await saveAcceptedDossierSpooled(db, main, dossier, files);
    expect(await db.dossiers.get(dossier.id)).toBeDefined();
    expect((await db.syncLog.toArray()).filter((e) => e.event === 'audit-record-failed')).toMatchObject([{ level: 'error', details: { action: 'dossier-accepted', error: 'AUDIT_LOG_UNAVAILABLE' } }]);
  });
});
