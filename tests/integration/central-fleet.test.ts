/**
 * Issue 16, fleet view: 200 counters enrolled and reporting through the real HTTP API of a real central process;
 * the back office's filters (offline for more than N days, backlog over N, outdated) pick exactly the counters
 * they should, and the XLSX export parses back to the same rows. The central's clock is shifted through its
 * test hook (`PUT /api/v1/test/clock`) so that some counters last reported ten days ago.
 * Also: the counter's version header is validated on every request, the report is strict and size-capped,
 * and crash reports (Crashpad's multipart, gzip) are received, authenticated by the crash-upload token, stored.
 */
import { readFile, readdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterVersionHeader, crashUploadToken, fleetResponseSchema, type FleetResponse } from '../../shared/sync/fleet';
import { crashReporterSettings } from '../../electron/services/diagnostics/crash-reporter-options';
import { adminCall, startCentralProcess, type CentralProcess } from '../support/central-process';
import { fleetCentralArgs, putReport as putReportTo, reportOf, simulateFleet, type SimulatedCounter } from '../support/fleet-simulation';
import { pathFor } from '../../shared/sync/api-contract';

const counterCount = 200;

let central: CentralProcess;
let counters: SimulatedCounter[] = [];

const putReport = (counter: Pick<SimulatedCounter, 'credential'>, body: unknown, headers: Record<string, string> = {}): Promise<Response> => putReportTo(central, counter, body, headers);

async function fleet(query = ''): Promise<FleetResponse> {
  const answer = await adminCall(central, 'GET', `${pathFor('adminFleet')}${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return fleetResponseSchema.parse(answer.body);
}

const ids = (list: readonly { deviceId: string }[]): string[] => list.map((c) => c.deviceId).sort();

beforeAll(async () => {
  central = await startCentralProcess({ env: { MOTCUA_CENTRAL_FAULT_CONTROL: '1' }, args: [...fleetCentralArgs], enroll: false });
  counters = await simulateFleet(central, counterCount);
}, 300_000);

afterAll(async () => {
  await central?.stop();
});

describe('fleet view at the central (200 counters reporting over HTTP)', () => {
  it('lists every counter with its latest report, the clock skew measured against the central', async () => {
    const all = await fleet();
    expect(all.total).toBe(counterCount);
    expect(all.counters).toHaveLength(counterCount);
    expect(all.outdatedBelow).toBe('1.0.0');
    const byId = new Map(all.counters.map((c) => [c.deviceId, c]));
    for (const c of counters) {
      const row = byId.get(c.deviceId);
      expect(row?.unit.code).toBe(c.unitCode);
      if (c.plan.reports === 'never') {
        expect(row?.lastContactAt).toBeNull();
        expect(row?.appVersion).toBeNull();
        continue;
      }
      expect(row?.appVersion).toBe(c.plan.version);
      expect(row?.backlog).toBe(c.plan.backlog);
      expect(row?.lastErrorCode).toBe(c.index % 6 === 0 ? 'CENTRAL_UNREACHABLE' : null);
      // Some certificates expire 12 days after the counter's clock at the report; the others on a fixed date.
      if (c.index % 10 === 3) expect(row?.signingCertificateNotAfter).toMatch(/^\d{4}-\d\d-\d\dT/);
      else expect(row?.signingCertificateNotAfter).toBe('2027-06-30T16:59:59.000Z');
      expect(row?.platform).toBe('Windows 10.0 · electron 39.2.0');
      // The counter's clock ran 2 minutes ahead; the request's own time in flight is a few ms at most.
      expect(row?.clockSkewMs).toBeGreaterThan(110_000);
      expect(row?.clockSkewMs).toBeLessThanOrEqual(120_000);
    }
  });

  it('"offline > 7 days" finds exactly the counters last heard ten days ago and those never heard', async () => {
    const offline = await fleet('?offlineDays=7');
    expect(ids(offline.counters)).toEqual(ids(counters.filter((c) => c.plan.reports !== 'now')));
    expect(offline.counters.length).toBeGreaterThan(40);
    // With a threshold beyond ten days, only the silent ones remain.
    expect(ids((await fleet('?offlineDays=11')).counters)).toEqual(ids(counters.filter((c) => c.plan.reports === 'never')));
  });

  it('"backlog > 20" and "outdated" (below the configured 1.0.0, pre-releases included) pick the right counters', async () => {
    const reported = counters.filter((c) => c.plan.reports !== 'never');
    expect(ids((await fleet('?backlogOver=20')).counters)).toEqual(ids(reported.filter((c) => c.plan.backlog > 20)));
    const outdated = reported.filter((c) => c.plan.version !== '1.0.0');
    expect(outdated.some((c) => c.plan.version === '1.0.0-rc.2')).toBe(true);
    expect(ids((await fleet('?outdated=true')).counters)).toEqual(ids(outdated));
    // Filters combine (AND), and a unit narrows them.
    const both = await fleet('?outdated=true&backlogOver=20&offlineDays=7');
    expect(ids(both.counters)).toEqual(ids(outdated.filter((c) => c.plan.backlog > 20 && c.plan.reports === 'ten-days-ago')));
    const unit = counters[20]?.unitCode ?? '';
    expect(ids((await fleet(`?unit=${encodeURIComponent(unit)}`)).counters)).toEqual(ids(counters.filter((c) => c.unitCode === unit)));
  });

  it('refuses a bad filter and a missing admin token', async () => {
    expect((await adminCall(central, 'GET', `${pathFor('adminFleet')}?offlineDays=-1`)).status).toBe(400);
    expect((await adminCall(central, 'GET', `${pathFor('adminFleet')}?colour=red`)).status).toBe(400);
    expect((await fetch(new URL(pathFor('adminFleet'), central.url))).status).toBe(401);
    expect((await fetch(new URL(pathFor('adminFleetXlsx'), central.url))).status).toBe(401);
  });

  it('exports the filtered fleet as XLSX that parses back to the same rows', async () => {
    const expected = await fleet('?offlineDays=7');
    const res = await fetch(new URL(`${pathFor('adminFleetXlsx')}?offlineDays=7`, central.url), { headers: { authorization: `Bearer ${central.adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.getWorksheet('Máy quầy');
    expect(sheet).toBeDefined();
    const header = (sheet?.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 5)).toEqual(['Mã đơn vị', 'Đơn vị', 'Quầy', 'Tên máy', 'Phiên bản']);
    const idColumn = header.indexOf('Mã thiết bị') + 1;
    const versionColumn = header.indexOf('Phiên bản') + 1;
    const contactColumn = header.indexOf('Liên lạc lần cuối') + 1;
    const rows: { deviceId: string; version: string; contact: string }[] = [];
    sheet?.eachRow((row, n) => {
      if (n === 1) return;
      rows.push({ deviceId: row.getCell(idColumn).text, version: row.getCell(versionColumn).text, contact: row.getCell(contactColumn).text });
    });
    expect(rows).toHaveLength(expected.counters.length);
    expect(rows.map((r) => r.deviceId)).toEqual(expected.counters.map((c) => c.deviceId));
    for (const [i, c] of expected.counters.entries()) {
      expect(rows[i]?.version).toBe(c.appVersion ?? '');
      expect(rows[i]?.contact).toBe(c.lastContactAt ?? 'chưa bao giờ');
    }
  });
});

