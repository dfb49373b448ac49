// Issue 16: the counter's sync engine (renderer code, in Node over fake-indexeddb) reports to a real central
// process on each pass, and carries its version on every request; the central's fleet view then shows this
// counter's version, backlog, oldest unsent age, last error, clock skew, certificate expiry and OS — and none of
// the applicant's data.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CounterDatabase } from '../../renderer/src/db/database';
import { createSyncEngine } from '../../renderer/src/sync/engine';
import { platformFromUserAgent } from '../../renderer/src/sync/fleet-report';
import { counterVersionHeader, fleetResponseSchema } from '../../shared/sync/fleet';
import { deviceRecordSchema } from '../../shared/sync/protocol';
import { adminCall, centralFetch, makeSignedPdf, ownDeviceCounter, startCentralProcess, type CentralProcess } from '../support/central-process';
import { saveTestDossier } from '../support/counter-dossier';
import { pathFor } from '../../shared/sync/api-contract';

const hourMs = 3_600_000;
let central: CentralProcess;

beforeAll(async () => {
  central = await startCentralProcess({ env: { MOTCUA_CENTRAL_FAULT_CONTROL: '1' } });
}, 120_000);

afterAll(async () => {
  await central?.stop();
});

describe('the counter reports to the central on each sync', () => {
  it('shows up in the fleet view with its version, backlog, oldest unsent age, last error, skew, certificate expiry and OS', { timeout: 120_000 }, async () => {
    // The central refuses every commit for now: the dossier stays unsent, with an error the report names.
    const faults = await fetch(new URL(pathFor('testSetFaults'), central.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ 'commit-500': 1000 }) });
    expect(faults.status).toBe(200);
    const db = new CounterDatabase(`motcua-fleet-${randomUUID()}`);
    const { dossier } = await saveTestDossier(db, ownDeviceCounter * 1000 - 998, [await makeSignedPdf({ text: 'Don de nghi' })], {
      fullName: 'Phạm Thị Hồng Nhung',
      // Accepted two hours ago (real clock): queued since then.
      createdAt: new Date(Date.now() - 2 * hourMs).toISOString(),
    });
    const headersSeen: (string | null)[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      headersSeen.push(new Headers(init?.headers).get(counterVersionHeader));
      return fetch(input, init);
    };
    const userAgent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) motcua-kiosk/0.1.0 Chrome/142.0.7444.52 Electron/39.2.0 Safari/537.36';
    const engine = createSyncEngine({
      db,
      centralUrl: central.url,
      credential: () => central.credential,
      fetch: recordingFetch,
      // The counter's clock runs three hours ahead: the skew and the dossier's age are measured on it.
      now: () => new Date(Date.now() + 3 * hourMs),
      backoff: { baseMs: 50, maxMs: 100 },
      pull: false,
      report: { appVersion: '0.1.0-test.1', platform: platformFromUserAgent(userAgent), signingCertificateNotAfter: () => Promise.resolve('2027-01-31T16:59:59.000Z') },
    });
    try {
      await engine.syncNow();
      // The second pass reports what the first one met.
      await engine.syncNow();
    } finally {
      await engine.stop();
    }
    const self = deviceRecordSchema.parse(await (await centralFetch(central, pathFor('deviceSelf'))).json());
    const answer = await adminCall(central, 'GET', pathFor('adminFleet'));
    expect(answer.status).toBe(200);
    const row = fleetResponseSchema.parse(answer.body).counters.find((c) => c.deviceId === self.deviceId);
    expect(row).toMatchObject({
      appVersion: '0.1.0-test.1',
      backlog: 1,
      failed: 0,
      lastErrorCode: 'CENTRAL_SERVER_ERROR',
      signingCertificateNotAfter: '2027-01-31T16:59:59.000Z',
      platform: 'Windows 10.0 · electron 39.2.0',
    });
    // Queued 2 h ago on the real clock, measured on the counter's (3 h ahead): 5 h.
    expect(row?.oldestUnsentAgeSeconds).toBeGreaterThanOrEqual(5 * 3600 - 60);
    expect(row?.oldestUnsentAgeSeconds).toBeLessThan(5 * 3600 + 120);
    expect(Math.abs((row?.clockSkewMs ?? 0) - 3 * hourMs)).toBeLessThan(60_000);
    // Every request of the counter carried its version (uploads too: the central accepted them with it).
    expect(headersSeen.length).toBeGreaterThan(3);
    expect(new Set(headersSeen)).toEqual(new Set(['0.1.0-test.1']));
    // Nothing of the applicant reached the fleet view.
    const text = JSON.stringify(answer.body);
    for (const personal of [dossier.applicant.fullName, dossier.applicant.idNumber, dossier.applicant.phone ?? '']) expect(text).not.toContain(personal);
    await db.delete();
  });
});

describe('OS summary from the user agent', () => {
  it('names the OS and shell with their versions only', () => {
    expect(platformFromUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36')).toEqual({ os: 'linux', osVersion: '', shell: 'chromium', shellVersion: '142.0.0.0' });
    expect(platformFromUserAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/142.0.0.0 Electron/39.2.0')).toEqual({ os: 'macos', osVersion: '10.15.7', shell: 'electron', shellVersion: '39.2.0' });
    expect(platformFromUserAgent('curl/8.0')).toEqual({ os: 'other', osVersion: '', shell: 'other', shellVersion: '' });
  });
});
