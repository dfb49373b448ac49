/**
 * One CMS core, one policy (issue 18): the same certificate gets the same verdict at the counter's
 * certificate check (certificate-checks.ts, what unlock and signing run), in `motcua verify` (the CLI as a
 * real process) and at the central's commit (the central as a real process). Two certificates that split
 * the old stacks:
 * - a leaf whose CA signed it with a DigestInfo WITHOUT the NULL parameters (RFC 8017 §9.2 note 2): the
 *   counter accepted it, `motcua verify` and the central refused it (CENTRAL_SIGNATURE_INVALID, terminal);
 *   now all three accept it;
 * - a leaf signed with sha1WithRSAEncryption: the counter refused it, the PDF verifier accepted it; now all
 *   three refuse it (SHA-1 is outside the shared policy).
 * The certificates are made here (node-forge builds the TBSCertificate, node:crypto's raw RSA private
 * operation signs the DigestInfo we choose), the PDFs are signed by the app's signPdf.
 */
import { execFile } from 'node:child_process';
import { constants, createHash, generateKeyPairSync, privateEncrypt, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSigningCertificate } from '../../shared/cms/certificate-checks';
import type { DigestSigner } from '../../shared/cms/pades';
import { signPdf } from '../../shared/pdf/sign-pdf';
import { makeCommit, makePdf, putCommit, startCentralProcess, tusUpload, type CentralProcess } from '../support/central-process';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const motcuaBin = path.join(repoRoot, 'electron', 'cli', 'bin.mjs');

const HASH = {
  sha256: { oid: '2.16.840.1.101.3.4.2.1', withRsa: '1.2.840.113549.1.1.11' },
  sha1: { oid: '1.3.14.3.2.26', withRsa: '1.2.840.113549.1.1.5' },
} as const;
type HashName = keyof typeof HASH;

const der = (node: forge.asn1.Asn1): Uint8Array => forge.util.binary.raw.decode(forge.asn1.toDer(node).getBytes());
const asn = forge.asn1;

/** RSASSA-PKCS1-v1_5 over `hash(data)` with the DigestInfo's AlgorithmIdentifier with or without NULL. */
function rsaSign(key: KeyObject, hash: HashName, data: Uint8Array, withNull: boolean): Uint8Array {
  const digest = createHash(hash).update(data).digest();
  const algorithm = [asn.create(asn.Class.UNIVERSAL, asn.Type.OID, false, asn.oidToDer(HASH[hash].oid).getBytes())];
  if (withNull) algorithm.push(asn.create(asn.Class.UNIVERSAL, asn.Type.NULL, false, ''));
  const digestInfo = der(
    asn.create(asn.Class.UNIVERSAL, asn.Type.SEQUENCE, true, [
      asn.create(asn.Class.UNIVERSAL, asn.Type.SEQUENCE, true, algorithm),
      asn.create(asn.Class.UNIVERSAL, asn.Type.OCTETSTRING, false, forge.util.binary.raw.encode(digest)),
    ]),
  );
  // The private operation with PKCS#1 type-1 padding over the DigestInfo is exactly EMSA-PKCS1-v1_5 signing.
  return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo));
}

interface Issued {
  readonly der: Uint8Array;
  readonly key: KeyObject;
}

/** A certificate for a fresh RSA key, signed by `issuer` (self-signed when absent) the way we choose. */
function makeCertificate(opts: { cn: string; ca: boolean; issuer?: Issued & { cn: string }; hash: HashName; digestInfoNull: boolean; serial: string }): Issued {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = opts.serial;
  cert.validity.notBefore = new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = new Date(Date.now() + 30 * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: opts.cn }, { name: 'countryName', value: 'VN' }]);
  cert.setIssuer([{ name: 'commonName', value: opts.issuer?.cn ?? opts.cn }, { name: 'countryName', value: 'VN' }]);
  cert.setExtensions(
    opts.ca
      ? [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }]
      : [{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true }],
  );
  const signatureOid = HASH[opts.hash].withRsa;
  (cert as unknown as { siginfo: { algorithmOid: string } }).siginfo.algorithmOid = signatureOid;
  cert.signatureOid = signatureOid;
  // getTBSCertificate is forge's own, missing from its typings.
  const tbs = der((forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert));
  const signature = rsaSign(opts.issuer?.key ?? privateKey, opts.hash, tbs, opts.digestInfoNull);
  const certificate = asn.create(asn.Class.UNIVERSAL, asn.Type.SEQUENCE, true, [
    asn.fromDer(forge.util.binary.raw.encode(tbs)),
    asn.create(asn.Class.UNIVERSAL, asn.Type.SEQUENCE, true, [
      asn.create(asn.Class.UNIVERSAL, asn.Type.OID, false, asn.oidToDer(signatureOid).getBytes()),
      asn.create(asn.Class.UNIVERSAL, asn.Type.NULL, false, ''),
    ]),
    asn.create(asn.Class.UNIVERSAL, asn.Type.BITSTRING, false, '\x00' + forge.util.binary.raw.encode(signature)),
  ]);
  return { der: der(certificate), key: privateKey };
}

