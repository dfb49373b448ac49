/** The hash functions signatures use, by OID and by name (one table for the whole CMS core). */
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { sha1 } from '@noble/hashes/legacy.js';
import type { HashName } from './signature-policy';

export const HASH_OIDS: Readonly<Record<HashName, string>> = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};

const functions = { sha1, sha256, sha384, sha512 } as const;

export function hashNameOf(oid: string): HashName | null {
  for (const [name, known] of Object.entries(HASH_OIDS)) if (known === oid) return name as HashName;
  return null;
}

/** The hash of the concatenation of `parts`. */
export function digestOf(name: HashName, ...parts: Uint8Array[]): Uint8Array {
  const h = functions[name].create();
  for (const part of parts) h.update(part);
  return h.digest();
}

export const hashLength = (name: HashName): number => functions[name].outputLen;

/** Constant-length byte equality. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
