import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCertificateDetails } from '../../../../shared/cms/certificate-checks';
import { encodeDer, integer } from '../../../../shared/cms/der';
import { buildOcspRequest, certIdMatches, parseOcspResponse, type CertIdInput } from '../../../../shared/cms/ocsp';
import { AppError } from '../../../../shared/errors';
import { createTestCa, type IssuedCert, type TestCa } from '../../../support/test-ca';

const run = promisify(execFile);

let ca: TestCa;
let responder: IssuedCert;
let holder: IssuedCert;
let n = 0;

beforeAll(async () => {
  ca = await createTestCa();
  // One at a time: `openssl ca` updates the CA's index and serial files.
  responder = await ca.issue({ commonName: 'OCSP responder', usage: 'ocsp', keyType: 'ec-p256' });
  holder = await ca.issue({ commonName: 'Người ký' });
});

afterAll(async () => {
  await rm(ca.dir, { recursive: true, force: true });
});

function idFor(cert: IssuedCert): CertIdInput {
  const details = readCertificateDetails(cert.certDer);
  const root = readCertificateDetails(ca.rootDer);
  return { issuerNameDer: details.info.issuerNameDer, issuerKeyBits: root.publicKey.keyBits, serialDer: details.info.serialDer };
}

/** OpenSSL's responder, one-shot: our request in, its answer out (it fails if it cannot read the request). */
async function openSslAnswer(request: Uint8Array): Promise<Uint8Array> {
  const reqPath = path.join(ca.dir, `req-${++n}.der`);
  const respPath = path.join(ca.dir, `resp-${n}.der`);
  await writeFile(reqPath, request);
  await run('openssl', ['ocsp', '-index', ca.ocspIndexPath, '-CA', ca.rootCertPath, '-rsigner', responder.certPath, '-rkey', responder.keyPath, '-reqin', reqPath, '-respout', respPath, '-nmin', '30']);
  return new Uint8Array(await readFile(respPath));
}

describe('OCSP request and response', () => {
  it('OpenSSL reads our request (SHA-1 and SHA-256 CertIDs) and we read its answer: good, with the responder certificate', async () => {
    for (const hash of ['sha1', 'sha256'] as const) {
      const response = parseOcspResponse(await openSslAnswer(buildOcspRequest(idFor(holder), hash)));
      expect(response.responses).toHaveLength(1);
      const single = response.responses[0]!;
      expect(single.status).toBe('good');
      expect(certIdMatches(single.certId, idFor(holder))).toBe(true);
      expect(certIdMatches(single.certId, idFor(responder))).toBe(false);
      expect(single.nextUpdate!.getTime() - single.thisUpdate.getTime()).toBe(30 * 60_000);
      expect(response.certsDer.map((c) => Buffer.from(c).toString('hex'))).toContain(Buffer.from(responder.certDer).toString('hex'));
      expect(response.signed.signatureAlgorithm).toBe('1.2.840.10045.4.3.2'); // ecdsa-with-SHA256: the responder's EC key
    }
  });

  it('unknown serial → unknown; revoked → revoked with time and reason', async () => {
    const stranger: CertIdInput = { ...idFor(holder), serialDer: encodeDer(integer(0x7777)) };
    expect(parseOcspResponse(await openSslAnswer(buildOcspRequest(stranger))).responses[0]?.status).toBe('unknown');

    const revoked = await ca.issue({ commonName: 'Revoked' });
    await ca.revoke(revoked, 'superseded');
    const single = parseOcspResponse(await openSslAnswer(buildOcspRequest(idFor(revoked)))).responses[0]!;
    expect(single.status).toBe('revoked');
    expect(single.reason).toBe('superseded');
    expect(Math.abs(single.revokedAt!.getTime() - Date.now())).toBeLessThan(600_000);
  });

  it('a non-successful responseStatus is an AppError naming it', () => {
    // OCSPResponse { responseStatus unauthorized (6) }
    const unauthorized = new Uint8Array([0x30, 0x03, 0x0a, 0x01, 0x06]);
    let error: unknown;
    try {
      parseOcspResponse(unauthorized);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CERT_REVOCATION_DATA_INVALID');
    expect((error as AppError).details.reason).toBe('responder answered unauthorized');
  });

  it('malformed answers (truncated, flipped, not DER) are AppErrors, never crashes', async () => {
    const der = await openSslAnswer(buildOcspRequest(idFor(holder)));
    const outcome = (bytes: Uint8Array): string => {
      try {
        parseOcspResponse(bytes);
        return 'parsed';
      } catch (err) {
        if (err instanceof AppError) return err.code;
        throw err;
      }
    };
    for (let length = 0; length < der.length; length++) expect(outcome(der.subarray(0, length))).toBe('CERT_REVOCATION_DATA_INVALID');
    for (let i = 0; i < der.length; i++) {
      const copy = der.slice();
      copy[i] = (copy[i] ?? 0) ^ 0x5a;
      expect(['parsed', 'CERT_REVOCATION_DATA_INVALID']).toContain(outcome(copy));
    }
    expect(outcome(new TextEncoder().encode('HTTP/1.1 200 OK'))).toBe('CERT_REVOCATION_DATA_INVALID');
  });
});
