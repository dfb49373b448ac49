/**
 * What the counter app carries (issue 18 item 7): electron-builder packs the production dependency tree of the
 * root package, found by its own collector (electron/cli/pack-contents.mjs). The central is a workspace of its
 * own (central/package.json) and the renderer's libraries are bundled by Vite, so neither the central's server
 * stack nor React, Dexie or pdf.js reaches a counter PC; the native addons the services load do.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { packContents } from '../../electron/cli/pack-contents.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

describe('the npm packages electron-builder would pack into the counter app', () => {
  it('hold what the counter runs and none of the central, the renderer bundle or the dev tooling', async () => {
    const packed = (await (packContents as () => Promise<{ name: string; bytes: number }[]>)()).map((p) => p.name);
    const names = new Set(packed);
    const { dependencies } = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(dependencies).filter((name) => !names.has(name))).toEqual([]);
    for (const needed of ['pkcs11js', 'sharp', 'tesseract.js', 'pdf-lib', 'zod']) expect(names).toContain(needed);
    const central = JSON.parse(await readFile(path.join(repoRoot, 'central', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const serverOnly = Object.keys(central.dependencies).filter((name) => !(name in dependencies));
    expect(serverOnly).toEqual(expect.arrayContaining(['@tus/server', 'pg', '@electric-sql/pglite', '@aws-sdk/client-s3']));
    // p-limit is central's too, but another version of it also comes with a counter library (yargs, via qrcode).
    const unwanted = [...serverOnly.filter((name) => name !== 'p-limit'), '@motcua/central', 'tsx', 'esbuild', 'react', 'react-dom', 'dexie', 'pdfjs-dist', 'electron', 'vitest', 'typescript'];
    expect(unwanted.filter((name) => names.has(name))).toEqual([]);
  }, 120_000);
});
