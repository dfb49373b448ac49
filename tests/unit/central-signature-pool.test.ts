/**
 * The central's signature checks in worker threads (central/src/signatures/pool.ts, issue 19 item 3): the same
 * verdicts as the shared verifier on the calling thread — a good signature, an altered file, an unsigned one,
 * bytes that are no PDF (the same error message) — checks side by side up to the pool's size, and a worker that
 * dies fails its own check as "unavailable" (the central's fault, not the file's), then is replaced.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SignatureCheckPool, SignatureCheckUnavailable } from '../../central/src/signatures/pool';
import { certificatesFromBytes } from '../../central/src/trust';
import { verifyPdfSignatures } from '../../shared/pdf/verify-pdf';
import { makePdf, makeSignedPdf } from '../support/central-process';
import { getTestPki } from '../support/pki';

async function trustAnchors(): Promise<Uint8Array[]> {
  const pki = await getTestPki();
  return certificatesFromBytes(new Uint8Array(await readFile(pki.rootCaPemPath)), pki.rootCaPemPath);
}

/** What the commit reads of a verdict (commit.ts `receiveFile`). */
function verdictOf(check: { valid: boolean; signatures: ReadonlyArray<{ problems: readonly string[] }>; problems?: readonly string[] }) {
  return { valid: check.valid, signatures: check.signatures.map((s) => [...s.problems]), problems: [...(check.problems ?? [])] };
}

const pools: SignatureCheckPool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close();
});

describe('SignatureCheckPool', () => {
  it('gives the verdicts the verifier gives on the calling thread', { timeout: 60_000 }, async () => {
    const anchors = await trustAnchors();
    const pool = new SignatureCheckPool({ size: 2, trustAnchorsDer: anchors });
    pools.push(pool);
    const signed = await makeSignedPdf({ paddingBytes: 50_000 });
    const altered = new Uint8Array(signed);
    const at = Math.floor(altered.byteLength / 4);
    altered[at] = (altered[at] ?? 0) ^ 0xff;
    const unsigned = await makePdf({ text: 'Khong ky' });

    for (const pdf of [signed, altered, unsigned]) {
      const here = verifyPdfSignatures(pdf, { trustAnchorsDer: anchors });
      expect(verdictOf(await pool.verify(pdf))).toEqual(verdictOf(here));
    }
    expect((await pool.verify(signed)).valid).toBe(true);
    expect((await pool.verify(altered)).valid).toBe(false);

    // Bytes that are no PDF: the verifier throws, and the pool rejects with the same message.
    const garbage = new TextEncoder().encode('not a pdf at all');
    let thrownHere = '';
    try {
      verifyPdfSignatures(garbage, { trustAnchorsDer: anchors });
    } catch (err) {
      thrownHere = err instanceof Error ? err.message : String(err);
    }
    await expect(pool.verify(garbage)).rejects.toThrow(thrownHere || 'expected the verifier to throw');
    // The caller's bytes stay whole (the worker got a copy).
    expect(signed.byteLength).toBeGreaterThan(50_000);
  });

  it('runs checks side by side up to its size, the rest waiting their turn', { timeout: 60_000 }, async () => {
    const pool = new SignatureCheckPool({ size: 2, trustAnchorsDer: await trustAnchors() });
    pools.push(pool);
    const pdf = await makeSignedPdf({ paddingBytes: 2_000_000 });
    const checks = [pool.verify(pdf), pool.verify(pdf), pool.verify(pdf)];
    expect(pool.busy).toBe(2);
    const verdicts = await Promise.all(checks);
    expect(verdicts.map((v) => v.valid)).toEqual([true, true, true]);
    expect(pool.busy).toBe(0);
  });

  it('fails the check of a worker that died as unavailable, and replaces the worker', { timeout: 60_000 }, async () => {
    // The real worker, behind a listener that ends the thread when it is sent a one-byte file.
    const here = import.meta.url;
    const tsx = createRequire(here).resolve('tsx/cjs/api');
    const worker = fileURLToPath(new URL('../../central/src/signatures/worker.ts', here));
    const entry = `require(${JSON.stringify(tsx)}).register();
      require('node:worker_threads').parentPort.on('message', (m) => { if (m.request.pdf.byteLength === 1) process.exit(3); });
      require(${JSON.stringify(worker)});`;
    const pool = new SignatureCheckPool({ size: 1, trustAnchorsDer: await trustAnchors(), workerStart: { entry, eval: true } });
    pools.push(pool);
    const pdf = await makeSignedPdf();

    const died = pool.verify(new Uint8Array([0x25]));
    const next = pool.verify(pdf);
    await expect(died).rejects.toBeInstanceOf(SignatureCheckUnavailable);
    expect((await next).valid).toBe(true);
  });

  it('refuses checks once closed', async () => {
    const pool = new SignatureCheckPool({ size: 1, trustAnchorsDer: [] });
    await pool.close();
    await expect(pool.verify(new Uint8Array([1]))).rejects.toBeInstanceOf(SignatureCheckUnavailable);
  });
});