describe('what a counter sends: version header and report', () => {
  it('refuses a version header that is not a version, on any route, and one that contradicts the report', async () => {
    const c = counters[1] as SimulatedCounter;
    const self = await fetch(new URL(pathFor('deviceSelf'), central.url), { headers: { authorization: `Bearer ${c.credential}`, [counterVersionHeader]: 'latest; rm -rf' } });
    expect(self.status).toBe(400);
    expect(((await self.json()) as { details: { reason: string } }).details.reason).toBe('counter-version-header');
    const ok = await fetch(new URL(pathFor('deviceSelf'), central.url), { headers: { authorization: `Bearer ${c.credential}`, [counterVersionHeader]: '1.0.0' } });
    expect(ok.status).toBe(200);
    const mismatch = await putReport(c, reportOf(c, new Date()), { [counterVersionHeader]: '2.0.0' });
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as { details: { reason: string } }).details.reason).toBe('counter-version-mismatch');
  });

  it('refuses a report with a field it does not know (no free text rides along) and one over 8 KiB', async () => {
    const c = counters[2] as SimulatedCounter;
    const withName = { ...reportOf(c, new Date()), clerk: 'Nguyễn Văn A' };
    expect((await putReport(c, withName)).status).toBe(400);
    const withText = reportOf(c, new Date());
    expect((await putReport(c, { ...withText, lastError: { code: 'Nguyễn Văn A', at: withText.counterTime } })).status).toBe(400);
    const huge = { ...withText, platform: { ...withText.platform, osVersion: 'x'.repeat(9000) } };
    expect((await putReport(c, huge)).status).toBe(413);
    expect((await putReport({ credential: 'mcd_' + 'A'.repeat(43) }, withText)).status).toBe(401);
  });
});

