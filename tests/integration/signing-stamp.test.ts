/**
 * The Decree 30/2020 copy stamp on a signed PDF, read back by poppler: pdftotext finds its three lines on
 * page 1, pdftoppm renders it (the top-right corner is checked to hold dark text pixels), and pdfsig still
 * reports the signature valid and trusted.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FONT_ASSET_DIR, fontFiles } from '../../shared/pdf/fonts';
import { signPdf } from '../../shared/pdf/sign-pdf';
import { verifyPdfSignatures } from '../../shared/pdf/verify-pdf';
import { Pkcs12KeyStore } from '../../electron/services/signing/pkcs12-keystore';
import { makeNssDb } from '../support/nss';
import { createTestCa, type TestCa } from '../support/test-ca';

const run = promisify(execFile);
const ORGANISATION = 'Trung tâm Phục vụ hành chính công tỉnh Thừa Thiên Huế';

/** What the stamp must say for a signing time: local time in Vietnam, to the second, with +07:00. */
const vietnamIso = (time: Date): string => new Date(Math.floor(time.getTime() / 1000) * 1000 + 7 * 3_600_000).toISOString().slice(0, 19) + '+07:00';

let ca: TestCa;
let work: string;
let nssDir: string;
let signedPath: string;
let signed: Uint8Array;
let signingTime: Date;

beforeAll(async () => {
  ca = await createTestCa();
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-stamp-'));
  nssDir = await makeNssDb(ca.rootDer);
  const cert = await ca.issue({ commonName: 'Trung tâm Phục vụ hành chính công', organisation: 'UBND tỉnh Thừa Thiên Huế' });
  const keystore = new Pkcs12KeyStore({ path: await cert.p12('password'), label: 'Tổ chức' });
  await keystore.unlock('password');
  const fonts = {
    regular: new Uint8Array(await readFile(path.join(FONT_ASSET_DIR, fontFiles.regular))),
    bold: new Uint8Array(await readFile(path.join(FONT_ASSET_DIR, fontFiles.bold))),
  };
  signingTime = new Date(Date.now() + 1000); // the test root was made "now", to the second
  const doc = await PDFDocument.create();
  doc.addPage([595.28, 841.89]).drawText('Ban chup giay to goc', { font: await doc.embedFont(StandardFonts.Helvetica), x: 50, y: 700, size: 14 });
  doc.addPage([595.28, 841.89]);
  signed = await signPdf(doc, keystore, {
    reason: 'Sao y bản chính',
    location: 'Huế',
    signerName: 'Trung tâm Phục vụ hành chính công',
    signingTime,
    appearance: { kind: 'copy-stamp', copyForm: 'SAO Y', organisationName: ORGANISATION, fonts },
  });
  signedPath = path.join(work, 'stamped.pdf');
  await writeFile(signedPath, signed);
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(nssDir, { recursive: true, force: true });
  await rm(ca.dir, { recursive: true, force: true });
});

describe('visible copy stamp', () => {
  it('pdftotext finds "SAO Y", the organisation (exact Vietnamese) and the ISO time with +07:00 on page 1 only', async () => {
    const { stdout } = await run('pdftotext', ['-f', '1', '-l', '1', '-enc', 'UTF-8', signedPath, '-']);
    const lines = stdout.split('\n').map((l) => l.trim());
    expect(lines).toContain('SAO Y');
    expect(lines).toContain(ORGANISATION);
    expect(lines).toContain(vietnamIso(signingTime));
    expect(vietnamIso(signingTime)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
    const page2 = await run('pdftotext', ['-f', '2', '-l', '2', '-enc', 'UTF-8', signedPath, '-']);
    expect(page2.stdout).not.toContain('SAO Y');
  });

  it('pdffonts: the stamp is in an embedded subset of Liberation Serif (Times-compatible)', async () => {
    const { stdout } = await run('pdffonts', ['-l', '1', signedPath]);
    expect(stdout).toMatch(/[A-Z]{6}\+LiberationSerif\s+CID TrueType\s+Identity-H\s+yes\s+yes/);
  });

  it('pdftoppm: the top-right corner holds dark pixels (the text), the rest of that band is blank', async () => {
    const prefix = path.join(work, 'render');
    await run('pdftoppm', ['-f', '1', '-l', '1', '-r', '72', '-gray', signedPath, prefix]);
    const pgm = await readFile(`${prefix}-1.pgm`);
    // Binary PGM: "P5\n<w> <h>\n255\n" then one byte per pixel.
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'));
    if (!header) throw new Error('not a PGM');
    const [width, height] = [Number(header[1]), Number(header[2])];
    const pixels = pgm.subarray(header[0].length);
    const darkIn = (x0: number, y0: number, x1: number, y1: number): number => {
      let dark = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if ((pixels[y * width + x] ?? 255) < 128) dark++;
      return dark;
    };
    expect(darkIn(width - 220, 20, width - 20, 60)).toBeGreaterThan(200); // stamp: top 20–60 pt, right 20 pt margin
    expect(darkIn(width - 15, 0, width, height)).toBe(0); // the margin stays clear
    expect(height).toBe(842);
  });

  it('pdfsig: still valid, trusted, total document; our verifier agrees', async () => {
    const { stdout } = await run('pdfsig', ['-nssdir', nssDir, signedPath]);
    expect(stdout).toContain('Signature is Valid');
    expect(stdout).toContain('Certificate is Trusted');
    expect(stdout).toContain('Total document signed');
    const report = verifyPdfSignatures(signed, { trustAnchorsDer: [ca.rootDer] });
    expect(report.signatures[0]?.problems).toEqual([]);
    expect(report.valid).toBe(true);
  });
});
