/**
 * The counter's signing key from a PKCS#12 file, held in Electron main. The renderer sends a SHA-256
 * digest and gets a signature back; the private key never leaves this object and the password is not kept.
 * RSA files node-forge reads (legacy 3DES/RC2 bags included) are opened with node-forge; EC keys (and
 * anything else forge refuses) through pkijs (pkcs12-pkijs.ts) and signed with ECDSA (@noble/curves).
 */
import { createPrivateKey, createPublicKey, privateEncrypt, constants, type KeyObject } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { readFile } from 'node:fs/promises';
import forge from 'node-forge';
import { AppError } from '../../../shared/errors';
import type { CertificateSummary, DigestSignature, SignerStatus } from '../../../shared/ipc/contract';
import { certificateSummary, orderCertificateChain, readCertificate, type CertificateInfo } from '../../../shared/cms/certificate';
import { checkSigningCertificate } from '../../../shared/cms/certificate-checks';
import type { DigestSigner } from '../../../shared/cms/pades';
import { tryParseX509 } from '../../../shared/cms/x509';
import { fromBase64 } from '../../../shared/util/bytes';
import { Pkcs12IntegrityError, readPkcs12WithPkijs } from './pkcs12-pkijs';

export interface Pkcs12KeyStoreOptions {
  readonly path: string;
  /** Shown in the UI ("Tệp chữ ký số của quầy 1"). */
  readonly label: string;
  /** Clock for certificate validity checks (tests). */
  readonly now?: () => Date;
}

interface Unlocked {
  readonly key: KeyObject;
  /** The EC private scalar and curve, for ECDSA over the given digest (node's sign() would hash it again). */
  readonly ec: { readonly curve: 'P-256' | 'P-384' | 'P-521'; readonly scalar: Uint8Array } | null;
  readonly chainDer: readonly Uint8Array[];
  readonly signer: CertificateInfo;
  readonly summary: CertificateSummary;
}

/** DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1): SEQUENCE { AlgorithmIdentifier sha256 NULL, OCTET STRING(32) }. */
const SHA256_DIGEST_INFO_PREFIX = Uint8Array.from([0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]);

export class Pkcs12KeyStore implements DigestSigner {
  readonly #path: string;
  readonly #label: string;
  readonly #now: () => Date;
  #unlocked: Unlocked | null = null;

  constructor(opts: Pkcs12KeyStoreOptions) {
    this.#path = opts.path;
    this.#label = opts.label;
    this.#now = opts.now ?? (() => new Date());
  }

