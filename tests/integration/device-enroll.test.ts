/**
 * The counter's side of enrollment (electron/services/device.ts) against the real central: the credential is
 * stored with mode 0600 and handed only to the central it belongs to; the demo's embedded central enrolls
 * the counter by itself and keeps the same credential across restarts.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCentral } from '../../electron/cli/commands/demo-central';
import { deviceFileName, deviceSessionFor, enrollDevice, loadStoredDevice } from '../../electron/services/device';
import { AppError } from '../../shared/errors';
import { adminEnrollmentCodeResponseSchema } from '../../shared/sync/protocol';
import { adminCall, centralFetch, startCentralProcess, testUnit, type CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

let central: CentralProcess;
const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-device-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  central = await startCentralProcess({ enroll: false });
});

afterAll(async () => {
  await central?.stop();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function issueCode(): Promise<string> {
  const issued = await adminCall(central, 'POST', pathFor('adminEnrollmentCodes'), { unit: testUnit, counterNo: 7 });
  return adminEnrollmentCodeResponseSchema.parse(issued.body).enrollmentCode;
}

describe('device enrollment on the counter', () => {
  it('stores the credential with mode 0600 and gives it only to its own central', async () => {
    const configDir = await tempDir();
    const code = await issueCode();
    const stored = await enrollDevice({ configDir, centralUrl: central.url, enrollmentCode: code.toLowerCase(), deviceName: 'Máy quầy 7' });
    expect(stored.device).toMatchObject({ unit: testUnit, counterNo: 7 });
    expect((await stat(path.join(configDir, deviceFileName))).mode & 0o777).toBe(0o600);
    expect(await loadStoredDevice(configDir)).toEqual(stored);

    const session = await deviceSessionFor(configDir, `${central.url}/`);
    expect(session?.credential).toBe(stored.credential);
    expect(await deviceSessionFor(configDir, 'http://127.0.0.1:1')).toBeNull();
    expect((await centralFetch({ url: central.url, credential: session?.credential }, pathFor('deviceSelf'))).status).toBe(200);

    // The code was single-use: a second PC with it is refused with the central's reason.
    const other = await tempDir();
    const refused = await enrollDevice({ configDir: other, centralUrl: central.url, enrollmentCode: code, deviceName: 'Máy khác' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'ENROLLMENT_CODE_INVALID', details: { reason: 'used' } });
    expect(await loadStoredDevice(other)).toBeUndefined();
  });

  it('enrolls the demo counter with the embedded central by itself, once', { timeout: 120_000 }, async () => {
    const counterDir = await tempDir();
    const first = await startDemoCentral(counterDir);
    const enrolled = await loadStoredDevice(counterDir);
    await first.close();
    expect(enrolled?.centralUrl).toBe(first.url);

    const second = await startDemoCentral(counterDir);
    try {
      const again = await loadStoredDevice(counterDir);
      expect(again?.credential).toBe(enrolled?.credential);
      expect(again?.centralUrl).toBe(second.url);
      const self = await centralFetch({ url: second.url, credential: again?.credential }, pathFor('deviceSelf'));
      expect(self.status).toBe(200);
    } finally {
      await second.close();
    }

    // The counter's credential is lost (its file deleted) while the demo central keeps the enrollment: the
    // central holds one PC per counter, so the demo revokes its own stale enrollment and enrolls again.
    await rm(path.join(counterDir, deviceFileName));
    const third = await startDemoCentral(counterDir);
    try {
      const renewed = await loadStoredDevice(counterDir);
      expect(renewed?.credential).toBeDefined();
      expect(renewed?.credential).not.toBe(enrolled?.credential);
      expect((await centralFetch({ url: third.url, credential: renewed?.credential }, pathFor('deviceSelf'))).status).toBe(200);
      expect((await centralFetch({ url: third.url, credential: enrolled?.credential }, pathFor('deviceSelf'))).status).toBe(401);
    } finally {
      await third.close();
    }
  });
});
