/**
 * Who signs the digitized copy, end to end below the UI (Decree 118/2025 Art. 17.1.c, Art. 19.2): a dossier
 * accepted through the app's own `acceptDossier`, with the real main-side handlers (PKCS#12 key stores, trust
 * anchors, the spool) and IndexedDB (fake-indexeddb). A component without its own rule is signed by the
 * clerk's personal certificate only, with no "SAO Y" on the page; a component configured for the organisation
 * still gets the organisation's signature and the Decree 30 "SAO Y" stamp. Checked with poppler's pdfsig and
 * pdftotext; the dossier records the clerk's certificate.
 */
import 'fake-indexeddb/auto';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Dexie from 'dexie';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCounterHost, type CounterHost } from '../../electron/services/counter-host';
import { CounterDatabase, type StoredDossier } from '../../renderer/src/db/database';
import { readFileBytes } from '../../renderer/src/db/dossiers';
import { acceptDossier, type UnlockedSigner } from '../../renderer/src/features/intake/accept-dossier';
import type { MainClient } from '../../renderer/src/platform/main-client';
import { copySigningPolicy } from '../../shared/domain/copy-signature';
import type { Procedure } from '../../shared/domain/procedure';
import type { IpcHandlers } from '../../shared/ipc/contract';
import { probeSourceFile } from '../../shared/pdf/image-probe';
import { makeNssDb } from '../support/nss';
import { createTestCa, type IssuedCert, type TestCa } from '../support/test-ca';

const run = promisify(execFile);
const fontsDir = path.resolve('shared/assets/fonts');

const procedure: Procedure = {
  code: '1.001193',
  name: 'Đăng ký khai sinh',
  field: 'Hộ tịch',
  level: 'commune',
  timeLimit: { amount: 1, unit: 'working-days' },
  components: [
    { code: 'TK', name: 'Tờ khai đăng ký khai sinh', required: true },
    // As a special law might require: the organisation's copy signature with the stamp (Art. 19.2).
    { code: 'GT', name: 'Giấy tờ phải sao y theo luật chuyên ngành', required: false, signature: 'organisation' },
  ],
  source: 'test',
};

let ca: TestCa;
let work: string;
let nssDir: string;
let host: CounterHost;
let db: CounterDatabase;
let clerk: IssuedCert;
let dossier: StoredDossier;
let main: MainClient;
let signers: UnlockedSigner[];
let fonts: () => Promise<{ regular: Uint8Array; bold: Uint8Array }>;
const pdfPaths: Record<string, string> = {};

async function textPdf(line: string, pages = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawText(`${line} ${i + 1}`, { x: 72, y: 700, size: 14, font });
  return doc.save();
}

