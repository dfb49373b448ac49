/**
 * The central's side of Decree 118/2025 Art. 19.6 ("the appointment may be moved at most once"), against a
 * real central process: a second `apology-issued` for a 2025 dossier is refused with EXTENSION_ALREADY_USED
 * (the counter shows the code's message), while a repeat of the SAME event stays idempotent and a 2018
 * dossier (event without `legalBasis`) keeps its rule.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../../shared/i18n/error-messages';
import { centralErrorSchema, statusChangeSchema } from '../../shared/sync/protocol';
import { adminCall, centralFetch, makeCommit, makeSignedPdf, putCommit, startCentralProcess, tusUpload, type CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

let central: CentralProcess;
let signedPdf: Uint8Array;

beforeAll(async () => {
  [central, signedPdf] = await Promise.all([startCentralProcess(), makeSignedPdf({ paddingBytes: 5_000 })]);
});

afterAll(async () => {
  await central?.stop();
});

async function committedDossier(): Promise<string> {
  const id = randomUUID();
  const uploadUrl = await tusUpload(central, signedPdf, { dossierId: id });
  const code = `000.00.01.H22-250101-${String(Math.floor(Math.random() * 9000) + 1000)}`;
  const res = await putCommit(central, id, makeCommit(id, [{ bytes: signedPdf, uploadUrl }], { code }));
  expect(res.status).toBe(201);
  return id;
}

const putEvent = async (dossierId: string, event: Record<string, unknown> & { eventId: string }) => {
  const res = await centralFetch(central, pathFor('counterEvent', { id: dossierId, eventId: event.eventId }), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  return { status: res.status, body: (await res.json()) as unknown };
};

const apology = (overrides: Record<string, unknown> = {}) => ({
  kind: 'apology-issued',
  eventId: randomUUID(),
  at: new Date().toISOString(),
  clerk: 'Trần Văn Quầy',
  reason: 'Cần xác minh thêm với cơ quan khác',
  newAppointmentAt: new Date(Date.now() + 9 * 86_400_000).toISOString(),
  ...overrides,
});

describe('extension at most once (Art. 19.6)', () => {
  it('a 2025 dossier: the first extension is recorded with its channel, a second is refused with EXTENSION_ALREADY_USED', async () => {
    const id = await committedDossier();
    const first = apology({ legalBasis: '03/2025/TT-VPCP', notifiedVia: 'sms' });
    expect((await putEvent(id, first)).status).toBe(201);
    // The same event again (a lost ack): the first answer, not a refusal.
    const repeat = await putEvent(id, first);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ duplicate: true });

    const second = await putEvent(id, apology({ legalBasis: '03/2025/TT-VPCP', notifiedVia: 'phone', newAppointmentAt: new Date(Date.now() + 20 * 86_400_000).toISOString() }));
    expect(second.status).toBe(409);
    const error = centralErrorSchema.parse(second.body);
    expect(error.error).toBe('EXTENSION_ALREADY_USED');
    // What the counter shows for it: Vietnamese, naming the appointment in force.
    const shown = describeError('vi', error.error, error.details);
    expect(shown).toContain('đã được gia hạn một lần');
    expect(shown).toMatch(/hẹn trả \d{2}\/\d{2}\/\d{4}/);

    const view = await adminCall(central, 'GET', pathFor('adminDossier', { id }));
    expect(view.status).toBe(200);
    const history = statusChangeSchema.array().parse((view.body as { history: unknown }).history);
    const apologies = history.filter((c) => c.note.startsWith('Thư xin lỗi'));
    expect(apologies).toHaveLength(1);
    expect(apologies[0]?.note).toContain('đã báo người nộp qua: tin nhắn');
    expect(apologies[0]?.newAppointmentAt).toBe(first.newAppointmentAt);
  });

  it('a 2018 dossier (no legalBasis on the event) keeps its rule: a second apology is recorded', async () => {
    const id = await committedDossier();
    expect((await putEvent(id, apology())).status).toBe(201);
    expect((await putEvent(id, apology())).status).toBe(201);
  });
});
