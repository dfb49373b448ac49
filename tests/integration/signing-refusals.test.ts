/**
 * Inputs the signer must refuse without touching the file: an encrypted PDF (qpdf makes a real one) and a
 * PDF that already carries a signature handed to a step that would rewrite it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { signPdf } from '../../shared/pdf/sign-pdf';
import { Pkcs12KeyStore } from '../../electron/services/signing/pkcs12-keystore';
import { getTestPki, DEMO_P12_PASSWORD } from '../support/pki';
import { errorCodeOf } from '../support/app-error';

const run = promisify(execFile);
let work: string;
let keystore: Pkcs12KeyStore;
const options = { reason: 'SAO Y', location: 'UBND xã Demo', signerName: 'Bộ phận Một cửa', signingTime: new Date() };

async function plainPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  return doc.save({ useObjectStreams: false });
}


beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-refusals-'));
  const pki = await getTestPki();
  keystore = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'test' });
  await keystore.unlock(DEMO_P12_PASSWORD);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the signer refuses and leaves the input alone', () => {
  it('an encrypted PDF → FILE_ENCRYPTED_PDF', async () => {
    const plain = path.join(work, 'plain.pdf');
    const encrypted = path.join(work, 'encrypted.pdf');
    await writeFile(plain, await plainPdf());
    await run('qpdf', ['--encrypt', 'user-pw', 'owner-pw', '256', '--', plain, encrypted]);
    const bytes = new Uint8Array(await readFile(encrypted));
    const before = Buffer.from(bytes).toString('base64');
    expect(await errorCodeOf(signPdf(bytes, keystore, options))).toBe('FILE_ENCRYPTED_PDF');
    expect(Buffer.from(bytes).toString('base64')).toBe(before);
  });

  it('an already signed PDF given to the first-signature step (which re-saves) → PDF_ALREADY_SIGNED', async () => {
    const signed = await signPdf(await plainPdf(), keystore, options);
    const before = Buffer.from(signed).toString('base64');
    expect(await errorCodeOf(signPdf(signed, keystore, options))).toBe('PDF_ALREADY_SIGNED');
    expect(Buffer.from(signed).toString('base64')).toBe(before);
  });
});