describe('crash reports (Electron crashReporter upload)', () => {
  /** A small file with a minidump header: 'MDMP', version, stream count, directory RVA… then padding. */
  const minidump = (): Uint8Array => {
    const bytes = new Uint8Array(4096);
    bytes.set([0x4d, 0x44, 0x4d, 0x50, 0x93, 0xa7, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00]);
    for (let i = 32; i < bytes.length; i++) bytes[i] = i % 251;
    return bytes;
  };
  const crashForm = (dump: Uint8Array, fields: Record<string, string> = {}): FormData => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ prod: 'motcua-kiosk', ver: '1.0.0', process_type: 'renderer', guid: 'c0ffee', ...fields })) form.append(k, v);
    form.append('upload_file_minidump', new Blob([new Uint8Array(dump)]), 'dump.dmp');
    return form;
  };
  /** The multipart body as Crashpad sends it: gzip-compressed, `Content-Encoding: gzip`. */
  const gzipUpload = async (token: string, form: FormData): Promise<Response> => {
    const request = new Request('http://x/', { method: 'POST', body: form });
    const raw = new Uint8Array(await request.arrayBuffer());
    return fetch(new URL(`${pathFor('crashReport')}?token=${encodeURIComponent(token)}`, central.url), {
      method: 'POST',
      headers: { 'content-type': request.headers.get('content-type') ?? '', 'content-encoding': 'gzip' },
      body: gzipSync(raw),
    });
  };

  /**
   * The central answers 413 as soon as the declared length is over the cap and closes the connection, possibly
   * while the body is being written: fetch then reports EPIPE instead of the answer. So the headers go alone first.
   */
  const oversizedUploadStatus = async (token: string, form: FormData): Promise<number> => {
    const request = new Request('http://x/', { method: 'POST', body: form });
    const body = gzipSync(new Uint8Array(await request.arrayBuffer()));
    return new Promise<number>((resolve, reject) => {
      const req = httpRequest(new URL(`${pathFor('crashReport')}?token=${encodeURIComponent(token)}`, central.url), {
        method: 'POST',
        headers: { 'content-type': request.headers.get('content-type') ?? '', 'content-encoding': 'gzip', 'content-length': String(body.length) },
      });
      let answered = false;
      req.on('response', (res) => {
        answered = true;
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', (err) => {
        if (!answered) reject(err);
      });
      // Headers first: the declared length alone is refused, before any of the body is sent.
      req.flushHeaders();
      setTimeout(() => {
        if (!answered) req.end(body);
      }, 2_000);
    });
  };

  it('stores a gzip multipart minidump from a device that reported, answers its id, and the fleet counts it', async () => {
    const c = counters.find((x) => x.plan.reports === 'now') as SimulatedCounter;
    const res = await gzipUpload(crashUploadToken(c.credential), crashForm(minidump(), { deviceId: c.deviceId }));
    expect(res.status, await res.clone().text()).toBe(201);
    const id = await res.text();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await readFile(path.join(central.dataDir, 'crash-reports', `${id}.dmp`));
    expect(Buffer.compare(stored, Buffer.from(minidump()))).toBe(0);
    const list = await adminCall(central, 'GET', pathFor('adminDeviceCrashReports', { deviceId: c.deviceId }));
    expect(list.body).toMatchObject({ crashReports: [{ id, product: 'motcua-kiosk', version: '1.0.0', processType: 'renderer', size: 4096 }] });
    const row = (await fleet()).counters.find((x) => x.deviceId === c.deviceId);
    expect(row?.crashes30d).toBe(1);
  });

  it('reaches the endpoint through the URL the Electron shell configures for its crash reporter', async () => {
    const c = counters.find((x) => x.plan.reports === 'now' && x.index > 30) as SimulatedCounter;
    const settings = crashReporterSettings({ session: { centralUrl: central.url, credential: c.credential }, appVersion: '1.0.0', deviceId: c.deviceId });
    const request = new Request('http://x/', { method: 'POST', body: crashForm(minidump(), settings.globalExtra) });
    const res = await fetch(settings.submitURL, { method: 'POST', headers: { 'content-type': request.headers.get('content-type') ?? '', 'content-encoding': 'gzip' }, body: gzipSync(new Uint8Array(await request.arrayBuffer())) });
    expect(res.status).toBe(201);
    const list = await adminCall(central, 'GET', pathFor('adminDeviceCrashReports', { deviceId: c.deviceId }));
    expect(list.body).toMatchObject({ crashReports: [{ id: await res.text() }] });
  });

  it('refuses an unknown token, the device credential itself, a file that is not a minidump, and a body over 5 MiB', async () => {
    const c = counters.find((x) => x.plan.reports === 'now' && x.index > 10) as SimulatedCounter;
    const before = await readdir(path.join(central.dataDir, 'crash-reports'));
    expect((await gzipUpload(crashUploadToken('mcd_' + 'B'.repeat(43)), crashForm(minidump()))).status).toBe(401);
    expect((await gzipUpload(c.credential, crashForm(minidump()))).status).toBe(401);
    const notDump = new TextEncoder().encode('Nguyễn Văn A 001190012345 '.repeat(100));
    const refused = await gzipUpload(crashUploadToken(c.credential), crashForm(notDump));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { details: { reason: string } }).details.reason).toBe('crash-report-not-a-minidump');
    // Random bytes do not compress: the gzip body itself is over the cap.
    const big = new Uint8Array(6 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 65536) crypto.getRandomValues(big.subarray(i, i + 65536));
    big.set([0x4d, 0x44, 0x4d, 0x50]);
    expect(await oversizedUploadStatus(crashUploadToken(c.credential), crashForm(big))).toBe(413);
    expect(await readdir(path.join(central.dataDir, 'crash-reports'))).toEqual(before);
  });
});
