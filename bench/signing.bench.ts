/**
 * What does signing a dossier PDF cost beside hashing it? For 1, 10 and 50 MB PDFs (pages of
 * incompressible JPEG-like image streams, like scanned pages) this measures, in the same run:
 *   - `sha256sum <file>` (the anchor: a whole process reading and hashing the file),
 *   - SHA-256 of the bytes in process (node:crypto),
 *   - signPdf with the demo PKCS#12 key,
 *   - signPdf with an RSA key on a SoftHSM2 token (the PKCS#11 path, worker thread included),
 * and prints median and p95, and "signing − sha256sum" against the goal: signing ≤ hashing + 100 ms.
 *
 * Run: npm run bench:signing   (tsx bench/signing.bench.ts [--reps N] [--sizes 1,10,50])
 * The PDFs are cached in bench/.cache; results are also written to bench/results/.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PDFDocument, PDFName } from 'pdf-lib';
import { signPdf } from '../shared/pdf/sign-pdf';
import type { Sha256Digest } from '../shared/util/bytes';
import type { DigestSigner } from '../shared/cms/pades';
import { ensureDemoPki } from '../electron/services/signing/demo-pki';
import { Pkcs12KeyStore } from '../electron/services/signing/pkcs12-keystore';
import { Pkcs11KeyStore } from '../electron/services/signing/pkcs11-keystore';
import { createTestCa } from '../tests/support/test-ca';
import { createSoftHsmToken } from '../tests/support/softhsm';

const run = promisify(execFile);
const benchDir = fileURLToPath(new URL('.', import.meta.url));
const cacheDir = join(benchDir, '.cache');
const resultsDir = join(benchDir, 'results');
const GOAL_MS = 100;

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}
const repetitions = Number(option('reps', '9'));
const sizesMb = option('sizes', '1,10,50').split(',').map(Number);
if (!Number.isInteger(repetitions) || repetitions < 1 || sizesMb.some((s) => !(s > 0))) throw new Error('usage: --reps N --sizes 1,10,50');

const nativeDigest: Sha256Digest = (parts) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return Promise.resolve(new Uint8Array(hash.digest()));
};

/** Deterministic incompressible bytes (xorshift32) that start like a JPEG, so the PDF is as big as it looks. */
function jpegLike(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
    out[i + 1] = (x >>> 8) & 0xff;
    out[i + 2] = (x >>> 16) & 0xff;
    out[i + 3] = (x >>> 24) & 0xff;
  }
  out.set([0xff, 0xd8, 0xff, 0xe0]);
  out.set([0xff, 0xd9], size - 2);
  return out;
}

/** A PDF of A4 pages, one ~700 KB image stream each (a 200 dpi colour scan), until `mb` megabytes. */
async function cachedPdf(mb: number): Promise<string> {
  const file = join(cacheDir, `signing-${mb}MB.pdf`);
  if (await stat(file).catch(() => null)) return file;
  await mkdir(cacheDir, { recursive: true });
  const doc = await PDFDocument.create();
  const pageImage = 700 * 1024;
  const target = mb * 1024 * 1024;
  for (let n = 0, total = 0; total < target; n++) {
    const size = Math.min(pageImage, Math.max(4096, target - total));
    const image = doc.context.register(
      doc.context.stream(jpegLike(size, 1000 + n), { Type: 'XObject', Subtype: 'Image', Width: 1654, Height: 2339, ColorSpace: 'DeviceRGB', BitsPerComponent: 8, Filter: 'DCTDecode' }),
    );
    const page = doc.addPage([595.28, 841.89]);
    page.node.setXObject(PDFName.of('Scan'), image);
    const content = doc.context.register(doc.context.stream('q 595.28 0 0 841.89 0 0 cm /Scan Do Q'));
    page.node.set(PDFName.of('Contents'), content);
    total += size;
  }
  await writeFile(file, await doc.save({ useObjectStreams: false }));
  return file;
}

interface Stats {
  median: number;
  p95: number;
  min: number;
}

function stats(times: number[]): Stats {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { median: at(0.5), p95: at(0.95), min: sorted[0] ?? NaN };
}

interface Measured extends Stats {
  /** 1-minute load average when the step ended: the machine is shared, so every figure carries it. */
  load: number;
}

async function measure(fn: () => Promise<unknown>): Promise<Measured> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return { ...stats(times), load: loadavg()[0] ?? NaN };
}

const fmt = (n: number): string => n.toFixed(1);

async function main(): Promise<void> {
  const pki = await ensureDemoPki(join(cacheDir, 'demo-pki'));
  const p12 = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'bench p12' });
  await p12.unlock(pki.password);

  const ca = await createTestCa();
  const cert = await ca.issue({ commonName: 'Bench SoftHSM RSA', keyType: 'rsa' });
  const token = await createSoftHsmToken({ label: 'bench', userPin: '123456', soPin: '654321', keys: [{ label: 'rsa', id: '01', keyPath: cert.keyPath, certDer: cert.certDer }] });
  process.env.SOFTHSM2_CONF = token.env.SOFTHSM2_CONF;
  const hsm = new Pkcs11KeyStore({ library: token.library, tokenLabel: 'bench', keyLabel: 'rsa', label: 'bench softhsm' });
  await hsm.unlock('123456');

  const lines: string[] = [];
  const say = (line: string): void => {
    console.log(line);
    lines.push(line);
  };
  say(`signing bench — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  say(`${repetitions} repetitions after one warm-up; times in ms`);
  say('');
  say('| PDF | step | median | p95 | min | load | signing − sha256sum (median) | goal ≤ 100 ms |');
  say('|---|---|---:|---:|---:|---:|---:|---|');
  try {
    for (const mb of sizesMb) {
      const file = await cachedPdf(mb);
      const bytes = new Uint8Array(await readFile(file));
      const label = `${mb} MB (${(bytes.length / 2 ** 20).toFixed(1)} MiB)`;
      const sum = await measure(() => run('sha256sum', [file]));
      const inProcess = await measure(() => Promise.resolve(createHash('sha256').update(bytes).digest()));
      const sign = (signer: DigestSigner) => () => signPdf(bytes, signer, { reason: 'bench', location: '', signerName: 'bench', signingTime: new Date(), digest: nativeDigest });
      const withP12 = await measure(sign(p12));
      const withHsm = await measure(sign(hsm));
      say(`| ${label} | \`sha256sum\` (anchor) | ${fmt(sum.median)} | ${fmt(sum.p95)} | ${fmt(sum.min)} | ${fmt(sum.load)} | — | — |`);
      say(`| ${label} | SHA-256 in process (node:crypto) | ${fmt(inProcess.median)} | ${fmt(inProcess.p95)} | ${fmt(inProcess.min)} | ${fmt(inProcess.load)} | — | — |`);
      for (const [name, s] of [['signPdf, PKCS#12 (RSA 2048)', withP12], ['signPdf, SoftHSM2 (RSA 2048)', withHsm]] as const) {
        const over = s.median - sum.median;
        say(`| ${label} | ${name} | ${fmt(s.median)} | ${fmt(s.p95)} | ${fmt(s.min)} | ${fmt(s.load)} | ${fmt(over)} | ${over <= GOAL_MS ? 'met' : 'NOT met'} |`);
      }
    }
  } finally {
    await hsm.lock();
    p12.lock();
    await token.cleanup();
    await rm(ca.dir, { recursive: true, force: true });
  }
  await mkdir(resultsDir, { recursive: true });
  const out = join(resultsDir, `signing-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
  await writeFile(out, lines.join('\n') + '\n');
  console.log(`\nwritten to ${out}`);
}

await main();
