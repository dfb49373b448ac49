/**
 * Devices against the real central: one-time enrollment codes, credentials on every call (JSON and tus),
 * revocation, and a counter of one unit refused on another unit's dossiers, uploads and feed.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  centralErrorSchema,
  changesResponseSchema,
  deviceCredentialSchema,
  deviceRecordSchema,
} from '../../shared/sync/protocol';
import {
  adminCall,
  centralFetch,
  enrollTestDevice,
  makeCommit,
  makeSignedPdf,
  putCommit,
  startCentralProcess,
  testUnit,
  tusUpload,
  type CentralProcess,
} from '../support/central-process';
import { pathFor, tusEndpointPath } from '../../shared/sync/api-contract';

let central: CentralProcess;
let signedPdf: Uint8Array;
const otherUnit = { code: '000.00.02.H22', name: 'UBND phường Bên Cạnh' };

beforeAll(async () => {
  [central, signedPdf] = await Promise.all([startCentralProcess(), makeSignedPdf({ paddingBytes: 2_000 })]);
});

afterAll(async () => {
  await central?.stop();
});

const errorOf = (body: unknown) => centralErrorSchema.parse(body);
const enrollWith = (enrollmentCode: string) =>
  fetch(new URL(pathFor('enroll'), central.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollmentCode, deviceName: 'Máy quầy 2' }),
  });
const cli = (args: string[]) =>
  promisify(execFile)(process.execPath, [path.resolve('electron/cli/bin.mjs'), 'central', ...args, '--central', central.url], { env: { ...process.env, MOTCUA_CENTRAL_ADMIN_TOKEN: central.adminToken } });

describe('enrollment', () => {
  it('trades a one-time code for a credential, once', async () => {
    const issued = await adminCall(central, 'POST', pathFor('adminEnrollmentCodes'), { unit: testUnit, counterNo: 2 });
    expect(issued.status).toBe(201);
    const { enrollmentCode } = issued.body as { enrollmentCode: string };

    const first = await enrollWith(enrollmentCode);
    expect(first.status).toBe(201);
    const { credential, device } = (await first.json()) as { credential: string; device: unknown };
    expect(deviceCredentialSchema.parse(credential)).toMatch(/^mcd_[A-Za-z0-9_-]{43}$/);
    expect(deviceRecordSchema.parse(device)).toMatchObject({ unit: testUnit, counterNo: 2, deviceName: 'Máy quầy 2', revokedAt: null });

    const self = await centralFetch({ url: central.url, credential }, pathFor('deviceSelf'));
    expect(self.status).toBe(200);
    expect(deviceRecordSchema.parse(await self.json())).toEqual(device);

    const again = await enrollWith(enrollmentCode);
    expect(again.status).toBe(403);
    expect(errorOf(await again.json())).toMatchObject({ error: 'ENROLLMENT_CODE_INVALID', details: { reason: 'used' } });

    const unknown = await enrollWith('AAAA-BBBB-CCCC');
    expect(errorOf(await unknown.json())).toMatchObject({ error: 'ENROLLMENT_CODE_INVALID', details: { reason: 'unknown' } });
    const malformed = await enrollWith('not a code');
    expect(malformed.status).toBe(400);
  });

  it('refuses an expired code', async () => {
    const issued = await adminCall(central, 'POST', pathFor('adminEnrollmentCodes'), { unit: testUnit, counterNo: 3, validHours: 0.0002 });
    const { enrollmentCode } = issued.body as { enrollmentCode: string };
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const res = await enrollWith(enrollmentCode);
    expect(res.status).toBe(403);
    expect(errorOf(await res.json())).toMatchObject({ error: 'ENROLLMENT_CODE_INVALID', details: { reason: 'expired' } });
  });

  it('holds one PC per counter number of a unit: a second is refused (code and enrollment) until the first is revoked', { timeout: 60_000 }, async () => {
    // Two codes for counter 6 issued while it is free (e.g. two installers), then both used.
    const codes = await Promise.all(
      [1, 2].map(async () => ((await adminCall(central, 'POST', pathFor('adminEnrollmentCodes'), { unit: testUnit, counterNo: 6 })).body as { enrollmentCode: string }).enrollmentCode),
    );
    const [first, second] = await Promise.all(codes.map((code) => enrollWith(code)));
    const statuses = [first?.status, second?.status].sort();
    expect(statuses).toEqual([201, 409]);
    const refused = first?.status === 409 ? first : second;
    const holder = deviceRecordSchema.parse(((await (first?.status === 201 ? first : second)?.json()) as { device: unknown }).device);
    expect(errorOf(await refused?.json())).toMatchObject({
      error: 'ENROLLMENT_COUNTER_TAKEN',
      details: { unit: testUnit.code, counter: 6, holderId: holder.deviceId, holder: 'Máy quầy 2' },
    });
    // A further code for the taken counter is refused at once, saying who holds it.
    const again = await adminCall(central, 'POST', pathFor('adminEnrollmentCodes'), { unit: testUnit, counterNo: 6 });
    expect(again.status).toBe(409);
    expect(errorOf(again.body)).toMatchObject({ error: 'ENROLLMENT_COUNTER_TAKEN', details: { holderId: holder.deviceId } });
    // The refused code was not used up: once the old PC is revoked, it enrolls the new one.
    const unused = codes[first?.status === 409 ? 0 : 1] ?? '';
    expect((await adminCall(central, 'POST', pathFor('adminRevokeDevice', { deviceId: holder.deviceId }))).status).toBe(200);
    expect((await enrollWith(unused)).status).toBe(201);
  });

  it('issues codes and lists devices from the CLI', { timeout: 60_000 }, async () => {
    const { stdout } = await cli(['enroll-code', '--unit', otherUnit.code, '--unit-name', otherUnit.name, '--counter', '4']);
    const code = /([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(stdout)?.[1];
    expect(code).toBeDefined();
    expect((await enrollWith(code ?? '')).status).toBe(201);
    const listed = JSON.parse((await cli(['devices'])).stdout) as { devices: { unit: { code: string }; counterNo: number }[] };
    expect(listed.devices.some((d) => d.unit.code === otherUnit.code && d.counterNo === 4)).toBe(true);
  });
});

describe('credentials on every call', () => {
  it('answers 401 DEVICE_UNAUTHENTICATED without or with a wrong credential, JSON and tus alike', async () => {
    const id = randomUUID();
    const calls: [string, RequestInit][] = [
      [pathFor('changes'), {}],
      [pathFor('reference', { kind: 'catalog' }), {}],
      [pathFor('deviceSelf'), {}],
      [pathFor('dossier', { id }), {}],
      [pathFor('commitDossier', { id }), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }],
      [tusEndpointPath, { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': '10' } }],
    ];
    for (const credential of [undefined, `mcd_${'A'.repeat(43)}`, 'garbage']) {
      for (const [pathname, init] of calls) {
        const res = await centralFetch({ url: central.url, ...(credential ? { credential } : {}) }, pathname, init);
        expect(res.status, `${init.method ?? 'GET'} ${pathname}`).toBe(401);
        expect(errorOf(await res.json()).error).toBe('DEVICE_UNAUTHENTICATED');
      }
    }
    // The probe and the enrollment stay open.
    expect((await fetch(new URL(pathFor('health'), central.url))).status).toBe(200);
  });

  it('answers 401 DEVICE_REVOKED once the device is revoked (CLI), and keeps others working', { timeout: 60_000 }, async () => {
    const doomed = await enrollTestDevice(central, { counterNo: 5 });
    const target = { url: central.url, credential: doomed.credential };
    expect((await centralFetch(target, pathFor('changes'))).status).toBe(200);

    await cli(['revoke', doomed.device.deviceId]);
    const res = await centralFetch(target, pathFor('changes'));
    expect(res.status).toBe(401);
    expect(errorOf(await res.json())).toMatchObject({ error: 'DEVICE_REVOKED', details: { deviceId: doomed.device.deviceId } });
    await expect(tusUpload(target, signedPdf, { dossierId: randomUUID() })).rejects.toThrow(/401/);
    expect((await centralFetch(central, pathFor('changes'))).status).toBe(200);
  });
});

describe('unit boundaries', () => {
  it('refuses another unit’s dossiers, uploads and feed entries', { timeout: 60_000 }, async () => {
    const other = await enrollTestDevice(central, { unit: otherUnit, counterNo: 1 });
    const stranger = { url: central.url, credential: other.credential };

    // A dossier of the test unit, committed by its own device.
    const id = randomUUID();
    const uploadUrl = await tusUpload(central, signedPdf, { dossierId: id });
    const commit = makeCommit(id, [{ bytes: signedPdf, uploadUrl }], { decidingAgency: { name: 'UBND huyện Thử Nghiệm' } });

    // The other unit's device can neither resume nor commit with that upload, nor commit for another unit.
    const head = await centralFetch(stranger, uploadUrl, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0' } });
    expect(head.status).toBe(404);
    const wrongUnit = await putCommit(stranger, id, commit);
    expect(wrongUnit.status).toBe(403);
    expect(errorOf(wrongUnit.body).error).toBe('DEVICE_FORBIDDEN');
    const borrowed = await putCommit(stranger, id, makeCommit(id, [{ bytes: signedPdf, uploadUrl }], { receivingUnit: otherUnit }));
    expect(borrowed.status).toBe(422);
    expect(errorOf(borrowed.body)).toMatchObject({ error: 'CENTRAL_UPLOAD_INCOMPLETE', details: { reason: 'missing' } });

    expect((await putCommit(central, id, commit)).status).toBe(201);

    // Another unit's dossier is, for this device, no dossier (issue 17): 404, as for an unknown id.
    const read = await centralFetch(stranger, pathFor('dossier', { id }));
    expect(read.status).toBe(404);
    expect(errorOf(await read.json()).error).toBe('CENTRAL_NOT_FOUND');
    const event = { kind: 'apology-issued', eventId: randomUUID(), at: new Date().toISOString(), clerk: 'X', reason: 'Y', newAppointmentAt: new Date().toISOString() };
    const wrote = await centralFetch(stranger, pathFor('counterEvent', { id, eventId: event.eventId }), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    expect(wrote.status).toBe(404);

    const theirFeed = changesResponseSchema.parse(await (await centralFetch(stranger, `${pathFor('changes')}?limit=1000`)).json());
    expect(theirFeed.changes.some((c) => c.dossierId === id)).toBe(false);
    const ourFeed = changesResponseSchema.parse(await (await centralFetch(central, `${pathFor('changes')}?limit=1000`)).json());
    expect(ourFeed.changes.some((c) => c.dossierId === id)).toBe(true);

    // The deciding agency is kept apart from the receiving unit.
    const stored = (await (await centralFetch(central, pathFor('dossier', { id }))).json()) as { record: { decidingAgency: unknown; receivingUnit: unknown } };
    expect(stored.record).toMatchObject({ decidingAgency: { name: 'UBND huyện Thử Nghiệm' }, receivingUnit: testUnit });
  });
});

describe('admin token', () => {
  it('is generated on first start into the data directory with mode 0600; the log says where it is, never what (issue 17)', { timeout: 120_000 }, async () => {
    const fresh = await startCentralProcess({ env: { MOTCUA_CENTRAL_ADMIN_TOKEN: '' }, enroll: false });
    try {
      const file = path.join(fresh.dataDir, 'admin-token');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const token = (await readFile(file, 'utf8')).trim();
      expect(fresh.output()).not.toContain(token);
      expect(fresh.output()).toContain(`lưu tại ${file}`);
      const ok = await adminCall({ url: fresh.url, adminToken: token }, 'GET', pathFor('adminDevices'));
      expect(ok).toEqual({ status: 200, body: { devices: [] } });
      await fresh.restart();
      expect(fresh.output()).not.toContain(token);
    } finally {
      await fresh.stop();
    }
  });
});
