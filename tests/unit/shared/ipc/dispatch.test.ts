import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../../shared/errors';
import type { IpcHandlers, SignerStatus } from '../../../../shared/ipc/contract';
import { dispatchIpc } from '../../../../shared/ipc/dispatch';
import { decodeWire, encodeWire } from '../../../../shared/ipc/wire';

const locked: SignerStatus = { state: 'locked', keystoreLabel: 'demo' };
const sessionId = '7d444840-9dc0-11d1-b245-5ffdce74fad2';
const inSession = { sessionId, component: 'DON' };

function handlers(overrides: Partial<IpcHandlers> = {}): IpcHandlers {
  return {
    'config:get': () =>
      Promise.resolve({
        unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
        organisationName: 'UBND',
        counterNo: 1,
        centralUrl: 'http://127.0.0.1:1',
        locale: 'vi',
        timestamping: false,
        deadlineThresholds: { yellowFrom: 0.5, orangeFrom: 0.75 },
        signatureAppearance: { kind: 'copy-stamp', copyForm: 'SAO Y' },
        imaging: { cleanup: true, minDpiPolicy: 'warn', ocr: true },
        retention: { filesDaysAfterAck: 0, dossiersDaysAfterClose: 30, applicantsDaysUnseen: 90 },
      }),
    'signer:list': () => Promise.resolve([{ role: 'organisation', status: locked }]),
    'signer:unlock': () => Promise.reject(new AppError('SIGNER_WRONG_PASSWORD')),
    'signer:lock': () => Promise.resolve(locked),
    'signer:session-open': () => Promise.resolve({ sessionId }),
    'signer:session-close': () => Promise.resolve({}),
    'signer:sign-digest': ({ digest }) => Promise.resolve({ signature: digest.slice().reverse(), algorithm: 'rsa-pkcs1-v1_5-sha256', revocationEvidence: [] }),
    'tsa:request': () => Promise.reject(new AppError('TSA_UNREACHABLE')),
    'trust:revocation': () => Promise.resolve({ status: 'unknown' }),
    'trust:anchors': () => Promise.resolve({ anchorsDer: [] }),
    'device:session': () => Promise.resolve(null),
    'storage:disk-free': () => Promise.resolve({ freeBytes: 5 * 1024 ** 3, totalBytes: 64 * 1024 ** 3 }),
    'storage:data-key': () => Promise.resolve({ key: new Uint8Array(32) }),
    'storage:ledger-check': (database) =>
      Promise.resolve({ verdict: 'first', ledger: { databaseId: database.databaseId, databaseCreatedAt: database.createdAt, firstSeenAt: database.createdAt, dossiersHeldMost: 0, updatedAt: database.createdAt, issuedCodes: false, resets: [] } }),
    'storage:ledger-adopt': () => Promise.resolve({ codes: [], leases: [] }),
    'storage:ledger-code': () => Promise.resolve({}),
    'storage:ledger-leases': () => Promise.resolve({}),
    'spool:prepare': () => Promise.resolve({}),
    'spool:prepare-event': () => Promise.resolve({}),
    'spool:commit': () => Promise.resolve({}),
    'spool:discard': () => Promise.resolve({}),
    'spool:release': () => Promise.resolve({}),
    'spool:list': () => Promise.resolve({ entries: [] }),
    'spool:read': () => Promise.reject(new AppError('SPOOL_DAMAGED', { code: 'x', reason: 'none' })),
    'spool:read-event': () => Promise.reject(new AppError('SPOOL_DAMAGED', { code: 'x', reason: 'none' })),
    'capture:devices': () => Promise.resolve({ devices: [], problems: [] }),
    'capture:start': () => Promise.resolve({ jobId: 'job-1' }),
    'capture:poll': ({ jobId, since }) => Promise.resolve({ jobId, state: 'done', items: [], next: since, pagesSoFar: 0 }),
    'capture:import': () => Promise.resolve({ jobId: 'job-2' }),
    'capture:cancel': () => Promise.resolve({ state: 'cancelled' }),
    'imaging:submit': () => Promise.resolve({ processingId: 'p-1' }),
    'imaging:results': ({ pages }) => Promise.resolve({ results: pages.map((p) => ({ id: p.id, state: 'unknown' as const })) }),
    'print:page': () => Promise.resolve({ outcome: 'printed' }),
    'audit:record': () => Promise.resolve({ seq: 1 }),
    'audit:pending': () => Promise.resolve({ entries: [], next: 0 }),
    'audit:acknowledged': () => Promise.resolve({}),
    'enrollment:status': () => Promise.reject(new Error('not used here')),
    'enrollment:enroll': () => Promise.reject(new Error('not used here')),
    'doctor:report': () => Promise.reject(new Error('not used here')),
    'diagnostics:support-bundle': () => Promise.reject(new Error('not used here')),
    ...overrides,
  };
}

