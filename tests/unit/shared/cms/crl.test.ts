import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCrl } from '../../../../shared/cms/crl';
import { AppError } from '../../../../shared/errors';
import { createTestCa, type IssuedCert, type TestCa } from '../../../support/test-ca';

const run = promisify(execFile);

let ca: TestCa;
let compromised: IssuedCert;
let superseded: IssuedCert;
let untouched: IssuedCert;
let crlDer: Uint8Array;

beforeAll(async () => {
  ca = await createTestCa();
  // One at a time: `openssl ca` updates the CA's index and serial files.
  compromised = await ca.issue({ commonName: 'Compromised' });
  superseded = await ca.issue({ commonName: 'Superseded' });
  untouched = await ca.issue({ commonName: 'Untouched' });
  await ca.revoke(compromised, 'keyCompromise');
  await ca.revoke(superseded, 'superseded');
  crlDer = await ca.crl({ nextUpdateHours: 6 });
});

afterAll(async () => {
  await rm(ca.dir, { recursive: true, force: true });
});

/** Parsing either succeeds or fails with the revocation-data code: never a crash of another kind. */
function parseOrCode(bytes: Uint8Array): string {
  try {
    parseCrl(bytes);
    return 'parsed';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

describe('parseCrl', () => {
  it('reads an OpenSSL CRL: dates, revoked serials with their reasons', async () => {
    const crl = parseCrl(crlDer);
    // OpenSSL's own reading of the same file, for comparison
    const file = path.join(ca.dir, 'check.crl');
    await writeFile(file, crlDer);
    const { stdout } = await run('openssl', ['crl', '-inform', 'DER', '-in', file, '-noout', '-lastupdate', '-nextupdate'], { encoding: 'utf8' });
    const lastUpdate = /lastUpdate=(.+)/.exec(stdout)?.[1] ?? '';
    expect(crl.thisUpdate.getTime()).toBe(new Date(lastUpdate).getTime());
    expect(crl.nextUpdate!.getTime() - crl.thisUpdate.getTime()).toBe(6 * 3_600_000);
    expect(crl.revoked.get(compromised.serialHex)?.reason).toBe('keyCompromise');
    expect(crl.revoked.get(superseded.serialHex)?.reason).toBe('superseded');
    expect(crl.revoked.has(untouched.serialHex)).toBe(false);
    expect(Math.abs(crl.revoked.get(compromised.serialHex)!.revokedAt.getTime() - Date.now())).toBeLessThan(600_000);
    expect(crl.signed.signatureAlgorithm).toBe('1.2.840.113549.1.1.11');
  });

  it('rejects every truncation with CERT_REVOCATION_DATA_INVALID', () => {
    for (let length = 0; length < crlDer.length; length++) {
      expect(parseOrCode(crlDer.subarray(0, length))).toBe('CERT_REVOCATION_DATA_INVALID');
    }
  });

  it('never crashes on a flipped byte, and trailing garbage is refused', () => {
    for (let i = 0; i < crlDer.length; i++) {
      const copy = crlDer.slice();
      copy[i] = (copy[i] ?? 0) ^ 0xff;
      expect(['parsed', 'CERT_REVOCATION_DATA_INVALID']).toContain(parseOrCode(copy));
    }
    expect(parseOrCode(new Uint8Array([...crlDer, 0]))).toBe('CERT_REVOCATION_DATA_INVALID');
    expect(parseOrCode(new TextEncoder().encode('<html>Đăng nhập Wi-Fi</html>'))).toBe('CERT_REVOCATION_DATA_INVALID');
  });
});
