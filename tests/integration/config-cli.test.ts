/**
 * Issue 16 item 3: `motcua config show|set|validate` on a counter's config.json, through the real CLI. `show`
 * never prints a secret; `set` checks the whole file before an atomic write and changes nothing on a refusal;
 * `validate` tells each problem in Vietnamese. Exit codes: 0 done, 1 refused/invalid, 2 bad usage.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskConfigSecrets } from '../../electron/services/counter-config-file';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
let dir: string;
let file: string;

const presetCode = 'K7QF-2M9D-XC4T';
const base = {
  unit: { code: '000.00.01.H22', name: 'UBND xã Thử Nghiệm' },
  organisationName: 'Ủy ban nhân dân xã Thử Nghiệm',
  counterNo: 2,
  centralUrl: 'https://trungtam.tinh.example/',
  locale: 'vi',
  signers: [{ role: 'organisation', keystore: { kind: 'pkcs11', tokenLabel: 'VNPT-CA Token', label: 'Token cơ quan' } }],
  tsa: { url: 'https://user:s3cret-pass@tsa.tinh.example/tsa' },
  enrollment: { code: presetCode },
};

async function motcua(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [path.join(repoRoot, 'electron/cli/bin.mjs'), 'config', ...args, '--data', dir], { cwd: repoRoot }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-config-cli-'));
  file = path.join(dir, 'config.json');
  await writeFile(file, JSON.stringify(base, null, 2));
  await chmod(file, 0o640);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('motcua config', () => {
  it('show prints the file with the preset code and URL passwords masked', async () => {
    const shown = await motcua('show');
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain(presetCode);
    expect(shown.stdout).not.toContain('s3cret-pass');
    const parsed = JSON.parse(shown.stdout) as typeof base;
    expect(parsed.enrollment.code).toBe('••••••');
    expect(parsed.tsa.url).not.toContain('s3cret');
    // Labels and codes that are not secrets stay readable.
    expect(parsed.signers[0]?.keystore.tokenLabel).toBe('VNPT-CA Token');
    expect(parsed.unit.code).toBe(base.unit.code);
    expect(maskConfigSecrets({ signing: { pin: '1234' }, p12Password: 'x' })).toEqual({ signing: { pin: '••••••' }, p12Password: '••••••' });
  });

  it('set writes one valid field atomically, keeping the file mode and the rest of the file', async () => {
    const set = await motcua('set', 'trust.maxRevocationAgeHours', '48');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('Đã ghi trust.maxRevocationAgeHours');
    const written = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ ...base, trust: { maxRevocationAgeHours: 48 } });
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect((await motcua('set', 'counterNo', '3')).code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ counterNo: 3 });
  });

  it('set refuses a value the schema refuses, in Vietnamese, and leaves the file byte for byte', async () => {
    const before = await readFile(file);
    const refused = await motcua('set', 'counterNo', '12');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Giá trị cho "counterNo" không hợp lệ: counterNo: Quá lớn');
    expect(refused.stderr).toContain('Tệp cấu hình không bị thay đổi');
    const badUrl = await motcua('set', 'centralUrl', 'not a url');
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toContain('centralUrl: URL không hợp lệ');
    expect(await readFile(file)).toEqual(before);
  });

  it('set refuses a field the configuration does not have (it would be dropped silently at start-up)', async () => {
    const before = await readFile(file);
    const unknown = await motcua('set', 'centralURL', 'https://x.example/');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Cấu hình không có mục "centralURL"');
    expect(await readFile(file)).toEqual(before);
  });

  it('validate passes a valid file and lists each problem of a broken one in Vietnamese', async () => {
    expect(await motcua('validate')).toMatchObject({ code: 0, stdout: expect.stringContaining('Cấu hình hợp lệ') as unknown });
    await writeFile(file, JSON.stringify({ ...base, counterNo: 0, locale: 'fr', centralUrl: 'ftp//x' }, null, 2));
    const invalid = await motcua('validate');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('có 3 lỗi');
    expect(invalid.stderr).toContain('- counterNo: Quá nhỏ');
    expect(invalid.stderr).toContain('- locale: Tùy chọn không hợp lệ');
    expect(invalid.stderr).toContain('- centralUrl: URL không hợp lệ');
    await writeFile(file, '{ "unit": ');
    expect((await motcua('validate')).stderr).toContain('không phải JSON hợp lệ');
  });

  it('bad usage exits 2', async () => {
    expect((await motcua('set', 'counterNo')).code).toBe(2);
    expect((await motcua('frobnicate')).code).toBe(2);
  });
});
