/**
 * `motcua doctor [--json] [--data <thư mục>] [--config <tệp>]` (issue 16 item 4): checks this counter PC —
 * configuration, central and protocol version, device credential, clock, free disk, scanners, signer library
 * and token, certificate validity, revocation cache age, TSA, unsent backlog — each PASS / WARN / FAIL with
 * what to do. IndexedDB's quota lives in the renderer: it is on the IT screen (Ctrl+Alt+Shift+D), not here.
 *
 * Exit code: 0 every check PASS, 1 some WARN and no FAIL, 2 some FAIL; 64 bad usage.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { verdictLabels, type DoctorReport } from '../../../shared/doctor/report';
import { runDoctor } from '../../services/doctor/run-doctor';
import { defaultCounterDataDir } from '../counter-data-dir';

const usage = 'Cách dùng: motcua doctor [--json] [--data <thư mục dữ liệu>] [--config <tệp cấu hình>]   (mã thoát: 0 đạt hết, 1 có cảnh báo, 2 có lỗi)';
const usageExit = 64;

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { json: { type: 'boolean', default: false }, data: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return usageExit;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const dataDir = path.resolve(values.data ?? defaultCounterDataDir());
  const report = await runDoctor({ dataDir, ...(values.config ? { configFile: path.resolve(values.config) } : {}) });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatDoctorReport(report));
  return report.exitCode;
}

/** The report as IT reads it in a console: one block per check, the verdict first. */
export function formatDoctorReport(report: DoctorReport): string {
  const lines = [`Kiểm tra máy quầy lúc ${report.at}`, ''];
  for (const c of report.checks) {
    lines.push(`[${verdictLabels[c.verdict]}] ${c.title}`, `    ${c.explanation}`);
    if (c.action) lines.push(`    → ${c.action}`);
  }
  const count = (v: string) => report.checks.filter((c) => c.verdict === v).length;
  lines.push('', `Kết quả: ${verdictLabels[report.verdict]} — ${count('pass')} đạt, ${count('warn')} cảnh báo, ${count('fail')} lỗi (mã thoát ${report.exitCode}).`);
  return lines.join('\n');
}
