/**
 * A generated test PKI for development and tests: a demo root CA, two counter signing certificates (one valid,
 * one already expired) and a clerk's personal certificate — the one Decree 118/2025 Art. 17.1.c asks to sign
 * digitized copies with — in PKCS#12 files. Never real CA keys; generated on demand, never committed.
 *
 * Node's RSA key generation is native (fast); node-forge builds the certificates and the PKCS#12 files.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';

export const DEMO_P12_PASSWORD = 'motcua-demo';

export const DEMO_ROOT_CN = 'Motcua Demo Root CA';
const DEMO_SIGNER_CN = 'Bộ phận Một cửa - Demo';
const DEMO_SIGNER_O = 'UBND xã Demo';
/** The demo clerk: a personal certificate names the person (CN) and where they work (O). */
export const DEMO_CLERK_CN = 'Nguyễn Văn Demo';

export interface DemoPki {
  readonly dir: string;
  readonly rootCaPemPath: string;
  readonly rootCaDerPath: string;
  /** Valid now-1d .. now+2y, keyUsage digitalSignature + nonRepudiation. */
  readonly counterSignerP12Path: string;
  /** Same issuer, validity entirely in the past: for CERT_EXPIRED tests. */
  readonly expiredSignerP12Path: string;
  /** The demo clerk's personal certificate, valid like the counter's. */
  readonly clerkSignerP12Path: string;
  readonly password: string;
  readonly rootDer: Uint8Array;
}

const FILES = {
  rootPem: 'root-ca.pem',
  rootDer: 'root-ca.der',
  counter: 'counter-signer.p12',
  expired: 'expired-signer.p12',
  clerk: 'clerk-personal.p12',
} as const;

const DAY_MS = 86_400_000;

export async function ensureDemoPki(dir: string): Promise<DemoPki> {
  const pki = describe(dir);
  const present = await Promise.all([pki.rootCaPemPath, pki.rootCaDerPath, pki.counterSignerP12Path, pki.expiredSignerP12Path, pki.clerkSignerP12Path].map(exists));
  if (present.every(Boolean)) {
    return { ...pki, rootDer: new Uint8Array(await readFile(pki.rootCaDerPath)) };
  }
  // Something is missing: issue a whole new set, so the p12 files always chain to the root on disk.
  await mkdir(dir, { recursive: true });
  const generated = generateDemoPki(new Date());
  // p12 files first, the root last: a reader that sees the root sees a complete set.
  await writeAtomically(pki.counterSignerP12Path, generated.counterP12);
  await writeAtomically(pki.expiredSignerP12Path, generated.expiredP12);
  await writeAtomically(pki.clerkSignerP12Path, generated.clerkP12);
  await writeAtomically(pki.rootCaPemPath, new TextEncoder().encode(generated.rootPem));
  await writeAtomically(pki.rootCaDerPath, generated.rootDer);
  return { ...pki, rootDer: generated.rootDer };
}

function describe(dir: string): Omit<DemoPki, 'rootDer'> {
  return {
    dir,
    rootCaPemPath: path.join(dir, FILES.rootPem),
    rootCaDerPath: path.join(dir, FILES.rootDer),
    counterSignerP12Path: path.join(dir, FILES.counter),
    expiredSignerP12Path: path.join(dir, FILES.expired),
    clerkSignerP12Path: path.join(dir, FILES.clerk),
    password: DEMO_P12_PASSWORD,
  };
}

interface GeneratedPki {
  rootPem: string;
  rootDer: Uint8Array;
  counterP12: Uint8Array;
  expiredP12: Uint8Array;
  clerkP12: Uint8Array;
}

