import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = path.resolve('electron/cli/bin.mjs');

describe('motcua with a wrong option', () => {
  // `host` parses its options without a try of its own: the dispatcher answers for it.
  it('names the option, shows the command usage in Vietnamese and exits 2 — no stack trace', async () => {
    const failed = await run(process.execPath, [bin, 'host', '--no-such-option']).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain("Unknown option '--no-such-option'");
    expect(failed.stderr).toContain('Cách dùng: motcua host');
    expect(failed.stderr).not.toContain('    at ');
  });
});
