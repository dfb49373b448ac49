/**
 * `motcua verify <file.pdf> [--trust <dir-or-pem>]`: prints the signature report as JSON.
 * Exit 0 only when the report is valid; 1 when not (or the file is not a PDF); 2 on bad usage.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { verifyPdfSignatures } from '../../../shared/pdf/verify-pdf';
import { vietnameseMessage } from '../../services/signing/cli-support';
import { loadCertificates } from '../../services/signing/trust-store';

const usage = 'Cách dùng: motcua verify <tệp.pdf> [--trust <thư mục hoặc tệp .pem/.der chứng thư gốc>]';

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { trust: { type: 'string', multiple: true } } });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  const file = parsed.positionals[0];
  if (!file || parsed.positionals.length > 1) {
    console.error(usage);
    return 2;
  }
  const trustAnchorsDer: Uint8Array[] = [];
  for (const source of parsed.values.trust ?? []) {
    try {
      trustAnchorsDer.push(...(await loadCertificates(source)));
    } catch {
      console.error(`Không đọc được chứng thư gốc từ "${source}".`);
      return 2;
    }
  }
  if (trustAnchorsDer.length === 0) console.error('Chưa chỉ định chứng thư gốc tin cậy (--trust): chuỗi chứng thư sẽ không được tin cậy.');

  let pdf: Uint8Array;
  try {
    pdf = new Uint8Array(await readFile(file));
  } catch {
    console.error(`Không đọc được tệp "${file}".`);
    return 2;
  }
  try {
    const report = verifyPdfSignatures(pdf, { trustAnchorsDer });
    console.log(JSON.stringify(report, null, 2));
    return report.valid ? 0 : 1;
  } catch (err) {
    console.error(vietnameseMessage(err));
    return 1;
  }
}
