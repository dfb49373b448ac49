/**
 * `motcua sign <in.pdf> --out <out.pdf> --p12 <file> --pass-env <VAR> [--reason …] [--location …] [--name …]`
 * Signs a PDF (PAdES B-B) with a PKCS#12 key. The password comes from an environment variable so it never
 * appears in the process list. Exit 0 signed, 1 signing failed, 2 bad usage. No output file on failure.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { signPdf } from '../../../shared/pdf/sign-pdf';
import { Pkcs12KeyStore } from '../../services/signing/pkcs12-keystore';
import { vietnameseMessage } from '../../services/signing/cli-support';

const usage = 'Cách dùng: motcua sign <vào.pdf> --out <ra.pdf> --p12 <tệp.p12> --pass-env <BIẾN_MÔI_TRƯỜNG> [--reason <lý do>] [--location <nơi ký>] [--name <người ký>]';

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        p12: { type: 'string' },
        'pass-env': { type: 'string' },
        reason: { type: 'string', default: 'Tiếp nhận hồ sơ' },
        location: { type: 'string', default: '' },
        name: { type: 'string' },
      },
    });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const input = positionals[0];
  if (!input || positionals.length > 1 || !values.out || !values.p12 || !values['pass-env']) {
    console.error(usage);
    return 2;
  }
  const password = process.env[values['pass-env']];
  if (password === undefined) {
    console.error(`Biến môi trường ${values['pass-env']} chưa được đặt (mật khẩu tệp chữ ký số).`);
    return 2;
  }

  let pdf: Uint8Array;
  try {
    pdf = new Uint8Array(await readFile(input));
  } catch {
    console.error(`Không đọc được tệp "${input}".`);
    return 2;
  }

  const keystore = new Pkcs12KeyStore({ path: values.p12, label: values.p12 });
  const temp = `${values.out}.${process.pid}.tmp`;
  try {
    const status = await keystore.unlock(password);
    const subject = status.state === 'unlocked' ? status.certificate.subject : '';
    const signerName = values.name ?? /CN=([^,]+)/.exec(subject)?.[1] ?? subject;
    const signed = await signPdf(pdf, keystore, { reason: values.reason, location: values.location, signerName, signingTime: new Date() });
    await writeFile(temp, signed);
    await rename(temp, values.out);
    console.log(`Đã ký: ${values.out} (${signed.length} byte, người ký: ${subject})`);
    return 0;
  } catch (err) {
    await rm(temp, { force: true });
    console.error(vietnameseMessage(err));
    return 1;
  } finally {
    keystore.lock();
  }
}
