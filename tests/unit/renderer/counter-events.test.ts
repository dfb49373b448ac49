// Queuing a supplement event with its files (renderer code in Node over fake-indexeddb): everything in one
// transaction, or nothing at all.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { queueCounterEvent } from '../../../renderer/src/db/counter-events';
import { CounterDatabase, type DossierStateRow, type StoredDossier } from '../../../renderer/src/db/database';
import { readFileBytes, type NewFile } from '../../../renderer/src/db/dossiers';
import { AppError } from '../../../shared/errors';
import type { CounterEvent } from '../../../shared/sync/protocol';
import { sha256Hex } from '../../../shared/util/bytes';
import { saveTestDossier } from '../../support/counter-dossier';

const dbs: CounterDatabase[] = [];
function openDb(): CounterDatabase {
  const db = new CounterDatabase(`motcua-events-${crypto.randomUUID()}`);
  dbs.push(db);
  return db;
}
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

async function acceptedDossier(db: CounterDatabase): Promise<StoredDossier> {
  const { dossier } = await saveTestDossier(db, 1, [new TextEncoder().encode('to khai')]);
  return dossier;
}

async function pause(db: CounterDatabase, dossier: StoredDossier): Promise<void> {
  const state = await db.dossierState.get(dossier.id);
  if (!state) throw new Error('no state');
  await db.dossierState.put({ ...state, status: 5, supplementRounds: 1, pausedSince: '2026-11-24T09:00:00+07:00' });
}

function supplement(dossier: StoredDossier, bytes: Uint8Array): { file: NewFile; event: CounterEvent } {
  const meta = { id: crypto.randomUUID(), dossierId: dossier.id, componentCode: 'BS1', name: 'bo-sung.pdf', mediaType: 'application/pdf' as const, size: bytes.length, sha256: sha256Hex(bytes), pageCount: 1 };
  return {
    file: { meta, bytes },
    event: {
      kind: 'supplement-received',
      eventId: crypto.randomUUID(),
      at: '2026-11-25T09:00:00+07:00',
      clerk: 'Trần Văn Bình',
      files: [{ componentCode: 'BS1', name: meta.name, mediaType: 'application/pdf', size: meta.size, sha256: meta.sha256, uploadUrl: 'pending', pageCount: 1, revocationEvidence: [] }],
      newAppointmentAt: '2026-11-27T09:00:00+07:00',
    },
  };
}

const resume = (s: DossierStateRow): DossierStateRow => {
  const { pausedSince: _ended, ...rest } = s;
  return { ...rest, status: 4, appointmentAt: '2026-11-27T09:00:00+07:00' };
};
const onlyWhilePaused = (s: DossierStateRow) => (s.status === 5 ? undefined : new AppError('SUPPLEMENT_NOT_REQUESTED', { code: 'x', status: s.status }));
const receipt = { formId: 'mau01' as const, label: 'Mẫu 01 (bổ sung lần 1)', pdf: new Uint8Array([37, 80, 68, 70]), clerk: 'Trần Văn Bình' };

async function counts(db: CounterDatabase) {
  return { files: await db.files.count(), chunks: await db.fileChunks.count(), events: await db.counterEvents.count(), forms: await db.printedForms.count() };
}

describe('queueCounterEvent with a supplement', () => {
  it('stores the file (chunked), the event, the resumed state and the receipt together', async () => {
    const db = openDb();
    const dossier = await acceptedDossier(db);
    await pause(db, dossier);
    const bytes = new Uint8Array(5000).map((_, i) => i % 251);
    const { file, event } = supplement(dossier, bytes);
    await queueCounterEvent(db, dossier.id, event, resume, { files: [file], printedForm: { ...receipt, dossierId: dossier.id }, requireState: onlyWhilePaused, chunkSize: 1024 });

    expect(await readFileBytes(db, file.meta.id)).toEqual(bytes);
    expect(await db.fileChunks.where('[fileId+index]').between([file.meta.id, 0], [file.meta.id, 99]).count()).toBe(5);
    expect((await db.counterEvents.get(event.eventId))?.state).toBe('waiting');
    const state = await db.dossierState.get(dossier.id);
    expect(state).toMatchObject({ status: 4, appointmentAt: '2026-11-27T09:00:00+07:00' });
    expect(state?.pausedSince).toBeUndefined();
    expect((await db.printedForms.where('dossierId').equals(dossier.id).toArray()).map((f) => f.label)).toEqual(['Mẫu 01 (bổ sung lần 1)']);
  });

  it('saves nothing when the dossier is no longer waiting for a supplement', async () => {
    const db = openDb();
    const dossier = await acceptedDossier(db);
    const before = await counts(db);
    const { file, event } = supplement(dossier, new Uint8Array([1, 2, 3]));
    await expect(queueCounterEvent(db, dossier.id, event, resume, { files: [file], printedForm: { ...receipt, dossierId: dossier.id }, requireState: onlyWhilePaused })).rejects.toMatchObject({
      code: 'SUPPLEMENT_NOT_REQUESTED',
    });
    expect(await counts(db)).toEqual(before);
    expect((await db.dossierState.get(dossier.id))?.status).toBe(2);
  });

  it('refuses an event whose declared files are not the bytes given, before writing anything', async () => {
    const db = openDb();
    const dossier = await acceptedDossier(db);
    await pause(db, dossier);
    const before = await counts(db);
    const { event } = supplement(dossier, new Uint8Array([1, 2, 3]));
    const other = supplement(dossier, new Uint8Array([4, 5, 6])).file;
    await expect(queueCounterEvent(db, dossier.id, event, resume, { files: [other] })).rejects.toMatchObject({ code: 'DOSSIER_INVALID' });
    // Declared, neither given nor stored before.
    await expect(queueCounterEvent(db, dossier.id, event, resume, {})).rejects.toMatchObject({ code: 'DOSSIER_INVALID' });
    expect(await counts(db)).toEqual(before);
    expect((await db.dossierState.get(dossier.id))?.status).toBe(5);
  });

  it('rolls the whole transaction back when a write fails half-way (a file id already taken)', async () => {
    const db = openDb();
    const dossier = await acceptedDossier(db);
    await pause(db, dossier);
    const takenId = (await db.files.toArray())[0]?.id ?? '';
    const { file, event } = supplement(dossier, new Uint8Array([7, 8, 9]));
    const before = await counts(db);
    await expect(queueCounterEvent(db, dossier.id, event, resume, { files: [{ ...file, meta: { ...file.meta, id: takenId } }], printedForm: { ...receipt, dossierId: dossier.id } })).rejects.toMatchObject({
      code: 'STORAGE_FAILED',
    });
    expect(await counts(db)).toEqual(before);
    expect((await db.dossierState.get(dossier.id))?.status).toBe(5);
  });
});
