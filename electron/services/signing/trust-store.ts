/**
 * Trust anchors: the root certificates a deployment trusts (the national root, the Government Cipher
 * Committee roots; the central will deliver them as data later). Loaded from PEM/DER files — one file or a
 * configured directory — for the certificate checks before signing and for `motcua verify --trust`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readCertificateDetails } from '../../../shared/cms/certificate-checks';
import { sha256Hex } from '../../../shared/util/bytes';

const CERTIFICATE_FILE = /\.(pem|crt|cer|der)$/i;

/** Certificates (DER) from a PEM/DER file, or from every .pem/.crt/.cer/.der file in a directory. Throws if the path cannot be read. */
export async function loadCertificates(fileOrDir: string): Promise<Uint8Array[]> {
  const info = await stat(fileOrDir);
  if (info.isDirectory()) {
    const names = (await readdir(fileOrDir)).filter((n) => CERTIFICATE_FILE.test(n)).sort();
    const all = await Promise.all(names.map((n) => loadCertificateFile(path.join(fileOrDir, n))));
    return all.flat();
  }
  return loadCertificateFile(fileOrDir);
}

async function loadCertificateFile(file: string): Promise<Uint8Array[]> {
  const bytes = await readFile(file);
  const text = bytes.toString('latin1');
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) return text.includes('-----BEGIN') ? [] : [new Uint8Array(bytes)];
  return blocks.map((m) => new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')));
}

export interface TrustAnchors {
  /** Distinct, readable certificates, in file-name order. */
  readonly anchorsDer: readonly Uint8Array[];
  readonly subjects: readonly string[];
  /** Files (or blocks) that were not certificates, so IT can see why a root is missing. */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

/**
 * The trust anchors in a configured directory. A file that is not a certificate is skipped and listed, so
 * one bad file does not disable signing; a directory that cannot be read yields no anchors (every
 * chain is then untrusted, which the checks report as CERT_UNTRUSTED).
 */
export async function loadTrustAnchors(dir: string): Promise<TrustAnchors> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => CERTIFICATE_FILE.test(n)).sort();
  } catch (err) {
    return { anchorsDer: [], subjects: [], skipped: [{ file: dir, reason: err instanceof Error ? err.message : String(err) }] };
  }
  const anchorsDer: Uint8Array[] = [];
  const subjects: string[] = [];
  const skipped: { file: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const file = path.join(dir, name);
    let certificates: Uint8Array[];
    try {
      certificates = await loadCertificateFile(file);
    } catch (err) {
      skipped.push({ file, reason: err instanceof Error ? err.message : String(err) });
      continue;
    }
    if (certificates.length === 0) skipped.push({ file, reason: 'no certificate in the file' });
    for (const der of certificates) {
      try {
        const details = readCertificateDetails(der);
        const key = sha256Hex(der);
        if (seen.has(key)) continue;
        seen.add(key);
        anchorsDer.push(der);
        subjects.push(details.info.subject);
      } catch {
        skipped.push({ file, reason: 'not a readable X.509 certificate' });
      }
    }
  }
  return { anchorsDer, subjects, skipped };
}