  status(): SignerStatus {
    return this.#unlocked
      ? { state: 'unlocked', keystoreLabel: this.#label, certificate: this.#unlocked.summary }
      : { state: 'locked', keystoreLabel: this.#label };
  }

  async unlock(password: string): Promise<SignerStatus> {
    let fileBytes: Uint8Array;
    try {
      fileBytes = await readFile(this.#path);
    } catch (err) {
      throw new AppError('SIGNER_KEYSTORE_MISSING', { path: this.#path }, { cause: err });
    }
    const opened = await openPkcs12File(fileBytes, password);
    checkSigningCertificate(opened.signer, this.#now());
    this.#unlocked = opened;
    return this.status();
  }

  lock(): SignerStatus {
    this.#unlocked = null;
    return this.status();
  }

  get chainDer(): readonly Uint8Array[] {
    if (!this.#unlocked) throw new AppError('SIGNER_LOCKED');
    return this.#unlocked.chainDer;
  }

  /** RSASSA-PKCS1-v1_5 (RSA keys) or ECDSA (EC keys) over a precomputed SHA-256 digest. */
  signDigest(digest: Uint8Array): Promise<DigestSignature> {
    const unlocked = this.#unlocked;
    if (!unlocked) return Promise.reject(new AppError('SIGNER_LOCKED'));
    if (digest.length !== 32) return Promise.reject(new Error('A SHA-256 digest is 32 bytes'));
    try {
      // Re-checked at every signature: the app may stay unlocked across the expiry date.
      checkSigningCertificate(unlocked.signer, this.#now());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    if (unlocked.ec) {
      const curve = unlocked.ec.curve === 'P-256' ? p256 : unlocked.ec.curve === 'P-384' ? p384 : p521;
      const signature = curve.sign(digest, unlocked.ec.scalar, { prehash: false, format: 'der' });
      return Promise.resolve({ signature, algorithm: 'ecdsa-sha256' });
    }
    const digestInfo = new Uint8Array(SHA256_DIGEST_INFO_PREFIX.length + 32);
    digestInfo.set(SHA256_DIGEST_INFO_PREFIX);
    digestInfo.set(digest, SHA256_DIGEST_INFO_PREFIX.length);
    // "Encrypting" with the private key and PKCS#1 type-1 padding is exactly EMSA-PKCS1-v1_5 signing.
    const signature = privateEncrypt({ key: unlocked.key, padding: constants.RSA_PKCS1_PADDING }, digestInfo);
    return Promise.resolve({ signature: new Uint8Array(signature), algorithm: 'rsa-pkcs1-v1_5-sha256' });
  }
}

/** node-forge first (RSA, legacy encryptions); pkijs for what forge refuses (EC keys). */
async function openPkcs12File(fileBytes: Uint8Array, password: string): Promise<Unlocked> {
  try {
    return openPkcs12(fileBytes, password);
  } catch (forgeError) {
    if (forgeError instanceof AppError && forgeError.code === 'SIGNER_WRONG_PASSWORD') throw forgeError;
    let contents: Awaited<ReturnType<typeof readPkcs12WithPkijs>>;
    try {
      contents = await readPkcs12WithPkijs(fileBytes, password);
    } catch (err) {
      if (err instanceof Pkcs12IntegrityError) throw new AppError('SIGNER_WRONG_PASSWORD', {}, { cause: err });
      throw forgeError; // neither library reads it: forge's diagnosis stands
    }
    return openWithKeys(contents.keysPkcs8, contents.certificatesDer);
  }
}

/** The first key with a certificate for it, the chain ordered signer first. */
function openWithKeys(keysPkcs8: readonly Uint8Array[], certificatesDer: readonly Uint8Array[]): Unlocked {
  for (const pkcs8 of keysPkcs8) {
    const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
    const spki = new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' }));
    const leafDer = certificatesDer.find((der) => sameBytes(spkiOf(der), spki));
    if (!leafDer) continue;
    const chainDer = orderCertificateChain(leafDer, certificatesDer.filter((der) => der !== leafDer));
    const signer = readCertificate(leafDer);
    const jwk = key.export({ format: 'jwk' });
    const ec: Unlocked['ec'] = key.asymmetricKeyType === 'ec' && (jwk.crv === 'P-256' || jwk.crv === 'P-384' || jwk.crv === 'P-521') && jwk.d ? { curve: jwk.crv, scalar: fromBase64Url(jwk.d) } : null;
    if (key.asymmetricKeyType === 'ec' && !ec) throw new AppError('SIGNER_NO_KEY', { reason: `unsupported curve ${String(jwk.crv)}` });
    if (key.asymmetricKeyType !== 'ec' && key.asymmetricKeyType !== 'rsa') throw new AppError('SIGNER_NO_KEY', { reason: `unsupported key type ${String(key.asymmetricKeyType)}` });
    return { key, ec, chainDer, signer, summary: certificateSummary(signer, chainDer, ec ? 'ec' : 'rsa') };
  }
  throw new AppError('SIGNER_NO_KEY', { reason: 'no certificate for the key' });
}

function spkiOf(certDer: Uint8Array): Uint8Array {
  return tryParseX509(certDer)?.spkiDer ?? new Uint8Array();
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
const fromBase64Url = (text: string): Uint8Array => fromBase64(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '='));

function openPkcs12(fileBytes: Uint8Array, password: string): Unlocked {
  let p12Asn1: forge.asn1.Asn1;
  try {
    p12Asn1 = forge.asn1.fromDer(forge.util.binary.raw.encode(fileBytes));
  } catch (err) {
    throw new AppError('SIGNER_KEYSTORE_CORRUPT', {}, { cause: err });
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(p12Asn1, false, password);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // forge: "PKCS#12 MAC could not be verified. Invalid password?"; without a MAC a wrong password shows
    // up as a failed decryption of the key bag.
    if (/MAC could not be verified|Invalid password|decrypt/i.test(message)) throw new AppError('SIGNER_WRONG_PASSWORD', {}, { cause: err });
    if (/not RSA|Unknown OID|Unsupported/i.test(message)) throw new AppError('SIGNER_NO_KEY', { reason: message }, { cause: err });
    throw new AppError('SIGNER_KEYSTORE_CORRUPT', {}, { cause: err });
  }

  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag ?? '1.2.840.113549.1.12.10.1.2' })[forge.pki.oids.pkcs8ShroudedKeyBag ?? ''] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag ?? '1.2.840.113549.1.12.10.1.1' })[forge.pki.oids.keyBag ?? ''] ?? []),
  ];
  const keyBag = keyBags.find((bag) => bag.key);
  if (!keyBag?.key) throw new AppError('SIGNER_NO_KEY');
  const forgeKey = keyBag.key;

  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag ?? '1.2.840.113549.1.12.10.1.3' })[forge.pki.oids.certBag ?? ''] ?? [];
  const certs = certBags.flatMap((bag) => (bag.cert ? [bag.cert] : []));
  // The signer certificate is the one holding the key's public modulus, not necessarily the first bag.
  const leaf = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.equals(forgeKey.n) === true && pub.e?.equals(forgeKey.e) === true;
  });
  if (!leaf) throw new AppError('SIGNER_NO_KEY', { reason: 'no certificate for the key' });

  const toDer = (c: forge.pki.Certificate): Uint8Array => forge.util.binary.raw.decode(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes());
  const chainDer = orderCertificateChain(toDer(leaf), certs.filter((c) => c !== leaf).map(toDer));
  const [leafDer] = chainDer;
  if (!leafDer) throw new AppError('SIGNER_NO_KEY');
  const signer = readCertificate(leafDer);

  const key = createPrivateKey({ key: forge.pki.privateKeyToPem(forgeKey), format: 'pem' });
  return {
    key,
    ec: null,
    chainDer,
    signer,
    summary: certificateSummary(signer, chainDer, 'rsa'),
  };
}