function signerFor(leaf: Issued): DigestSigner {
  return {
    chainDer: [leaf.der],
    signDigest: (digest) => {
      const prefix = Uint8Array.from([0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]);
      const digestInfo = new Uint8Array([...prefix, ...digest]);
      return Promise.resolve({ signature: new Uint8Array(privateEncrypt({ key: leaf.key, padding: constants.RSA_PKCS1_PADDING }, digestInfo)), algorithm: 'rsa-pkcs1-v1_5-sha256' as const });
    },
  };
}

let work: string;
let rootPemPath: string;
let root: Issued & { cn: string };
let central: CentralProcess;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-one-policy-'));
  root = { cn: 'One Policy Test Root', ...makeCertificate({ cn: 'One Policy Test Root', ca: true, hash: 'sha256', digestInfoNull: true, serial: '01' }) };
  rootPemPath = path.join(work, 'root.pem');
  await writeFile(rootPemPath, `-----BEGIN CERTIFICATE-----\n${Buffer.from(root.der).toString('base64')}\n-----END CERTIFICATE-----\n`);
  central = await startCentralProcess({ trust: rootPemPath });
}, 90_000);

afterAll(async () => {
  await central?.stop();
  await rm(work, { recursive: true, force: true });
});

/** The verdict of the three paths on a PDF signed by `leaf`. */
async function threeVerdicts(leaf: Issued, name: string): Promise<{ counter: boolean; verifyCli: boolean; central: boolean; details: string }> {
  const counter = checkSigningCertificate({
    chainDer: [leaf.der],
    trustAnchorsDer: [root.der],
    at: new Date(),
    evidence: [],
    policy: { requireRevocation: false, maxRevocationAgeMs: 86_400_000 },
  });

  const pdf = await signPdf(await makePdf({ text: name }), signerFor(leaf), { reason: 'Tiếp nhận hồ sơ', location: 'Bộ phận Một cửa', signerName: 'Quầy 1', signingTime: new Date() });
  const pdfPath = path.join(work, `${name}.pdf`);
  await writeFile(pdfPath, pdf);
  const cli = await run(process.execPath, [motcuaBin, 'verify', pdfPath, '--trust', rootPemPath, '--offline'], { cwd: repoRoot }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (err: { code?: number; stdout?: string }) => ({ code: err.code ?? -1, stdout: err.stdout ?? '' }),
  );
  const report = JSON.parse(cli.stdout) as { valid: boolean; signatures: { chain: { trusted: boolean; reason?: string } }[] };

  const id = randomUUID();
  const uploadUrl = await tusUpload(central, pdf, { dossierId: id });
  const commit = await putCommit(central, id, makeCommit(id, [{ bytes: pdf, uploadUrl }]));
  return {
    counter: counter.ok,
    verifyCli: cli.code === 0 && report.valid && report.signatures[0]?.chain.trusted === true,
    central: commit.status === 200 || commit.status === 201,
    details: JSON.stringify({ counter: counter.problems, cli: report.signatures[0]?.chain, central: commit }),
  };
}

describe('one certificate policy at the counter, in motcua verify and at the central', () => {
  it('a CA signature with DigestInfo without NULL parameters: accepted by all three; SHA-1: refused by all three', async () => {
    const noNull = makeCertificate({ cn: 'Leaf DigestInfo no NULL', ca: false, issuer: root, hash: 'sha256', digestInfoNull: false, serial: '02' });
    const sha1 = makeCertificate({ cn: 'Leaf SHA-1', ca: false, issuer: root, hash: 'sha1', digestInfoNull: true, serial: '03' });

    const accepted = await threeVerdicts(noNull, 'no-null');
    expect(accepted, accepted.details).toMatchObject({ counter: true, verifyCli: true, central: true });

    const refused = await threeVerdicts(sha1, 'sha1');
    expect(refused, refused.details).toMatchObject({ counter: false, verifyCli: false, central: false });
    expect(refused.details).toContain('CENTRAL_SIGNATURE_INVALID');
    expect(refused.details).toContain('CERT_UNTRUSTED');
  }, 120_000);
});
