/** Trust anchors from files: PEM (one or many certificates) or DER, or a directory of them. */
import { X509Certificate } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const certificateExtensions = new Set(['.pem', '.crt', '.cer', '.der']);
const pemBlock = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** Every certificate in one file's bytes, as DER. Throws if the file holds none. */
export function certificatesFromBytes(bytes: Uint8Array, source: string): Uint8Array[] {
  const text = new TextDecoder('latin1').decode(bytes);
  const ders = text.includes('-----BEGIN CERTIFICATE-----')
    ? [...text.matchAll(pemBlock)].map((m) => new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')))
    : [bytes];
  if (ders.length === 0) throw new Error(`no certificate in ${source}`);
  for (const der of ders) {
    try {
      new X509Certificate(der);
    } catch (err) {
      throw new Error(`not a certificate: ${source} (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
  }
  return ders;
}

/** Loads each path: a certificate file, or a directory whose *.pem/*.crt/*.cer/*.der files are read. */
export async function loadTrustAnchors(paths: readonly string[]): Promise<Uint8Array[]> {
  const anchors: Uint8Array[] = [];
  for (const p of paths) {
    if ((await stat(p)).isDirectory()) {
      const names = (await readdir(p)).filter((n) => certificateExtensions.has(path.extname(n).toLowerCase())).sort();
      // A directory often holds the same root as .pem and .der: keep one copy of each.
      for (const name of names) anchors.push(...certificatesFromBytes(new Uint8Array(await readFile(path.join(p, name))), path.join(p, name)));
    } else {
      anchors.push(...certificatesFromBytes(new Uint8Array(await readFile(p)), p));
    }
  }
  const unique = new Map<string, Uint8Array>();
  for (const der of anchors) unique.set(Buffer.from(der).toString('base64'), der);
  return [...unique.values()];
}
