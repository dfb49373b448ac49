/**
 * `motcua timestamp <file.pdf> --tsa <url> [--out <file>] [--trust <pem>]… [--timeout <seconds>]`
 * Adds an RFC 3161 signature time-stamp to the last signature of a signed PDF (PAdES B-B → B-T), writing
 * the new CMS into the same /Contents: the signed bytes do not change. Without --out the file is replaced
 * in place (temp file + rename, so a failure never leaves a half-written file).
 * Exit 0 timestamped (or already timestamped: nothing to do), 1 failed (file unchanged), 2 bad usage.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/errors';
import { timestampPdfSignatureWithToken } from '../../../shared/pdf/timestamp-pdf';
import { vietnameseMessage } from '../../services/signing/cli-support';
import { loadCertificates } from '../../services/signing/trust-store';
import { createTsaClient } from '../../services/signing/tsa-client';

const usage =
  'Cách dùng: motcua timestamp <tệp.pdf> --tsa <địa chỉ máy chủ dấu thời gian> [--out <tệp ra.pdf>] [--trust <chứng thư gốc .pem/.der>] [--timeout <giây>]';

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        tsa: { type: 'string' },
        out: { type: 'string' },
        trust: { type: 'string', multiple: true },
        timeout: { type: 'string', default: '20' },
      },
    });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const input = positionals[0];
  const timeoutSeconds = Number(values.timeout);
  if (!input || positionals.length > 1 || !values.tsa || !Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    console.error(usage);
    return 2;
  }
  const trustAnchorsDer: Uint8Array[] = [];
  for (const source of values.trust ?? []) {
    try {
      trustAnchorsDer.push(...(await loadCertificates(source)));
    } catch {
      console.error(`Không đọc được chứng thư gốc từ "${source}".`);
      return 2;
    }
  }

  let pdf: Uint8Array;
  try {
    pdf = new Uint8Array(await readFile(input));
  } catch {
    console.error(`Không đọc được tệp "${input}".`);
    return 2;
  }

  const out = values.out ?? input;
  const temp = `${out}.${process.pid}.tmp`;
  try {
    const requester = createTsaClient({ url: values.tsa, timeoutMs: timeoutSeconds * 1000 });
    const result = await timestampPdfSignatureWithToken(pdf, requester, { trustAnchorsDer });
    await writeFile(temp, result.pdf);
    await rename(temp, out);
    const { token } = result;
    console.log(
      `Đã gắn dấu thời gian vào chữ ký thứ ${result.signatureIndex + 1}: ${out} (thời điểm ${token.genTime}, máy chủ: ${token.tsaName ?? 'không rõ'}, số hiệu ${token.serialNumber})`,
    );
    return 0;
  } catch (err) {
    await rm(temp, { force: true });
    if (err instanceof AppError && err.code === 'SIGNATURE_ALREADY_TIMESTAMPED') {
      console.log(vietnameseMessage(err));
      return 0;
    }
    console.error(vietnameseMessage(err));
    return 1;
  }
}

