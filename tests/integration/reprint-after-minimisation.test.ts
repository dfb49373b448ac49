// Issue 17, finding 8: once the central holds a dossier the counter keeps no form bytes, and once the dossier
// is minimised no applicant details either. A reprint of the receipt is rebuilt from the central's copy
// (GET /api/v1/dossiers/:id, device credential, unit-scoped) — read back with poppler's pdftotext — and
// without the central the clerk gets a clear Vietnamese message. Another unit's device gets a 404.
import 'fake-indexeddb/auto';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHostConfig, publicConfig } from '../../electron/services/config';
import { CounterDatabase } from '../../renderer/src/db/database';
import type { StoredDossier } from '../../renderer/src/db/database';
import { printedFormsOf, recordPrintedForm } from '../../renderer/src/db/counter-desk';
import { markMinimiseDue, minimiseClosedDossiers } from '../../renderer/src/db/retention';
import { reprintBytes } from '../../renderer/src/features/desk/reprint';
import { createCentralClient } from '../../renderer/src/sync/central-client';
import { fetchCentralDossier } from '../../renderer/src/sync/central-dossier';
import { createSyncEngine } from '../../renderer/src/sync/engine';
import { AppError } from '../../shared/errors';
import { describeError } from '../../shared/i18n/error-messages';
import { FONT_ASSET_DIR, fontFiles, type FormFonts } from '../../shared/pdf/fonts';
import { enrollTestDevice, makeSignedPdf, ownDeviceCounter, startCentralProcess } from '../support/central-process';
import type { CentralProcess } from '../support/central-process';
import { saveTestDossier } from '../support/counter-dossier';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..', '..');

let central: CentralProcess;
let dossierPdf: Uint8Array;
let fonts: FormFonts;
let dir: string;
let db: CounterDatabase;
let dossier: StoredDossier;

const config = publicConfig(
  parseHostConfig(
    '/tmp/config.json',
    JSON.stringify({
      unit: { code: '000.00.01.H22', name: 'UBND xã Thử Nghiệm' },
      organisationName: 'Ủy ban nhân dân xã Thử Nghiệm',
      counterNo: ownDeviceCounter,
      centralUrl: 'http://127.0.0.1:9',
      locale: 'vi',
      signers: [{ role: 'organisation', keystore: { kind: 'pkcs12', path: '/nonexistent/x.p12', label: 'Thử' } }],
    }),
  ),
);

async function pdfText(pdf: Uint8Array, name: string): Promise<string> {
  const file = join(dir, `${name}.pdf`);
  await writeFile(file, pdf);
  return (await run('pdftotext', ['-layout', file, '-'])).stdout;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  [central, dossierPdf] = await Promise.all([startCentralProcess(), makeSignedPdf({ paddingBytes: 5_000, text: 'To khai' })]);
  fonts = {
    regular: new Uint8Array(await readFile(join(repoRoot, FONT_ASSET_DIR, fontFiles.regular))),
    bold: new Uint8Array(await readFile(join(repoRoot, FONT_ASSET_DIR, fontFiles.bold))),
  };
  dir = await mkdtemp(join(tmpdir(), 'reprint-'));

  // Accepted, its receipt recorded, sent and acknowledged, returned, then minimised.
  db = new CounterDatabase(`motcua-reprint-${randomUUID()}`);
  dossier = (await saveTestDossier(db, (ownDeviceCounter - 1) * 1000 + 951, [dossierPdf], { fullName: 'Hoàng Thị Thu Hương', createdAt: new Date().toISOString() })).dossier;
  await recordPrintedForm(db, { formId: 'mau01', label: `Mẫu 01 — ${dossier.code}`, dossierId: dossier.id, pdf: new Uint8Array([37, 80, 68, 70]), clerk: 'Trần Văn Quầy' });
  const engine = createSyncEngine({ db, centralUrl: central.url, credential: () => central.credential, pollIntervalMs: 60_000, probeTimeoutMs: 2_000 });
  await engine.syncNow();
  await engine.stop();
  expect((await db.outbox.get(dossier.id))?.state).toBe('acknowledged');
  await db.transaction('rw', [db.dossierState, db.statusChanges], async () => {
    await db.dossierState.update(dossier.id, { status: 10 });
    await db.statusChanges.put({ seq: 999_999, dossierId: dossier.id, dossierCode: dossier.code, status: 10, at: new Date().toISOString(), actor: 'Quầy', department: '', note: '', supplementItems: [], resultFiles: [] });
    await markMinimiseDue(db.dossierState, dossier.id, new Date().toISOString());
  });
  expect((await minimiseClosedDossiers(db, new Date(), { dossiersDaysAfterClose: 0 })).dossiers).toEqual([dossier.id]);
}, 120_000);

