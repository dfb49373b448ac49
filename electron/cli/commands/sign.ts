/**
 * `motcua sign <in.pdf> --out <out.pdf> (--p12 <file> --pass-env <VAR> | --pkcs11 <library> --token <label>
 *  --pin-env <VAR> [--key <label>]) [--appearance copy|none] [--copy-form "SAO Y"] [--organisation <name>]
 *  [--reason …] [--location …] [--name …]`
 * Signs a PDF (PAdES B-B) with a PKCS#12 file or a key on a PKCS#11 token (USB token). The password or PIN
 * comes from an environment variable so it never appears in the process list. Exit 0 signed, 1 signing
 * failed, 2 bad usage. No output file on failure.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { signPdf, type SignatureAppearance } from '../../../shared/pdf/sign-pdf';
import { fontFiles } from '../../../shared/pdf/fonts';
import { cliFontDir } from '../font-dir';
import { COPY_FORMS, type CopyForm } from '../../../shared/pdf/stamp';
import { Pkcs12KeyStore } from '../../services/signing/pkcs12-keystore';
import { Pkcs11KeyStore } from '../../services/signing/pkcs11-keystore';
import { vietnameseMessage } from '../../services/signing/cli-support';

const usage = [
  'Cách dùng: motcua sign <vào.pdf> --out <ra.pdf> (--p12 <tệp.p12> --pass-env <BIẾN> | --pkcs11 <thư-viện> --token <nhãn token> --pin-env <BIẾN> [--key <nhãn khóa>])',
  '           [--appearance copy|none] [--copy-form "SAO Y"|"SAO LỤC"|"TRÍCH SAO"] [--organisation <tên cơ quan>] [--reason <lý do>] [--location <nơi ký>] [--name <người ký>]',
].join('\n');

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
        pkcs11: { type: 'string' },
        token: { type: 'string' },
        key: { type: 'string' },
        'pin-env': { type: 'string' },
        appearance: { type: 'string', default: 'none' },
        'copy-form': { type: 'string', default: 'SAO Y' },
        organisation: { type: 'string' },
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
  const useP12 = values.p12 !== undefined;
  const useToken = values.pkcs11 !== undefined;
  if (!input || positionals.length > 1 || !values.out || useP12 === useToken) {
    console.error(usage);
    return 2;
  }
  if (useP12 && !values['pass-env']) {
    console.error(`--p12 cần --pass-env <BIẾN>.\n${usage}`);
    return 2;
  }
  if (useToken && (!values.token || !values['pin-env'])) {
    console.error(`--pkcs11 cần --token <nhãn token> và --pin-env <BIẾN>.\n${usage}`);
    return 2;
  }
  if (values.appearance !== 'copy' && values.appearance !== 'none') {
    console.error(`--appearance chỉ nhận "copy" hoặc "none".\n${usage}`);
    return 2;
  }
  const copyForm = values['copy-form'];
  if (!isCopyForm(copyForm)) {
    console.error(`--copy-form chỉ nhận ${COPY_FORMS.map((f) => `"${f}"`).join(', ')}.`);
    return 2;
  }
  const secretVar = useP12 ? (values['pass-env'] as string) : (values['pin-env'] as string);
  const secret = process.env[secretVar];
  if (secret === undefined) {
    console.error(`Biến môi trường ${secretVar} chưa được đặt (${useP12 ? 'mật khẩu tệp chữ ký số' : 'mã PIN của USB token'}).`);
    return 2;
  }

  let pdf: Uint8Array;
  try {
    pdf = new Uint8Array(await readFile(input));
  } catch {
    console.error(`Không đọc được tệp "${input}".`);
    return 2;
  }

  const keystore = useP12
    ? new Pkcs12KeyStore({ path: values.p12 as string, label: values.p12 as string })
    : new Pkcs11KeyStore({
        library: values.pkcs11 as string,
        tokenLabel: values.token as string,
        ...(values.key !== undefined ? { keyLabel: values.key } : {}),
        label: values.token as string,
      });
  const temp = `${values.out}.${process.pid}.tmp`;
  try {
    const status = await keystore.unlock(secret);
    const subject = status.state === 'unlocked' ? status.certificate.subject : '';
    const signerName = values.name ?? /CN=([^,]+)/.exec(subject)?.[1] ?? subject;
    let appearance: SignatureAppearance = { kind: 'none' };
    if (values.appearance === 'copy') {
      const organisationName = values.organisation ?? /(?:^|, )O=([^,]+)/.exec(subject)?.[1];
      if (!organisationName) {
        console.error('--appearance copy cần --organisation <tên cơ quan> (chứng thư số không ghi tên tổ chức).');
        return 2;
      }
      const fontDir = cliFontDir(import.meta.url);
      const [regular, bold] = await Promise.all([readFile(path.join(fontDir, fontFiles.regular)), readFile(path.join(fontDir, fontFiles.bold))]);
      appearance = { kind: 'copy-stamp', copyForm, organisationName, fonts: { regular: new Uint8Array(regular), bold: new Uint8Array(bold) } };
    }
    const signed = await signPdf(pdf, keystore, { reason: values.reason, location: values.location, signerName, signingTime: new Date(), appearance });
    await writeFile(temp, signed);
    await rename(temp, values.out);
    console.log(`Đã ký: ${values.out} (${signed.length} byte, người ký: ${subject})`);
    return 0;
  } catch (err) {
    await rm(temp, { force: true });
    console.error(vietnameseMessage(err));
    return 1;
  } finally {
    await keystore.lock();
  }
}

function isCopyForm(value: string): value is CopyForm {
  return (COPY_FORMS as readonly string[]).includes(value);
}


