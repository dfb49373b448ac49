/** `motcua calendar` and `motcua due` as real processes through electron/cli/bin.mjs. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const motcuaBin = path.join(repoRoot, 'electron', 'cli', 'bin.mjs');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function motcua(args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [motcuaBin, ...args], { cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let work: string;
let calendar2027: string;
let malformed: string;
let notJson: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-calendar-'));
  calendar2027 = path.join(work, 'lich-2027.json');
  await writeFile(
    calendar2027,
    JSON.stringify({
      year: 2027,
      source: 'thử nghiệm',
      daysOff: [
        { date: '2027-02-04', reason: 'Tết Nguyên đán (28 tháng Chạp)' },
        { date: '2027-02-05', reason: 'Tết Nguyên đán (29 tháng Chạp)' },
        { date: '2027-02-08', reason: 'Tết Nguyên đán (mùng 3 tháng Giêng)' },
      ],
      makeUpWorkingDays: [{ date: '2027-02-20', reason: 'Làm bù cho thứ Năm 04/02/2027' }],
    }),
  );
  malformed = path.join(work, 'hong.json');
  await writeFile(malformed, JSON.stringify({ year: 2027, source: 'x', daysOff: [{ date: '2027-13-01', reason: 'x' }] }));
  notJson = path.join(work, 'khong-phai-json.json');
  await writeFile(notJson, '{ year: 2027');
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('motcua calendar', () => {
  it('prints 2026 from the bundled official data: Friday 2 Jan and Monday 31 Aug off, Saturdays 10 Jan and 22 Aug worked, no weekend listed', async () => {
    const r = await motcua(['calendar', '2026']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { year: number; source: string; nonWorkingDays: { date: string; reason: string }[]; makeUpWorkingDays: { date: string }[] };
    expect(out.year).toBe(2026);
    expect(out.source).toBe('official');
    expect(out.nonWorkingDays.map((d) => d.date)).toContain('2026-01-02');
    expect(out.nonWorkingDays.filter((d) => d.reason.startsWith('Tết Nguyên đán')).map((d) => d.date)).toEqual(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']);
    expect(out.nonWorkingDays.map((d) => d.date)).toContain('2026-08-31');
    expect(out.makeUpWorkingDays.map((d) => d.date)).toEqual(['2026-01-10', '2026-08-22']);
    for (const d of out.nonWorkingDays) expect([0, 6]).not.toContain(new Date(`${d.date}T00:00:00Z`).getUTCDay());
  });

  it('prints a year without data from the rules, and a loaded file overrides them', async () => {
    const rules = JSON.parse((await motcua(['calendar', '2028'])).stdout) as { source: string; nonWorkingDays: { date: string }[] };
    expect(rules.source).toBe('rules');
    expect(rules.nonWorkingDays.map((d) => d.date)).toContain('2028-04-04'); // Hùng Kings, Tuesday
    const fromFile = await motcua(['calendar', '2027', '--calendar', calendar2027]);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ year: 2027, source: 'official', makeUpWorkingDays: [{ date: '2027-02-20' }] });
  });

  it('refuses a bad year and a malformed or unreadable calendar file in Vietnamese, exit 2', async () => {
    const badYear = await motcua(['calendar', 'năm-ngoái']);
    expect(badYear.code).toBe(2);
    expect(badYear.stderr).toContain('Năm không hợp lệ');
    const bad = await motcua(['calendar', '2027', '--calendar', malformed]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Dữ liệu lịch làm việc không hợp lệ');
    expect(bad.stderr).toContain('daysOff.0.date');
    const garbled = await motcua(['calendar', '2027', '--calendar', notJson]);
    expect(garbled.code).toBe(2);
    expect(garbled.stderr).toContain('không phải JSON');
    const missing = await motcua(['calendar', '2027', '--calendar', path.join(work, 'khong-co.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('không đọc được tệp');
  });
});

describe('motcua due', () => {
  it('Friday before Tết 2026 + 3 working days is due after the 9-day break', async () => {
    const r = await motcua(['due', '--received', '2026-02-13T09:00:00+07:00', '--limit', '3 working-days']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ due: '2026-02-25T09:00:00+07:00', dueText: '09 giờ 00 phút, ngày 25/02/2026' });
  });

  it('uses the loaded calendar: the make-up Saturday 20 Feb 2027 is worked', async () => {
    // Friday 19 Feb 2027 16:00 + 1 working day = Saturday 20 Feb 16:00 with the file, Monday 22 Feb without it.
    const withFile = await motcua(['due', '--received', '2027-02-19T16:00:00+07:00', '--limit', '1 working-days', '--calendar', calendar2027]);
    expect(JSON.parse(withFile.stdout)).toMatchObject({ due: '2027-02-20T16:00:00+07:00' });
    const rules = await motcua(['due', '--received', '2027-02-19T09:00:00Z', '--limit', '2 hours']);
    expect(JSON.parse(rules.stdout)).toMatchObject({ received: '2027-02-19T16:00:00+07:00', due: '2027-02-22T08:30:00+07:00', dueText: '08 giờ 30 phút, ngày 22/02/2027' });
  });

  it('refuses a time without offset, an unknown unit and a malformed calendar in Vietnamese, exit 2', async () => {
    const noOffset = await motcua(['due', '--received', '2026-02-13T09:00:00', '--limit', '3 days']);
    expect(noOffset.code).toBe(2);
    expect(noOffset.stderr).toContain('Thời điểm tiếp nhận không hợp lệ');
    const badUnit = await motcua(['due', '--received', '2026-02-13T09:00:00+07:00', '--limit', '3 weeks']);
    expect(badUnit.code).toBe(2);
    expect(badUnit.stderr).toContain('Thời hạn giải quyết không hợp lệ');
    const bad = await motcua(['due', '--received', '2026-02-13T09:00:00+07:00', '--limit', '3 days', '--calendar', malformed]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Dữ liệu lịch làm việc không hợp lệ');
  });
});
