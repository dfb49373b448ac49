/**
 * `motcua form` end to end through the real entry point (electron/cli/bin.mjs): a good data file gives a
 * PDF that pdftotext reads; malformed JSON, a schema error (with the field named in Vietnamese) and an
 * unknown form exit 2 without writing anything.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..', '..');
const bin = join(repoRoot, 'electron', 'cli', 'bin.mjs');

async function motcua(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [bin, ...args], { cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const exists = async (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

const apology = {
  unit: { organisationName: 'UBND xã Demo', unitName: 'UBND xã Demo', place: 'Xã Demo' },
  date: '2026-12-01T08:00:00+07:00',
  addressee: 'Ông Trần Văn Hưởng',
  dossierCode: '000.17.22.H56-261123-0007',
  receivedAt: '2026-11-23T14:05:00+07:00',
  appointmentAt: '2026-11-30T16:00:00+07:00',
  reason: 'Chờ kết quả xác minh của Công an xã',
  newAppointmentAt: '2026-12-03T16:00:00+07:00',
  signerTitle: 'Chủ tịch',
  signerName: 'Đặng Thị Lựu',
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'forms-cli-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('motcua form', () => {
  it('renders Mẫu 04 of the 2025 set by default, naming the set it used', async () => {
    const data = join(dir, 'mau04-2025.json');
    const out = join(dir, 'mau04-2025.pdf');
    await writeFile(data, JSON.stringify(apology));
    const result = await motcua(['form', 'mau04', '--data', data, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT (mau04, 03/2025/TT-VPCP)');
    const { stdout: text } = await execFileAsync('pdftotext', ['-layout', out, '-']);
    expect(text).toContain('Mẫu số 04');
    expect(text).toContain('VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT');
  });

  it('renders Mẫu 04 of the 2018 set from a JSON file (with a byte-order mark) to a PDF', async () => {
    const data = join(dir, 'mau04.json');
    const out = join(dir, 'mau04.pdf');
    await writeFile(data, `\uFEFF${JSON.stringify(apology, null, 2)}`);
    const result = await motcua(['form', 'mau04', '--data', data, '--out', out, '--legal-basis', '01/2018/TT-VPCP']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    const { stdout: text } = await execFileAsync('pdftotext', ['-layout', out, '-']);
    expect(text).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    expect(text).toContain('Kính gửi: Ông Trần Văn Hưởng');
    expect(text).toContain('000.17.22.H56-261123-0007');
    expect(text).toContain('Đặng Thị Lựu');
  });

  it('refuses malformed JSON with exit 2 and a Vietnamese message', async () => {
    const data = join(dir, 'broken.json');
    const out = join(dir, 'broken.pdf');
    await writeFile(data, '{ "unit": { "unitName": "UBND xã Demo", ');
    const result = await motcua(['form', 'mau04', '--data', data, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('không phải JSON hợp lệ');
    expect(await exists(out)).toBe(false);
  });

  it('refuses data that breaks the schema with exit 2, naming the field', async () => {
    const data = join(dir, 'bad.json');
    const out = join(dir, 'bad.pdf');
    const { addressee: _omitted, ...withoutAddressee } = apology;
    await writeFile(data, JSON.stringify({ ...withoutAddressee, newAppointmentAt: '03/12/2026' }));
    const result = await motcua(['form', 'mau04', '--data', data, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Thông tin hồ sơ chưa hợp lệ: trường "addressee" chưa có (bắt buộc).');
    expect(await exists(out)).toBe(false);

    await writeFile(data, JSON.stringify({ ...apology, newAppointmentAt: '03/12/2026' }));
    const second = await motcua(['form', 'mau04', '--data', data, '--out', out]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('trường "newAppointmentAt" không phải thời điểm ISO 8601');
  });

  it('refuses an unknown form, a missing file and missing options with exit 2', async () => {
    const data = join(dir, 'mau04.json');
    await writeFile(data, JSON.stringify(apology));
    const unknown = await motcua(['form', 'mau09', '--data', data, '--out', join(dir, 'x.pdf')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Không có mẫu "mau09"');
    const missing = await motcua(['form', 'mau04', '--data', join(dir, 'nope.json'), '--out', join(dir, 'x.pdf')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Không đọc được tệp dữ liệu');
    const noOut = await motcua(['form', 'mau04', '--data', data]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('Cách dùng: motcua form');
  });
});
