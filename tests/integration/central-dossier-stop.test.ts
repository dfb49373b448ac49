/**
 * Stopping a dossier at the applicant's request (Decree 118/2025 Art. 21) against the real central process:
 * the counter's `dossier-stopped` event sets status 8 "Dừng xử lý" in the feed and in the national export
 * (TrangThaiHoSo and QuaTrinhXuLy), a repeat of the same event is answered as a repeat, a second stop and a
 * stop after the decision are refused with 409, and the rule the counter applies offline says the same.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dongBoHoSoMCSchema } from '../../shared/sync/portal-export';
import { stopRefusal } from '../../shared/domain/dossier-stop';
import { describeError } from '../../shared/i18n/error-messages';
import { centralErrorSchema, changesResponseSchema, commitAckSchema, counterEventAckSchema, type DossierStatus } from '../../shared/sync/protocol';
import { adminCall, backOfficeStatus, centralFetch, makeCommit, makePdf, makeSignedPdf, putCommit, startCentralProcess, tusUpload, type CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

let central: CentralProcess;
let signedPdf: Uint8Array;

beforeAll(async () => {
  [central, signedPdf] = await Promise.all([startCentralProcess(), makeSignedPdf({ paddingBytes: 5_000 })]);
});

afterAll(async () => {
  await central?.stop();
});

async function committedDossier(): Promise<{ id: string; code: string }> {
  const id = randomUUID();
  const uploadUrl = await tusUpload(central, signedPdf, { dossierId: id });
  // A code the central may replace (issue 17: not this device's to use, or taken): the one on record is the ack's.
  const sent = `000.00.01.H22-261123-${String(Math.floor(Math.random() * 9000) + 1000)}`;
  const res = await putCommit(central, id, makeCommit(id, [{ bytes: signedPdf, uploadUrl }], { code: sent }));
  expect(res.status).toBe(201);
  return { id, code: commitAckSchema.parse(res.body).code ?? sent };
}

const stopEvent = (reason = 'Gia đình chuyển đăng ký về nơi cư trú của người cha') => ({
  kind: 'dossier-stopped',
  eventId: randomUUID(),
  at: '2026-11-25T09:40:00+07:00',
  clerk: 'Lê Văn Đức',
  requestedAt: '2026-11-25T09:30:00+07:00',
  reason,
});

async function putEvent(dossierId: string, event: { eventId: string }): Promise<{ status: number; body: unknown }> {
  const res = await centralFetch(central, pathFor('counterEvent', { id: dossierId, eventId: event.eventId }), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
  return { status: res.status, body: (await res.json()) as unknown };
}

async function statusesOf(id: string): Promise<{ status: number; note: string }[]> {
  const res = await centralFetch(central, `${pathFor('changes')}?after=0&limit=1000`);
  return changesResponseSchema
    .parse(await res.json())
    .changes.filter((c) => c.dossierId === id)
    .map((c) => ({ status: c.status, note: c.note }));
}

describe('dossier-stopped event at the central', () => {
  it('sets status 8 in the feed and the national export; a repeat is a repeat; a second stop is refused', { timeout: 60_000 }, async () => {
    const { id, code } = await committedDossier();
    expect((await backOfficeStatus(central, code, { status: 4 })).status).toBe(201);

    const event = stopEvent();
    const first = await putEvent(id, event);
    expect(first.status).toBe(201);
    expect(counterEventAckSchema.parse(first.body)).toMatchObject({ eventId: event.eventId, duplicate: false });
    // The same event again (a lost acknowledgement): the first answer, nothing applied twice.
    const again = await putEvent(id, event);
    expect(again.status).toBe(200);
    expect(counterEventAckSchema.parse(again.body)).toMatchObject({ eventId: event.eventId, duplicate: true });

    expect(await statusesOf(id)).toEqual([
      { status: 2, note: expect.any(String) as string },
      { status: 4, note: expect.any(String) as string },
      { status: 8, note: 'Dừng giải quyết theo yêu cầu của người nộp (Mẫu 05): Gia đình chuyển đăng ký về nơi cư trú của người cha' },
    ]);

    // A second stop (another counter, or a retry with a new id): refused, the dossier stays stopped once.
    const second = await putEvent(id, stopEvent('Lần hai'));
    expect(second.status).toBe(409);
    expect(centralErrorSchema.parse(second.body)).toMatchObject({ error: 'DOSSIER_STATUS_TRANSITION_INVALID', details: { from: 8, to: 8 } });
    expect((await statusesOf(id)).filter((c) => c.status === 8)).toHaveLength(1);

    // The back office cannot move a stopped dossier on either.
    expect((await backOfficeStatus(central, code, { status: 9 })).status).toBe(409);

    const exported = await adminCall(central, 'GET', pathFor('adminDossierExport', { id: code }));
    expect(exported.status).toBe(200);
    const hoSo = dongBoHoSoMCSchema.parse(exported.body);
    expect(hoSo.TrangThaiHoSo).toBe('8');
    expect(hoSo.QuaTrinhXuLy.at(-1)).toMatchObject({ TrangThai: '8', NguoiXuLy: 'Lê Văn Đức', NoiDungXuLy: expect.stringContaining('Dừng giải quyết theo yêu cầu') as string });
    // Stopped is not finished: no end-of-processing or return date is invented.
    expect(hoSo.NgayKetThucXuLy).toBeUndefined();
    expect(hoSo.NgayTra).toBeUndefined();
  });

  it('refuses a stop once the decision is issued (status 9)', { timeout: 60_000 }, async () => {
    const { id, code } = await committedDossier();
    const result = await makePdf({ text: 'Giay khai sinh' });
    expect((await backOfficeStatus(central, code, { status: 9, resultFiles: [{ name: 'kq.pdf', contentBase64: Buffer.from(result).toString('base64') }] })).status).toBe(201);
    const refused = await putEvent(id, stopEvent());
    expect(refused.status).toBe(409);
    expect(centralErrorSchema.parse(refused.body)).toMatchObject({ error: 'DOSSIER_STATUS_TRANSITION_INVALID', details: { from: 9, to: 8 } });
    expect((await statusesOf(id)).map((c) => c.status)).toEqual([2, 9]);
  });
});

describe('the stop rule the counter applies offline', () => {
  it('allows 2, 4, 5 and 6 and explains every other status in Vietnamese', () => {
    const all: DossierStatus[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(all.filter((s) => stopRefusal('X', s) === undefined)).toEqual([2, 4, 5, 6]);
    const twice = stopRefusal('000.00.01.H22-261123-0001', 8, '2026-11-25T02:40:00.000Z');
    expect(twice?.code).toBe('DOSSIER_ALREADY_STOPPED');
    expect(describeError('vi', twice?.code ?? 'INTERNAL', twice?.details ?? {})).toBe(
      'Hồ sơ 000.00.01.H22-261123-0001 đã được dừng giải quyết từ 09 giờ 40 phút, ngày 25/11/2026, không dừng lần nữa. Nếu công dân cần lại Thông báo dừng giải quyết hồ sơ, hãy in lại Mẫu 05 trong "Biểu mẫu đã in".',
    );
    const returned = stopRefusal('000.00.01.H22-261123-0002', 10);
    expect(returned?.code).toBe('DOSSIER_STOP_NOT_ALLOWED');
    expect(describeError('vi', returned?.code ?? 'INTERNAL', returned?.details ?? {})).toContain('đang ở trạng thái "Đã trả kết quả" nên không dừng giải quyết được');
    expect(describeError('en', returned?.code ?? 'INTERNAL', returned?.details ?? {})).toContain('cannot be stopped');
  });
});
