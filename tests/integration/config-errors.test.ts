// The counter's configuration checked at start-up, through the real CLI (`motcua host`): what is wrong is
// told in Vietnamese, the counter does not start, and nothing is written to its data directory.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { webHostEntry } from '../../electron/web-host/server';

const run = promisify(execFile);
const bin = path.resolve('electron/cli/bin.mjs');
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function hostWith(configText: string): Promise<{ code: number; stderr: string; files: string[] }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-config-'));
  dirs.push(dataDir);
  await writeFile(path.join(dataDir, 'config.json'), configText);
  // A stand-in renderer build (the host checks one exists first; the real one may not be built yet in CI).
  const rendererDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-renderer-'));
  dirs.push(rendererDir);
  await writeFile(path.join(rendererDir, webHostEntry), '<!doctype html>');
  // --central: no in-process central is started, so the failure is the configuration's alone.
  const failed = await run(process.execPath, [bin, 'host', '--port', '0', '--data', dataDir, '--renderer', rendererDir, '--central', 'http://127.0.0.1:9']).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => e,
  );
  return { ...failed, files: await readdir(dataDir) };
}

const valid = {
  unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
  organisationName: 'Ủy ban nhân dân xã Demo',
  counterNo: 1,
  centralUrl: 'http://127.0.0.1:9',
  locale: 'vi',
  signers: [{ role: 'organisation', keystore: { kind: 'pkcs12', path: '/nonexistent/x.p12', label: 'Thử' } }],
};

describe('motcua host with a bad config.json', () => {
  it('a unit code that is neither a Decision 20/2020 identifier nor a QCVN 102 code: the Vietnamese message with the code, exit 1, nothing written', async () => {
    const result = await hostWith(JSON.stringify({ ...valid, unit: { code: 'Z99.01', name: 'UBND xã Demo' } })); // the first group's letter is A–Y
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Mã đơn vị "Z99.01" không đúng định dạng mã định danh (ví dụ G12.18.92, hoặc mã cũ 000.00.01.H22)');
    expect(result.stderr).not.toContain('    at ');
    expect(result.files).toEqual(['config.json']);
  });

  it('a file that is not JSON, and a field of the wrong type: CONFIG_INVALID naming the file and the field', async () => {
    const broken = await hostWith('{ "unit": ');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/Tệp cấu hình quầy ".*config\.json" không hợp lệ: không phải JSON hợp lệ/);
    const wrongType = await hostWith(JSON.stringify({ ...valid, counterNo: 'một' }));
    expect(wrongType.code).toBe(1);
    expect(wrongType.stderr).toContain('counterNo:');
    expect(wrongType.stderr).toContain('Quầy chưa khởi động; hãy báo bộ phận CNTT sửa tệp cấu hình.');
    expect(wrongType.files).toEqual(['config.json']);
  });
});
