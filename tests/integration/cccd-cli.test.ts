import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = path.resolve('electron/cli/bin.mjs');

describe('motcua cccd', () => {
  it('prints the parsed card as JSON', async () => {
    const { stdout } = await run(process.execPath, [bin, 'cccd', '001190012345||Nguyễn Thị Ánh Tuyết|15031990|Nữ|Thôn Đông, xã Demo|01072021']);
    expect(JSON.parse(stdout)).toMatchObject({ personalNumber: '001190012345', fullName: 'Nguyễn Thị Ánh Tuyết', birthDate: '1990-03-15', gender: 'female' });
  });

  it('explains a malformed or contradictory QR in Vietnamese and exits 1; bad usage exits 2', async () => {
    const malformed = await run(process.execPath, [bin, 'cccd', 'không phải mã QR']).catch((e: { code: number; stderr: string }) => e);
    expect(malformed).toMatchObject({ code: 1 });
    expect((malformed as { stderr: string }).stderr).toContain('Không đọc được mã QR trên thẻ căn cước');
    const mismatch = await run(process.execPath, [bin, 'cccd', '001190012345||Nguyễn Văn A|15031990|Nam|Hưng Yên|01072021']).catch((e: { code: number; stderr: string }) => e);
    expect(mismatch).toMatchObject({ code: 1 });
    const usage = await run(process.execPath, [bin, 'cccd']).catch((e: { code: number }) => e);
    expect(usage).toMatchObject({ code: 2 });
  });
});
