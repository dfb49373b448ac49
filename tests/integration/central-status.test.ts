/**
 * The status feed, the back office and the counters' events against the real central process: the commit's
 * "received" entry, admin transitions (and refusals), supplement / result / apology events (idempotent by
 * event id), result files, and the cursor.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  centralErrorSchema,
  commitAckSchema,
  changesResponseSchema,
  counterEventAckSchema,
  statusChangeSchema,
  type StatusChange,
} from '../../shared/sync/protocol';
import { sha256Hex } from '../../shared/util/bytes';
import { backOfficeStatus, centralFetch, makeCommit, makePdf, makeSignedPdf, ownDeviceCounter, putCommit, startCentralProcess, tusUpload, type CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

let central: CentralProcess;
let signedPdf: Uint8Array;

beforeAll(async () => {
  [central, signedPdf] = await Promise.all([startCentralProcess(), makeSignedPdf({ paddingBytes: 5_000 })]);
});

afterAll(async () => {
  await central?.stop();
});

const errorOf = (body: unknown) => centralErrorSchema.parse(body);

async function committedDossier(overrides: Record<string, unknown> = {}): Promise<{ id: string; code: string }> {
  const id = randomUUID();
  const uploadUrl = await tusUpload(central, signedPdf, { dossierId: id });
  // An old fixed-block code of the device's own counter; the central replaces it if another dossier took it (issue 17).
  const sent = `000.00.01.H22-250101-${(ownDeviceCounter - 1) * 1000 + 1 + Math.floor(Math.random() * 999)}`;
  const res = await putCommit(central, id, makeCommit(id, [{ bytes: signedPdf, uploadUrl }], { code: sent, counterNo: ownDeviceCounter, ...overrides }));
  expect(res.status).toBe(201);
  return { id, code: commitAckSchema.parse(res.body).code ?? sent };
}

async function feed(after = 0, limit = 1000) {
  const res = await centralFetch(central, `${pathFor('changes')}?after=${after}&limit=${limit}`);
  expect(res.status).toBe(200);
  return changesResponseSchema.parse(await res.json());
}

async function historyOf(id: string): Promise<StatusChange[]> {
  const all: StatusChange[] = [];
  let after = 0;
  for (;;) {
    const page = await feed(after, 100);
    all.push(...page.changes.filter((c) => c.dossierId === id));
    if (!page.hasMore) return all;
    after = page.cursor;
  }
}

const setStatus = (idOrCode: string, body: Record<string, unknown>) => backOfficeStatus(central, idOrCode, body);

const putEvent = async (dossierId: string, event: Record<string, unknown> & { eventId: string }) => {
  const res = await centralFetch(central, pathFor('counterEvent', { id: dossierId, eventId: event.eventId }), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  return { status: res.status, body: (await res.json()) as unknown };
};

describe('status feed', () => {
  it('records the commit as status 2 and lists changes oldest first with a cursor', async () => {
    const a = await committedDossier();
    const b = await committedDossier();
    const all = await feed();
    const mine = all.changes.filter((c) => c.dossierId === a.id || c.dossierId === b.id);
    expect(mine.map((c) => [c.dossierId, c.status])).toEqual([
      [a.id, 2],
      [b.id, 2],
    ]);
    expect(mine[0]).toMatchObject({ dossierCode: a.code, actor: `Quầy ${ownDeviceCounter}`, department: 'UBND xã Thử Nghiệm' });
    expect(all.cursor).toBe(all.changes[all.changes.length - 1]?.seq);
    expect(Math.abs(Date.parse(all.serverTime) - Date.now())).toBeLessThan(60_000);

    // Paging: one at a time walks the same entries.
    const first = await feed(0, 1);
    expect(first.changes).toHaveLength(1);
    expect(first.hasMore).toBe(true);
    const rest = await feed(first.cursor, 1000);
    expect([...first.changes, ...rest.changes].map((c) => c.seq)).toEqual(all.changes.map((c) => c.seq));
    expect(rest.hasMore).toBe(false);
    // An empty page keeps the cursor where it was.
    const empty = await feed(rest.cursor);
    expect(empty).toMatchObject({ changes: [], cursor: rest.cursor, hasMore: false });
  });

  it('refuses a malformed cursor', async () => {
    const res = await centralFetch(central, `${pathFor('changes')}?after=-3`);
    expect(res.status).toBe(400);
    expect(errorOf(await res.json()).error).toBe('CENTRAL_REJECTED');
  });
});

describe('back office', () => {
  it('requires the admin token', async () => {
    const { id } = await committedDossier();
    const res = await fetch(new URL(pathFor('adminDossierStatus', { id }), central.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-token-wrong-token' },
      body: JSON.stringify({ status: 4, actor: 'x' }),
    });
    expect(res.status).toBe(401);
    expect(errorOf(await res.json()).error).toBe('ADMIN_UNAUTHENTICATED');
  });

  it('moves a dossier through processing, supplement, result and return, found by id or by code', async () => {
    const { id, code } = await committedDossier();
    const processing = await setStatus(code, { status: 4, note: 'Chuyển phòng Tư pháp' });
    expect(processing.status).toBe(201);
    expect(statusChangeSchema.parse(processing.body)).toMatchObject({ dossierId: id, status: 4, note: 'Chuyển phòng Tư pháp' });

    // Status 5 without the items to supplement is refused; with them it is recorded.
    expect((await setStatus(id, { status: 5 })).status).toBe(400);
    const supplement = await setStatus(id, { status: 5, supplementItems: ['Bản sao giấy chứng sinh', 'Tờ khai có chữ ký'] });
    expect(supplement.status).toBe(201);

    // The counter receives the supplement: a new signed file uploaded by tus, checked like the commit.
    const extra = await makeSignedPdf({ text: 'Bo sung', paddingBytes: 1_000 });
    const uploadUrl = await tusUpload(central, extra, { dossierId: id });
    const newAppointmentAt = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const event = {
      kind: 'supplement-received',
      eventId: randomUUID(),
      at: new Date().toISOString(),
      clerk: 'Trần Văn Quầy',
      files: [{ componentCode: 'TP9', name: 'bo-sung.pdf', mediaType: 'application/pdf', size: extra.byteLength, sha256: sha256Hex(extra), uploadUrl, pageCount: 1 }],
      newAppointmentAt,
    };
    const received = await putEvent(id, event);
    expect(received.status).toBe(201);
    const ack = counterEventAckSchema.parse(received.body);
    expect(ack.duplicate).toBe(false);
    // A repeat (lost ack) gets the first answer; its upload is gone but the file is already held.
    const repeat = await putEvent(id, event);
    expect(repeat.status).toBe(200);
    expect(counterEventAckSchema.parse(repeat.body)).toEqual({ ...ack, duplicate: true });
    // The same event id with other content is a conflict.
    const conflicting = await putEvent(id, { ...event, clerk: 'Người khác' });
    expect(conflicting.status).toBe(409);
    expect(errorOf(conflicting.body).error).toBe('CENTRAL_CONFLICT');
    const stored = await centralFetch(central, pathFor('dossierFile', { id, sha256: sha256Hex(extra) }));
    expect(stored.status).toBe(200);
    expect(sha256Hex(new Uint8Array(await stored.arrayBuffer()))).toBe(sha256Hex(extra));

    // Result ready with a result document, downloadable by the counter.
    const resultPdf = await makePdf({ text: 'Giay khai sinh' });
    const ready = await setStatus(id, { status: 9, note: 'Đã ký giấy khai sinh', resultFiles: [{ name: 'giay-khai-sinh.pdf', contentBase64: Buffer.from(resultPdf).toString('base64') }] });
    expect(ready.status).toBe(201);
    const readyChange = statusChangeSchema.parse(ready.body);
    expect(readyChange.resultFiles).toEqual([{ name: 'giay-khai-sinh.pdf', mediaType: 'application/pdf', size: resultPdf.byteLength, sha256: sha256Hex(resultPdf) }]);
    const download = await centralFetch(central, pathFor('resultFile', { id, sha256: sha256Hex(resultPdf) }));
    expect(download.status).toBe(200);
    expect(sha256Hex(new Uint8Array(await download.arrayBuffer()))).toBe(sha256Hex(resultPdf));

    // Status 10 is the counter's, never the back office's.
    const adminReturn = await setStatus(id, { status: 10 });
    expect(adminReturn.status).toBe(409);
    expect(errorOf(adminReturn.body)).toMatchObject({ error: 'DOSSIER_STATUS_TRANSITION_INVALID', details: { from: 9, to: 10 } });

    const returned = await putEvent(id, { kind: 'result-returned', eventId: randomUUID(), at: new Date().toISOString(), clerk: 'Trần Văn Quầy', receivedBy: 'Nguyễn Văn An', method: 'counter' });
    expect(returned.status).toBe(201);

    const history = await historyOf(id);
    expect(history.map((c) => c.status)).toEqual([2, 4, 5, 4, 9, 10]);
    expect(history[2]?.supplementItems).toEqual(['Bản sao giấy chứng sinh', 'Tờ khai có chữ ký']);
    expect(history[3]).toMatchObject({ actor: 'Trần Văn Quầy', newAppointmentAt });
    expect(history[5]?.note).toContain('Nguyễn Văn An');

    // Nothing moves a returned dossier.
    expect((await setStatus(id, { status: 4 })).status).toBe(409);
  });

  it('refuses illegal transitions and events that do not fit the status', async () => {
    const { id } = await committedDossier();
    const early = await putEvent(id, { kind: 'result-returned', eventId: randomUUID(), at: new Date().toISOString(), clerk: 'Q', receivedBy: 'A', method: 'post' });
    expect(early.status).toBe(409);
    expect(errorOf(early.body)).toMatchObject({ error: 'DOSSIER_STATUS_TRANSITION_INVALID', details: { from: 2, to: 10 } });

    const apologyAt = new Date(Date.now() + 9 * 86_400_000).toISOString();
    const apology = await putEvent(id, { kind: 'apology-issued', eventId: randomUUID(), at: new Date().toISOString(), clerk: 'Q', reason: 'Cần xác minh thêm', newAppointmentAt: apologyAt });
    expect(apology.status).toBe(201);

    expect((await setStatus(id, { status: 8, note: 'Dừng theo đề nghị' })).status).toBe(201);
    const afterStop = await setStatus(id, { status: 4 });
    expect(afterStop.status).toBe(409);
    expect((await setStatus(id, { status: 1 })).status).toBe(409);
    expect((await setStatus(id, { status: 11 })).status).toBe(400);
    expect((await setStatus(randomUUID(), { status: 4 })).status).toBe(404);

    const history = await historyOf(id);
    expect(history.map((c) => c.status)).toEqual([2, 2, 8]);
    expect(history[1]).toMatchObject({ newAppointmentAt: apologyAt });
  });

  it('refuses a supplement whose file fails the checks, and records nothing', async () => {
    const { id } = await committedDossier();
    expect((await setStatus(id, { status: 5, supplementItems: ['Giấy tờ A'] })).status).toBe(201);
    const unsigned = await makePdf({ text: 'khong ky' });
    const uploadUrl = await tusUpload(central, unsigned, { dossierId: id });
    const res = await putEvent(id, {
      kind: 'supplement-received',
      eventId: randomUUID(),
      at: new Date().toISOString(),
      clerk: 'Q',
      files: [{ componentCode: 'TP9', name: 'x.pdf', mediaType: 'application/pdf', size: unsigned.byteLength, sha256: sha256Hex(unsigned), uploadUrl, pageCount: 1 }],
      newAppointmentAt: new Date().toISOString(),
    });
    expect(res.status).toBe(422);
    expect(errorOf(res.body).error).toBe('CENTRAL_SIGNATURE_INVALID');
    expect((await historyOf(id)).map((c) => c.status)).toEqual([2, 5]);
  });
});

describe('back-office CLI', () => {
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, [path.resolve('electron/cli/bin.mjs'), 'central', ...args, '--central', central.url], { env: { ...process.env, MOTCUA_CENTRAL_ADMIN_TOKEN: central.adminToken } }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );

  it('moves a dossier by its code with a result PDF, and explains a refusal in Vietnamese', { timeout: 120_000 }, async () => {
    const { id, code } = await committedDossier();
    const resultPath = path.join(os.tmpdir(), `ket-qua-${randomUUID()}.pdf`);
    const resultPdf = await makePdf({ text: 'Ket qua' });
    await writeFile(resultPath, resultPdf);

    const done = await cli(['status', code, '9', '--note', 'Đã có kết quả', '--result', resultPath]);
    expect(done.code, done.stderr).toBe(0);
    expect(statusChangeSchema.parse(JSON.parse(done.stdout))).toMatchObject({ dossierId: id, status: 9, resultFiles: [{ sha256: sha256Hex(resultPdf) }] });

    const refused = await cli(['status', code, '4']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Không thể chuyển hồ sơ từ trạng thái 9 sang 4');

    const shown = await cli(['show', code]);
    expect(shown.code).toBe(0);
    expect((JSON.parse(shown.stdout) as { history: StatusChange[] }).history.map((c) => c.status)).toEqual([2, 9]);
  });
});