beforeAll(async () => {
  ca = await createTestCa();
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-copy-sig-'));
  nssDir = await makeNssDb(ca.rootDer);
  const organisation = await ca.issue({ commonName: 'UBND xã Demo - Bộ phận Một cửa', organisation: 'UBND xã Demo' });
  // RSA: the PKCS#12 key store reads RSA keys (EC personal keys live on tokens, see pkcs11-softhsm.test.ts).
  clerk = await ca.issue({ commonName: 'Nguyễn Thị Lan', organisation: 'UBND xã Demo' });
  const trustDir = path.join(work, 'trust');
  await mkdir(trustDir);
  await copyFile(ca.rootCertPath, path.join(trustDir, 'root.pem'));
  const dataDir = path.join(work, 'data');
  await mkdir(dataDir);
  await writeFile(
    path.join(dataDir, 'config.json'),
    JSON.stringify({
      unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
      organisationName: 'Ủy ban nhân dân xã Demo',
      counterNo: 1,
      centralUrl: 'https://127.0.0.1:9',
      locale: 'vi',
      signatureAppearance: { kind: 'copy-stamp', copyForm: 'SAO Y' },
      signers: [
        { role: 'organisation', keystore: { kind: 'pkcs12', path: await organisation.p12('org-secret'), label: 'Cơ quan' } },
        { role: 'personal', keystore: { kind: 'pkcs12', path: await clerk.p12('lan-secret'), label: 'Cá nhân' } },
      ],
      trust: { anchorsDir: trustDir },
      retention: { filesDaysAfterAck: 0, dossiersDaysAfterClose: 30, applicantsDaysUnseen: 90 },
    }),
  );
  host = await openCounterHost({ dataDir });
  const handlers = host.handlers as unknown as Record<string, (request: unknown) => Promise<unknown>>;
  main = { call: (channel, request) => handlers[channel]?.(request) as ReturnType<IpcHandlers[typeof channel]> };
  signers = [];
  for (const [role, secret] of [['organisation', 'org-secret'], ['personal', 'lan-secret']] as const) {
    const status = await main.call('signer:unlock', { role, secret });
    if (status.state !== 'unlocked') throw new Error(`${role} did not unlock`);
    signers.push({ role, status });
  }
  db = new CounterDatabase(`motcua-copy-sig-${crypto.randomUUID()}`);
  const [regular, bold] = await Promise.all([readFile(path.join(fontsDir, 'LiberationSerif-Regular.ttf')), readFile(path.join(fontsDir, 'LiberationSerif-Bold.ttf'))]);
  fonts = () => Promise.resolve({ regular: new Uint8Array(regular), bold: new Uint8Array(bold) });

  const accepted = await acceptDossier(
    {
      procedure,
      applicant: { fullName: 'Trần Văn Bình', idNumber: '001090012345', phone: '0912345678', address: 'Thôn Đông, xã Demo' },
      attachments: { TK: [await attachment('to-khai.pdf', await textPdf('To khai trang', 2))], GT: [await attachment('giay-to.pdf', await textPdf('Giay to chuyen nganh'))] },
      config: await main.call('config:get', {}),
      signers,
      copySigning: copySigningPolicy(undefined, ['organisation', 'personal']),
      pageCounts: [{ code: 'TK', images: 2, notePairs: 0, inputPages: 2, paperPages: 2, mismatchAcknowledged: false }],
      clerk: 'Nguyễn Thị Lan',
    },
    { db, main, fonts },
    () => undefined,
  );
  dossier = accepted.dossier;
  for (const component of dossier.components) {
    const [fileId] = component.fileIds;
    if (!fileId) continue;
    pdfPaths[component.code] = path.join(work, `${component.code}.pdf`);
    await writeFile(pdfPaths[component.code] ?? '', await readFileBytes(db, fileId));
  }
}, 120_000);

afterAll(async () => {
  await host?.close();
  if (db) {
    db.close();
    await Dexie.delete(db.name);
  }
  for (const dir of [work, nssDir, ca?.dir]) if (dir) await rm(dir, { recursive: true, force: true });
});

const attachment = async (name: string, bytes: Uint8Array) => ({ id: crypto.randomUUID(), name, bytes, probe: await probeSourceFile(bytes, name) });