function generateDemoPki(now: Date): GeneratedPki {
  const rootKeys = newRsaKeyPair();
  const rootName: forge.pki.CertificateField[] = [
    { shortName: 'C', value: 'VN' },
    utf8Field('O', 'Motcua Demo'),
    utf8Field('CN', DEMO_ROOT_CN),
  ];
  const root = forge.pki.createCertificate();
  root.publicKey = rootKeys.publicKey;
  root.serialNumber = randomSerialHex();
  root.validity.notBefore = new Date(now.getTime() - DAY_MS);
  root.validity.notAfter = new Date(now.getTime() + 10 * 365 * DAY_MS);
  root.setSubject(rootName);
  root.setIssuer(rootName);
  root.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  root.sign(rootKeys.privateKey, forge.md.sha256.create());
  const rootSki = root.generateSubjectKeyIdentifier().getBytes();

  const issueSigner = (notBefore: Date, notAfter: Date, commonName = DEMO_SIGNER_CN): Uint8Array => {
    const keys = newRsaKeyPair();
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = randomSerialHex();
    cert.validity.notBefore = notBefore;
    cert.validity.notAfter = notAfter;
    cert.setSubject([
      { shortName: 'C', value: 'VN' },
      utf8Field('O', DEMO_SIGNER_O),
      utf8Field('CN', commonName),
    ]);
    cert.setIssuer(rootName);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
      // forge's `keyIdentifier: true` would use the subject's own key: pass the issuer's SKI explicitly.
      { name: 'authorityKeyIdentifier', keyIdentifier: rootSki },
      { name: 'subjectKeyIdentifier' },
    ]);
    cert.sign(rootKeys.privateKey, forge.md.sha256.create());
    return buildPkcs12(keys.privateKey, [cert, root], DEMO_P12_PASSWORD, 'counter signer');
  };

  const rootDer = binaryToBytes(forge.asn1.toDer(forge.pki.certificateToAsn1(root)).getBytes());
  return {
    rootPem: forge.pki.certificateToPem(root),
    rootDer,
    counterP12: issueSigner(new Date(now.getTime() - DAY_MS), new Date(now.getTime() + 2 * 365 * DAY_MS)),
    expiredP12: issueSigner(new Date(now.getTime() - 3 * 365 * DAY_MS), new Date(now.getTime() - 365 * DAY_MS)),
    clerkP12: issueSigner(new Date(now.getTime() - DAY_MS), new Date(now.getTime() + 2 * 365 * DAY_MS), DEMO_CLERK_CN),
  };
}

/** A name attribute written as UTF8String (forge's types only allow asn1.Class there, but it takes the tag). */
function utf8Field(shortName: string, value: string): forge.pki.CertificateField {
  return { shortName, value, valueTagClass: forge.asn1.Type.UTF8 as number };
}

function newRsaKeyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

/** Positive 16-byte serial (high bit clear, not starting with a zero byte). */
function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 1) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

/**
 * PKCS#12 with the key encrypted by PBES2 (AES-256-CBC, PBKDF2-HMAC-SHA256) and an HMAC-SHA256 MAC.
 * forge can only write a SHA-1 MAC, so it writes none and we add the SHA-256 MacData (RFC 7292 §5, B.2).
 */
function buildPkcs12(key: forge.pki.rsa.PrivateKey, chain: forge.pki.Certificate[], password: string, friendlyName: string): Uint8Array {
  const pfx = forge.pkcs12.toPkcs12Asn1(key, chain, password, {
    algorithm: 'aes256',
    prfAlgorithm: 'sha256',
    count: 2048,
    useMac: false,
    friendlyName,
  } as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3]);
  const asn1 = forge.asn1;
  // PFX ::= SEQUENCE { version, authSafe ContentInfo { data, [0] EXPLICIT OCTET STRING }, macData }
  const authSafe = (pfx.value as forge.asn1.Asn1[])[1];
  const explicit = (authSafe?.value as forge.asn1.Asn1[] | undefined)?.[1];
  const octets = (explicit?.value as forge.asn1.Asn1[] | undefined)?.[0];
  if (!octets || typeof octets.value !== 'string') throw new Error('Unexpected PKCS#12 structure from forge');
  const macSalt = forge.random.getBytesSync(16);
  const iterations = 2048;
  const sha256 = forge.md.sha256.create();
  const macKey = forge.pkcs12.generateKey(password, forge.util.createBuffer(macSalt), 3, iterations, 32, sha256);
  const hmac = forge.hmac.create();
  hmac.start(forge.md.sha256.create(), macKey.getBytes());
  hmac.update(octets.value);
  const macData = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(forge.pki.oids.sha256 ?? '2.16.840.1.101.3.4.2.1').getBytes()),
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
      ]),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, hmac.digest().getBytes()),
    ]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, macSalt),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(iterations).getBytes()),
  ]);
  (pfx.value as forge.asn1.Asn1[]).push(macData);
  return binaryToBytes(asn1.toDer(pfx).getBytes());
}

function binaryToBytes(binary: string): Uint8Array {
  return Uint8Array.from(Buffer.from(binary, 'binary'));
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, bytes, { mode: 0o600 });
  await rename(temp, file);
}
