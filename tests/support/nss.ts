/**
 * An NSS database trusting one root, for `pdfsig -nssdir <dir>`. The caller removes the directory
 * (`rm(dir, { recursive: true, force: true })`) when done.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function makeNssDb(rootDer: Uint8Array): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-nss-'));
  const rootFile = path.join(dir, 'root.der');
  await writeFile(rootFile, rootDer);
  await run('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  await run('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'Motcua Test Root', '-t', 'CT,C,C', '-i', rootFile]);
  return dir;
}