function pdfsigBlocks(stdout: string): string[] {
  return stdout.split(/^Signature #\d+:$/m).slice(1);
}

describe('a component with no rule of its own: the clerk’s personal signature', () => {
  it('pdfsig: exactly one signature, valid and trusted, by the clerk’s certificate, covering the whole file', async () => {
    const { stdout } = await run('pdfsig', ['-nssdir', nssDir, pdfPaths.TK ?? '']);
    const blocks = pdfsigBlocks(stdout);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toContain('Signer Certificate Common Name: Nguyễn Thị Lan');
    expect(blocks[0]).toContain('Signature is Valid');
    expect(blocks[0]).toContain('Certificate is Trusted');
    expect(blocks[0]).toContain('Total document signed');
  });

  it('pdftotext: no "SAO Y" anywhere; page 1 names the signer and the time; the pages are all there', async () => {
    const { stdout } = await run('pdftotext', ['-layout', pdfPaths.TK ?? '', '-']);
    expect(stdout).not.toMatch(/SAO\s*Y/i);
    expect(stdout).toContain('Người ký: Nguyễn Thị Lan');
    expect(stdout).toMatch(/Thời gian ký: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00/);
    expect(stdout).toContain('To khai trang 1');
    expect(stdout).toContain('To khai trang 2');
  });
});

describe('a component configured for the organisation (Art. 19.2)', () => {
  it('pdfsig: one signature by the organisation’s certificate', async () => {
    const { stdout } = await run('pdfsig', ['-nssdir', nssDir, pdfPaths.GT ?? '']);
    const blocks = pdfsigBlocks(stdout);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toContain('Signer Certificate Common Name: UBND xã Demo - Bộ phận Một cửa');
    expect(blocks[0]).toContain('Signature is Valid');
    expect(blocks[0]).toContain('Certificate is Trusted');
  });

  it('pdftotext: the Decree 30 stamp — "SAO Y" and the organisation — and no personal signature box', async () => {
    const { stdout } = await run('pdftotext', ['-layout', pdfPaths.GT ?? '', '-']);
    expect(stdout).toContain('SAO Y');
    expect(stdout).toContain('Ủy ban nhân dân xã Demo');
    expect(stdout).not.toContain('Người ký:');
  });
});

describe('what the dossier records', () => {
  it('the certificate that signed each component (CN, serial, issuer) and the confirmed page count', () => {
    const serial = (hex: string) => hex.toLowerCase().replace(/^0+/, '');
    const [organisationRecord, personalRecord] = [...(dossier.copySignatures ?? [])].sort((a, b) => a.role.localeCompare(b.role));
    expect(personalRecord).toMatchObject({ role: 'personal', subjectCommonName: 'Nguyễn Thị Lan', components: ['TK'] });
    expect(serial(personalRecord?.serialNumber ?? '')).toBe(serial(clerk.serialHex));
    expect(personalRecord?.issuer).toContain('CN=');
    expect(organisationRecord).toMatchObject({ role: 'organisation', subjectCommonName: 'UBND xã Demo - Bộ phận Một cửa', components: ['GT'] });
    expect(dossier.digitization?.components).toEqual([{ code: 'TK', images: 2, notePairs: 0, inputPages: 2, paperPages: 2, mismatchAcknowledged: false }]);
  });

  it('main’s spool copy carries the same records (it passed the spool schema)', async () => {
    const { state, entry } = await host.handlers['spool:read']({ dossierId: dossier.id });
    expect(state).toBe('committed');
    expect(entry.dossier.copySignatures).toEqual(dossier.copySignatures);
    expect(entry.dossier.digitization).toEqual(dossier.digitization);
  });
});

describe('refusals before anything is signed or saved', () => {
  const input = async () => ({
    procedure,
    applicant: { fullName: 'Lê Thị Hoa', idNumber: '001190012345', phone: '0912345678', address: 'Thôn Tây, xã Demo' },
    attachments: { TK: [await attachment('to-khai.pdf', await textPdf('To khai', 3))] },
    config: await main.call('config:get', {}),
    signers,
    copySigning: copySigningPolicy(undefined, ['organisation', 'personal']),
  });

  it('a paper page count that differs from the images, not acknowledged: DIGITIZATION_PAGE_COUNT_MISMATCH, no dossier saved', async () => {
    const before = await db.dossiers.count();
    const counted = { code: 'TK', images: 3, notePairs: 0, inputPages: 3, paperPages: 4 };
    const pageCounts = [{ ...counted, mismatchAcknowledged: false }];
    await expect(acceptDossier({ ...(await input()), pageCounts }, { db, main, fonts }, () => undefined)).rejects.toMatchObject({
      code: 'DIGITIZATION_PAGE_COUNT_MISMATCH',
      details: { component: 'Tờ khai đăng ký khai sinh', inputPages: 3, paperPages: 4 },
    });
    expect(await db.dossiers.count()).toBe(before);
    // Acknowledged, it goes through and the dossier keeps the difference on record.
    const accepted = await acceptDossier({ ...(await input()), pageCounts: [{ ...counted, mismatchAcknowledged: true }] }, { db, main, fonts }, () => undefined);
    expect(accepted.dossier.digitization?.components[0]).toMatchObject({ inputPages: 3, paperPages: 4, mismatchAcknowledged: true });
  });

  it('the key a component needs is not unlocked: SIGNER_NOT_CONFIGURED naming the role', async () => {
    const onlyOrganisation = signers.filter((s) => s.role === 'organisation');
    await expect(acceptDossier({ ...(await input()), signers: onlyOrganisation }, { db, main, fonts }, () => undefined)).rejects.toMatchObject({ code: 'SIGNER_NOT_CONFIGURED', details: { role: 'personal' } });
  });
});
