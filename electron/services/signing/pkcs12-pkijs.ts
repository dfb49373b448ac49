/**
 * PKCS#12 files read with pkijs (the CMS core's library): what node-forge cannot open — EC keys (P-256,
 * P-384, P-521) in OpenSSL 3's default format (PBES2 / PBKDF2 / AES, HMAC-SHA-256 MAC). The password
 * derivations and AES run on Node's WebCrypto, through pkijs. Legacy RSA files (3DES/RC2 bags, which
 * WebCrypto cannot decrypt) stay with node-forge in pkcs12-keystore.ts.
 */
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import { CertBag, CryptoEngine, PFX, PKCS8ShroudedKeyBag, PrivateKeyInfo, type SafeContents } from 'pkijs';

const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const ENCRYPTED_DATA = '1.2.840.113549.1.7.6';

export interface Pkcs12Contents {
  /** PKCS#8 PrivateKeyInfo DER of each key. */
  readonly keysPkcs8: readonly Uint8Array[];
  /** DER of each X.509 certificate, as stored. */
  readonly certificatesDer: readonly Uint8Array[];
}

/** Thrown when the MAC does not verify: a wrong password (or a damaged file). */
export class Pkcs12IntegrityError extends Error {}

export async function readPkcs12WithPkijs(fileBytes: Uint8Array, password: string): Promise<Pkcs12Contents> {
  const crypto = new CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto });
  const passwordBytes = new TextEncoder().encode(password);
  const pfx = PFX.fromBER(new Uint8Array(fileBytes));
  try {
    await pfx.parseInternalValues({ password: passwordBytes.buffer, checkIntegrity: true }, crypto);
  } catch (err) {
    if (err instanceof Error && /Integrity/i.test(err.message)) throw new Pkcs12IntegrityError(err.message, { cause: err });
    throw err;
  }
  const parsed = pfx.parsedValue as { authenticatedSafe?: { safeContents: { contentType: string }[]; parseInternalValues: (p: unknown, c: CryptoEngine) => Promise<void>; parsedValue: { safeContents: { value: SafeContents }[] } } } | undefined;
  const safe = parsed?.authenticatedSafe;
  if (!safe) throw new Error('no authenticated safe');
  await safe.parseInternalValues({ safeContents: safe.safeContents.map((c) => (c.contentType === ENCRYPTED_DATA ? { password: passwordBytes.buffer } : {})) }, crypto);

  const keysPkcs8: Uint8Array[] = [];
  const certificatesDer: Uint8Array[] = [];
  for (const { value } of safe.parsedValue.safeContents) {
    for (const bag of value.safeBags) {
      const bagValue: unknown = bag.bagValue;
      if (bag.bagId === SHROUDED_KEY_BAG && bagValue instanceof PKCS8ShroudedKeyBag) {
        // Public at run time (AuthenticatedSafe calls it the same way); only its typing says protected.
        const decryptable = bagValue as unknown as { parseInternalValues(p: { password: ArrayBuffer }, c: CryptoEngine): Promise<void> };
        await decryptable.parseInternalValues({ password: passwordBytes.buffer }, crypto);
        if (bagValue.parsedValue) keysPkcs8.push(new Uint8Array(bagValue.parsedValue.toSchema().toBER()));
      } else if (bag.bagId === KEY_BAG && bagValue instanceof PrivateKeyInfo) {
        keysPkcs8.push(new Uint8Array(bagValue.toSchema().toBER()));
      } else if (bag.bagId === CERT_BAG && bagValue instanceof CertBag && bagValue.certValue instanceof asn1js.OctetString) {
        certificatesDer.push(bagValue.certValue.valueBlock.valueHexView.slice());
      }
    }
  }
  return { keysPkcs8, certificatesDer };
}
