// A counter whose configuration file is missing (issue 17, finding 10): through the real CLI. The production
// path stops with a Vietnamese and English message naming the file and how to configure, and writes nothing;
// only the demo, asked for explicitly (`npm run start:chromium` = `motcua host --demo`), becomes the demo counter.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { webHostEntry } from '../../electron/web-host/server';
import { stopProcess } from '../support/stop-process';

const run = promisify(execFile);
const bin = path.resolve('electron/cli/bin.mjs');
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A stand-in renderer build (the host checks one exists first; the real one may not be built yet in CI). */
async function stubRenderer(): Promise<string> {
  const rendererDir = await tempDir('motcua-renderer-');
  await writeFile(path.join(rendererDir, webHostEntry), '<!doctype html>');
  return rendererDir;
}

async function host(args: string[]): Promise<{ code: number; stderr: string }> {
  return run(process.execPath, [bin, 'host', '--port', '0', ...args]).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => e,
  );
}

describe('motcua host without a configuration file', () => {
  it('production (no --demo): exit 1, the expected path and how to enroll in Vietnamese and English, nothing written', async () => {
    const dataDir = await tempDir('motcua-noconfig-');
    const result = await host(['--data', dataDir, '--renderer', await stubRenderer(), '--central', 'https://central.tinh.example/']);
    expect(result.code).toBe(1);
    const expected = path.join(dataDir, 'config.json');
    expect(result.stderr).toContain(`Quầy chưa được cấu hình: không có tệp cấu hình "${expected}"`);
    expect(result.stderr).toContain('motcua enroll --central');
    expect(result.stderr).toContain(`The counter is not configured: there is no configuration file "${expected}"`);
    expect(result.stderr).not.toContain('    at ');
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('production with --config <file>: names that file', async () => {
    const dataDir = await tempDir('motcua-noconfig-');
    const configFile = path.join(dataDir, 'etc', 'quay-1.json');
    const result = await host(['--data', dataDir, '--config', configFile, '--renderer', await stubRenderer()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`không có tệp cấu hình "${configFile}"`);
  });

  it('--demo (what npm run start:chromium runs): starts as the demo counter, with its demo configuration written', async () => {
    const dataDir = await tempDir('motcua-demo-');
    // --central: no in-process central, so only the counter side of the demo is started here.
    const child = spawn(process.execPath, [bin, 'host', '--demo', '--port', '0', '--data', dataDir, '--renderer', await stubRenderer(), '--central', 'http://127.0.0.1:9'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const started = await new Promise<string>((resolve, reject) => {
      const collect = (chunk: Buffer) => {
        log += chunk.toString('utf8');
        const match = /motcua web host: (http:\/\/\S+)/.exec(log);
        if (match?.[1]) resolve(match[1]);
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${log}`)));
    });
    try {
      expect(started).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{22,}$/);
      const written = JSON.parse(await readFile(path.join(dataDir, 'config.json'), 'utf8')) as { unit: { name: string } };
      expect(written.unit.name).toBe('UBND xã Demo');
    } finally {
      await stopProcess(child, 'the demo web host');
    }
  });
});