afterAll(async () => {
  await db?.delete();
  await central?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('reprint after minimisation', () => {
  it('the counter holds no name and no form bytes; the receipt is rebuilt with the name and ID number from the central', async () => {
    const local = await db.dossiers.get(dossier.id);
    expect(local?.applicant).toEqual({ fullName: 'Hoàng T. T. H.', idNumber: '', phone: '', address: '' });
    const [form] = await printedFormsOf(db, { dossierId: dossier.id });
    expect(form?.pdf).toBeUndefined();

    const client = createCentralClient({ centralUrl: central.url, credential: () => central.credential });
    const pdf = await reprintBytes({ config, fonts: () => Promise.resolve(fonts), centralDossier: (d) => fetchCentralDossier(client, d) }, local!, form!);
    const text = (await pdfText(pdf, 'rebuilt')).normalize('NFC');
    expect(text).toContain('Hoàng Thị Thu Hương');
    expect(text).toContain('001203004567');
    expect(text).toContain(dossier.code);
    expect(text).toContain('Trần Văn Quầy');
  });

  it('without the central the clerk is told in Vietnamese that the reprint needs the connection', async () => {
    const local = (await db.dossiers.get(dossier.id))!;
    const [form] = await printedFormsOf(db, { dossierId: dossier.id });
    // Nothing listens on port 9 (discard): the request fails like a cut link.
    const offline = createCentralClient({ centralUrl: 'http://127.0.0.1:9', credential: () => central.credential });
    const err = await rejection(reprintBytes({ config, fonts: () => Promise.resolve(fonts), centralDossier: (d) => fetchCentralDossier(offline, d, 2_000) }, local, form!));
    expect(err.code).toBe('REPRINT_NEEDS_CENTRAL');
    const message = describeError('vi', err.code, err.details);
    expect(message).toContain(`Không in lại được phiếu của hồ sơ ${dossier.code}`);
    expect(message).toContain('cần kết nối tới trung tâm');
    expect(message).toContain('Hãy kiểm tra mạng rồi bấm in lại');
  });

  it("another unit's device gets a 404 for the dossier, and the clerk a clear message", async () => {
    const other = await enrollTestDevice(central, { unit: { code: '000.00.02.H22', name: 'UBND xã Khác' }, counterNo: 1 });
    const client = createCentralClient({ centralUrl: central.url, credential: () => other.credential });
    const err = await rejection(fetchCentralDossier(client, dossier));
    expect(err.code).toBe('REPRINT_NOT_AT_CENTRAL');
    expect(describeError('vi', err.code, err.details)).toContain(`không tìm thấy hồ sơ ${dossier.code}`);
  });

  it('a form other than the receipt is not rebuilt: the clerk is told it is no longer kept', async () => {
    const local = (await db.dossiers.get(dossier.id))!;
    const err = await rejection(reprintBytes({ config, fonts: () => Promise.resolve(fonts) }, local, { id: 'x', formId: 'mau04', label: 'Mẫu 04 — thư xin lỗi', dossierId: dossier.id, clerk: 'A', createdAt: new Date().toISOString() }));
    expect(err.code).toBe('REPRINT_NOT_KEPT');
    expect(describeError('vi', err.code, err.details)).toContain('không còn lưu trên máy quầy');
  });
});
