/**
 * Dossiers for the counter to accept: real PAdES-signed PDFs made in Node with the test PKI (the shared
 * signer), written where the gateway serves them, described as the counter page's seed specs.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../../../shared/util/bytes';
import { makeSignedPdf } from '../../support/central-process';
import type { SeedSpec } from './counter';
import type { Rng } from './rng';

export interface FixtureFile {
  readonly sha256: string;
  readonly size: number;
  readonly name: string;
}

export interface FixtureDossier {
  readonly spec: SeedSpec;
  readonly files: readonly FixtureFile[];
}

export interface FixtureOptions {
  /** Folder the gateway serves at `/fixtures/`. */
  readonly dir: string;
  /** Bytes of random padding of the large component: [min, max]. */
  readonly largeBytes: readonly [number, number];
}

let sequence = 0;

/** One dossier of two components: a small application form and a larger scanned copy. */
export async function makeFixtureDossier(rng: Rng, opts: FixtureOptions): Promise<FixtureDossier> {
  await mkdir(opts.dir, { recursive: true });
  const id = randomUUID();
  sequence++;
  const paddings = [rng.int(2_000, 20_000), rng.int(opts.largeBytes[0], opts.largeBytes[1])];
  const specFiles: SeedSpec['files'][number][] = [];
  const files: FixtureFile[] = [];
  for (const [i, padding] of paddings.entries()) {
    const bytes = await makeSignedPdf({ paddingBytes: padding, text: `Ho so ${sequence} thanh phan ${i + 1}` });
    const sha256 = sha256Hex(bytes);
    const name = `${sha256}.pdf`;
    await writeFile(path.join(opts.dir, name), bytes);
    specFiles.push({ id: randomUUID(), url: `/fixtures/${name}`, name: `thanh-phan-${i + 1}.pdf`, componentCode: `TP${i + 1}`, sha256, size: bytes.byteLength });
    files.push({ sha256, size: bytes.byteLength, name: `thanh-phan-${i + 1}.pdf` });
  }
  const spec: SeedSpec = { id, code: `000.00.01.H22-261123-${String(sequence).padStart(4, '0')}`, createdAt: new Date().toISOString(), files: specFiles };
  return { spec, files };
}
