/**
 * Signs one cached bench PDF a few times with the demo PKCS#12 key and prints each time: a small target
 * for `node --cpu-prof` / `--trace-gc` when signing.bench.ts shows a cost to explain.
 * Run: node --import tsx bench/sign-once.ts [--mb 50] [--reps 5]   (after npm run bench:signing made the PDF)
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { signPdf } from '../shared/pdf/sign-pdf';
import type { Sha256Digest } from '../shared/util/bytes';
import { ensureDemoPki } from '../electron/services/signing/demo-pki';
import { Pkcs12KeyStore } from '../electron/services/signing/pkcs12-keystore';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}
const cacheDir = join(fileURLToPath(new URL('.', import.meta.url)), '.cache');
const nativeDigest: Sha256Digest = (parts) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return Promise.resolve(new Uint8Array(hash.digest()));
};

const pki = await ensureDemoPki(join(cacheDir, 'demo-pki'));
const p12 = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'sign-once' });
await p12.unlock(pki.password);
const bytes = new Uint8Array(await readFile(join(cacheDir, `signing-${option('mb', '50')}MB.pdf`)));
for (let i = 0; i < Number(option('reps', '5')); i++) {
  const start = performance.now();
  await signPdf(bytes, p12, { reason: 'bench', location: '', signerName: 'bench', signingTime: new Date(), digest: nativeDigest });
  console.log(`sign ${(performance.now() - start).toFixed(1)} ms, load ${loadavg()[0]?.toFixed(2)}`);
}
p12.lock();