describe('dispatchIpc', () => {
  it('rejects unknown channels and malformed payloads before any handler runs', async () => {
    const signDigest = vi.fn();
    const h = handlers({ 'signer:sign-digest': signDigest });
    const unexpected = vi.fn();
    expect(await dispatchIpc(h, 'fs:read', {}, unexpected)).toEqual({ ok: false, error: { code: 'IPC_BAD_REQUEST', details: { channel: 'fs:read' } } });
    expect(await dispatchIpc(h, '__proto__', {}, unexpected)).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    const shortDigest = await dispatchIpc(h, 'signer:sign-digest', { role: 'organisation', algorithm: 'sha256', digest: new Uint8Array(31), ...inSession }, unexpected);
    expect(shortDigest).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    const unknownRole = await dispatchIpc(h, 'signer:sign-digest', { role: 'mayor', algorithm: 'sha256', digest: new Uint8Array(32), ...inSession }, unexpected);
    expect(unknownRole).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    // Issue 17: a digest without a signing session (or with a made-up one) does not even reach main's handler.
    const noSession = await dispatchIpc(h, 'signer:sign-digest', { role: 'organisation', algorithm: 'sha256', digest: new Uint8Array(32) }, unexpected);
    expect(noSession).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    const notASession = await dispatchIpc(h, 'signer:sign-digest', { role: 'organisation', algorithm: 'sha256', digest: new Uint8Array(32), sessionId: '../x', component: 'DON' }, unexpected);
    expect(notASession).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    const twice = await dispatchIpc(h, 'signer:session-open', { dossierId: 'd-1', signatures: [{ component: 'DON', role: 'personal' }, { component: 'DON', role: 'personal' }] }, unexpected);
    expect(twice).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    const extraKey = await dispatchIpc(h, 'signer:unlock', { role: 'organisation', secret: 'x', path: '/etc/shadow' }, unexpected);
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    expect(signDigest).not.toHaveBeenCalled();
    expect(unexpected).not.toHaveBeenCalled();
  });

  it('validates capture requests: settings within range, no extra keys', async () => {
    const start = vi.fn();
    const h = handlers({ 'capture:start': start });
    const tooFine = await dispatchIpc(h, 'capture:start', { deviceId: 'sane:test:0', settings: { paperSource: 'feeder', colourMode: 'color', dpi: 9600 } }, vi.fn());
    expect(tooFine).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    const extra = await dispatchIpc(h, 'capture:start', { deviceId: 'sane:test:0', settings: { paperSource: 'feeder', colourMode: 'color', dpi: 200, command: 'rm -rf /' } }, vi.fn());
    expect(extra).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    expect(start).not.toHaveBeenCalled();
    const poll = await dispatchIpc(h, 'capture:poll', { jobId: 'job-1', since: 3 }, vi.fn());
    expect(poll).toEqual({ ok: true, value: { jobId: 'job-1', state: 'done', items: [], next: 3, pagesSoFar: 0 } });
  });

  it('print:page takes no options: the page cannot choose the printer or reach another window', async () => {
    const print = vi.fn(() => Promise.resolve({ outcome: 'printed' as const, printer: 'HP-Quay-1' }));
    const h = handlers({ 'print:page': print });
    expect(await dispatchIpc(h, 'print:page', { deviceName: 'Microsoft Print to PDF' }, vi.fn())).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    expect(print).not.toHaveBeenCalled();
    expect(await dispatchIpc(h, 'print:page', {}, vi.fn())).toEqual({ ok: true, value: { outcome: 'printed', printer: 'HP-Quay-1' } });
    // An answer main should never give (an unknown outcome) does not reach the page as if it were valid.
    const odd = handlers({ 'print:page': () => Promise.resolve({ outcome: 'maybe' } as unknown as { outcome: 'printed' }) });
    expect(await dispatchIpc(odd, 'print:page', {}, vi.fn())).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('passes a valid request through and returns the handler value', async () => {
    const digest = Uint8Array.from({ length: 32 }, (_, i) => i);
    const result = await dispatchIpc(handlers(), 'signer:sign-digest', { role: 'organisation', algorithm: 'sha256', digest, ...inSession }, vi.fn());
    expect(result).toEqual({ ok: true, value: { signature: digest.slice().reverse(), algorithm: 'rsa-pkcs1-v1_5-sha256', revocationEvidence: [] } });
  });

  it('turns an AppError into its code and anything else into INTERNAL, reported once', async () => {
    expect(await dispatchIpc(handlers(), 'signer:unlock', { role: 'organisation', secret: 'x' }, vi.fn())).toEqual({ ok: false, error: { code: 'SIGNER_WRONG_PASSWORD', details: {} } });
    const unexpected = vi.fn();
    const crash = handlers({ 'signer:list': () => Promise.reject(new Error('boom')) });
    expect(await dispatchIpc(crash, 'signer:list', {}, unexpected)).toEqual({ ok: false, error: { code: 'INTERNAL', details: { message: 'boom' } } });
    expect(unexpected).toHaveBeenCalledOnce();
  });
});

describe('wire codec', () => {
  it('round-trips bytes nested in JSON', () => {
    const value = { a: new Uint8Array([0, 1, 254, 255]), list: [new Uint8Array(0), 'x'], n: 3 };
    const decoded = decodeWire(encodeWire(value)) as typeof value;
    expect(decoded.a).toBeInstanceOf(Uint8Array);
    expect(Array.from(decoded.a)).toEqual([0, 1, 254, 255]);
    expect(decoded.list[0]).toBeInstanceOf(Uint8Array);
    expect(decoded.list[1]).toBe('x');
    expect(decoded.n).toBe(3);
  });
});
