/**
 * `motcua verify` reports each signature's revocation status from the certificate's own CRL address, and
 * fails once the signer's certificate is revoked (a real process, a real OpenSSL CA and CRL).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { signPdf } from '../../shared/pdf/sign-pdf';
import { Pkcs12KeyStore } from '../../electron/services/signing/pkcs12-keystore';
import { createTestCa, type IssuedCert, type TestCa } from '../support/test-ca';
import { startRevocationServers, type RevocationServers } from '../support/revocation-servers';

const run = promisify(execFile);
const bin = path.resolve('electron/cli/bin.mjs');
let work: string;
let ca: TestCa;
let servers: RevocationServers;
let signer: IssuedCert;
let signedPath: string;

async function verify(...extra: string[]): Promise<{ code: number; report: { valid: boolean; signatures: { revocation: { status: string; source?: string } }[] } }> {
  try {
    // The CRL server is on 127.0.0.1 at a random port: the lab setting, given explicitly.
    const lab = ['--lab-network', '--allow-port', new URL(servers.crlUrl).port];
    const { stdout } = await run(process.execPath, [bin, 'verify', signedPath, '--trust', ca.rootCertPath, ...lab, ...extra]);
    return { code: 0, report: JSON.parse(stdout) as never };
  } catch (err) {
    const failed = err as { code: number; stdout: string };
    return { code: failed.code, report: JSON.parse(failed.stdout) as never };
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-verify-rev-'));
  ca = await createTestCa(work);
  servers = await startRevocationServers(ca, { ocspSigner: 'ca' });
  servers.publishCrl(await ca.crl());
  signer = await ca.issue({ commonName: 'Bộ phận Một cửa - thử thu hồi', crlUrl: servers.crlUrl });
  const keystore = new Pkcs12KeyStore({ path: await signer.p12('pw'), label: 'test' });
  await keystore.unlock('pw');
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  signedPath = path.join(work, 'signed.pdf');
  await writeFile(signedPath, await signPdf(doc, keystore, { reason: 'SAO Y', location: 'Xã Demo', signerName: 'Demo', signingTime: new Date(Date.now() + 2000) }));
});

afterAll(async () => {
  await servers.stop();
  await rm(work, { recursive: true, force: true });
});

describe('motcua verify and revocation', () => {
  it('reports "good" from the CRL while the certificate is not revoked, "not-checked" offline', async () => {
    const online = await verify();
    expect(online.code).toBe(0);
    expect(online.report.signatures[0]?.revocation).toMatchObject({ status: 'good', source: 'crl' });
    const offline = await verify('--offline');
    expect(offline.code).toBe(0);
    expect(offline.report.signatures[0]?.revocation).toEqual({ status: 'not-checked' });
  });

  it('fails with "revoked" once the CA revokes the certificate', async () => {
    await ca.revoke(signer);
    servers.publishCrl(await ca.crl());
    const result = await verify();
    expect(result.code).toBe(1);
    expect(result.report.valid).toBe(true); // the signature itself is intact
    expect(result.report.signatures[0]?.revocation).toMatchObject({ status: 'revoked', source: 'crl' });
  });
});
