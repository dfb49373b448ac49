// main's copy of accepted dossiers outside IndexedDB, on a real temporary folder, through the IPC contract's
// validation where the renderer's payload matters.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spoolHandlers } from '../../../electron/services/counter-host';
import { dossierSpoolDirName, openDossierSpool } from '../../../electron/services/dossier-spool';
import type { IpcHandlers, SpoolEntry } from '../../../shared/ipc/contract';
import { dispatchIpc } from '../../../shared/ipc/dispatch';
import { spoolEntryOf } from '../../../renderer/src/db/dossier-spool';
import { testDossierWithFiles } from '../../support/counter-dossier';
import { errorCodeOf } from '../../support/app-error';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-spool-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const pdf = (seed: number, size = 70_000): Uint8Array => Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed * 7) % 251);

function entry(n: number): SpoolEntry {
  const { dossier, files } = testDossierWithFiles(n, [pdf(n), pdf(n + 100, 1234)]);
  return spoolEntryOf(dossier, files);
}


describe('the dossier spool (main, outside IndexedDB)', () => {
  it('keeps a prepared, then committed dossier whole across a new process, until it is released', async () => {
    const dir = await tempDir();
    const spool = openDossierSpool(dir);
    const one = entry(1);
    await spool.prepare(one);
    expect(await spool.list()).toMatchObject([{ dossierId: one.dossier.id, code: one.dossier.code, state: 'prepared', bytes: 71_234 }]);
    await spool.commit({ dossierIds: [one.dossier.id] });
    // Another process (the app started again) reads the same folder.
    const again = openDossierSpool(dir);
    const read = await again.read(one.dossier.id);
    expect(read.state).toBe('committed');
    expect(read.entry.dossier).toEqual(one.dossier);
    expect(read.entry.files.map((f) => Buffer.from(f.bytes).equals(Buffer.from(one.files.find((g) => g.meta.id === f.meta.id)?.bytes ?? [])))).toEqual([true, true]);
    // Personal data: the files are readable by this account only.
    const entryDir = path.join(dir, dossierSpoolDirName, one.dossier.id);
    if (process.platform !== 'win32') expect((await import('node:fs')).statSync(path.join(entryDir, '0.pdf')).mode & 0o777).toBe(0o600);
    await again.release({ dossierIds: [one.dossier.id] });
    await again.release({ dossierIds: [one.dossier.id] });
    expect(await again.list()).toEqual([]);
    expect(await readdir(path.join(dir, dossierSpoolDirName))).toEqual([]);
  });

  it('takes the same dossier twice as once, but never overwrites an accepted one with other content', async () => {
    const spool = openDossierSpool(await tempDir());
    const one = entry(2);
    await spool.prepare(one);
    await spool.prepare(one);
    await spool.commit({ dossierIds: [one.dossier.id] });
    await spool.commit({ dossierIds: [one.dossier.id] });
    const changed: SpoolEntry = { ...one, dossier: { ...one.dossier, appointmentAt: '2026-12-01T09:15:00+07:00' } };
    expect(await errorCodeOf(spool.prepare(changed))).toBe('SPOOL_FAILED');
    expect(await errorCodeOf(spool.discard({ dossierIds: [one.dossier.id] }))).toBe('SPOOL_FAILED');
    expect((await spool.read(one.dossier.id)).entry.dossier.appointmentAt).toBe(one.dossier.appointmentAt);
    // A prepared one (its acceptance failed) is discarded; unknown ids are ignored.
    const two = entry(3);
    await spool.prepare(two);
    await spool.discard({ dossierIds: [two.dossier.id, entry(4).dossier.id] });
    expect((await spool.list()).map((e) => e.dossierId)).toEqual([one.dossier.id]);
    expect(await errorCodeOf(spool.commit({ dossierIds: [two.dossier.id] }))).toBe('SPOOL_FAILED');
  });

  it('reports a damaged copy instead of handing back other bytes, and deletes nothing', async () => {
    const dir = await tempDir();
    const spool = openDossierSpool(dir);
    const one = entry(5);
    const two = entry(6);
    await spool.prepare(one);
    await spool.prepare(two);
    const oneDir = path.join(dir, dossierSpoolDirName, one.dossier.id);
    const bytes = await readFile(path.join(oneDir, '0.pdf'));
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    await writeFile(path.join(oneDir, '0.pdf'), bytes);
    expect(await errorCodeOf(spool.read(one.dossier.id))).toBe('SPOOL_DAMAGED');
    await writeFile(path.join(dir, dossierSpoolDirName, two.dossier.id, 'dossier.json'), '{"version":1,');
    const listing = await spool.list();
    expect(listing.find((e) => e.dossierId === two.dossier.id)?.problem).toBeTruthy();
    expect(listing.find((e) => e.dossierId === one.dossier.id)?.problem).toBeUndefined();
    expect(await errorCodeOf(spool.read(two.dossier.id))).toBe('SPOOL_DAMAGED');
    expect((await readdir(path.join(dir, dossierSpoolDirName))).sort()).toEqual([one.dossier.id, two.dossier.id].sort());
  });

  it('forgets what a crash left half-written or half-deleted, and shows no partial entry', async () => {
    const dir = await tempDir();
    const root = path.join(dir, dossierSpoolDirName);
    const half = path.join(root, `.prepare-${entry(7).dossier.id}-0a0b0c0d`);
    await mkdir(half, { recursive: true });
    await writeFile(path.join(half, '0.pdf'), 'half');
    await mkdir(path.join(root, `.release-${entry(8).dossier.id}-01020304`), { recursive: true });
    const spool = openDossierSpool(dir);
    expect(await spool.list()).toEqual([]);
    expect(await readdir(root)).toEqual([]);
  });

  it('fails with a clear error when the folder cannot be written, and the IPC schema refuses inconsistent entries', async () => {
    const dir = await tempDir();
    // The data folder is a file: nothing can be created under it.
    await writeFile(path.join(dir, 'blocked'), '');
    const blocked = openDossierSpool(path.join(dir, 'blocked'));
    expect(await errorCodeOf(blocked.prepare(entry(9)))).toBe('SPOOL_FAILED');

    const handlers = spoolHandlers(openDossierSpool(await tempDir())) as unknown as IpcHandlers;
    const call = (channel: string, payload: unknown) => dispatchIpc(handlers, channel, payload, () => undefined);
    const good = entry(10);
    expect(await call('spool:prepare', good)).toEqual({ ok: true, value: {} });
    const wrongSize: SpoolEntry = { ...good, files: good.files.map((f, i) => (i === 0 ? { ...f, meta: { ...f.meta, size: f.meta.size + 1 } } : f)) };
    expect(await call('spool:prepare', wrongSize)).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    const otherDossier: SpoolEntry = { ...good, files: good.files.map((f) => ({ ...f, meta: { ...f.meta, dossierId: entry(11).dossier.id } })) };
    expect(await call('spool:prepare', otherDossier)).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    expect(await call('spool:release', { dossierIds: ['../../etc'] })).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    const listed = await call('spool:list', {});
    expect(listed).toMatchObject({ ok: true, value: { entries: [{ dossierId: good.dossier.id, state: 'prepared' }] } });
  });

  it('keeps a counter event with its files beside the dossiers, under its own id', async () => {
    const dir = await tempDir();
    const spool = openDossierSpool(dir);
    const one = entry(12);
    const file = one.files[0];
    if (!file) throw new Error('a file');
    const event = {
      kind: 'supplement-received' as const,
      eventId: crypto.randomUUID(),
      at: '2026-11-25T09:00:00+07:00',
      clerk: 'Trần Văn Bình',
      files: [{ componentCode: file.meta.componentCode, name: file.meta.name, mediaType: 'application/pdf' as const, size: file.meta.size, sha256: file.meta.sha256, uploadUrl: 'pending', pageCount: 1, revocationEvidence: [] }],
      newAppointmentAt: '2026-11-27T09:00:00+07:00',
    };
    await spool.prepare(one);
    await spool.prepareEvent({ dossierId: one.dossier.id, event, files: [file] });
    await spool.prepareEvent({ dossierId: one.dossier.id, event, files: [file] });
    await spool.commit({ eventIds: [event.eventId] });
    const listed = await spool.list();
    expect(listed.map((e) => [e.kind, e.dossierId, e.eventId, e.code, e.state])).toEqual(
      expect.arrayContaining([
        ['dossier', one.dossier.id, undefined, one.dossier.code, 'prepared'],
        ['event', one.dossier.id, event.eventId, 'supplement-received', 'committed'],
      ]),
    );
    const read = await openDossierSpool(dir).readEvent(event.eventId);
    expect(read.entry.event).toEqual(event);
    expect(Buffer.from(read.entry.files[0]?.bytes ?? []).equals(Buffer.from(file.bytes))).toBe(true);
    // Releasing the event leaves the dossier's copy alone.
    await spool.release({ eventIds: [event.eventId] });
    expect((await spool.list()).map((e) => e.kind)).toEqual(['dossier']);
  });
});
