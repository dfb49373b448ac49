/**
 * `motcua support-bundle [--data <thư mục dữ liệu>] [--config <tệp>] [--out <tệp.zip>]` (issue 16): writes the
 * counter's support bundle (electron/services/diagnostics/support-bundle.ts) — logs reduced to codes, the
 * configuration without secrets, the audit chain's check, counts of the data — never personal data or keys.
 * The button for IT inside the app (an IPC channel) is not built yet.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import packageJson from '../../../package.json' with { type: 'json' };
import { buildSupportBundle } from '../../services/diagnostics/support-bundle';
import { runDoctor } from '../../services/doctor/run-doctor';
import { defaultCounterDataDir } from '../counter-data-dir';

const usage = 'Cách dùng: motcua support-bundle [--data <thư mục dữ liệu của quầy>] [--config <tệp config.json>] [--out <tệp.zip>]';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string', default: defaultCounterDataDir() },
      config: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const now = new Date();
  const out = path.resolve(values.out ?? `motcua-ho-tro-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.zip`);
  const bundle = await buildSupportBundle({
    dataDir: values.data,
    ...(values.config ? { configFile: values.config } : {}),
    appVersion: packageJson.version,
    now: () => now,
    doctorReport: () => runDoctor({ dataDir: values.data, ...(values.config ? { configFile: values.config } : {}) }),
  });
  // Owner-only: it is harmless by construction, and still the PC's own business until IT sends it.
  await writeFile(out, bundle, { mode: 0o600, flag: 'wx' });
  console.log(`Đã ghi gói hỗ trợ: ${out} (${bundle.byteLength} byte). Gói không chứa dữ liệu cá nhân, khóa hay mật khẩu.`);
  return 0;
}
