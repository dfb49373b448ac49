/**
 * `motcua demo-pki [--out <dir>]`: creates (or reuses) the demo PKI — a test root CA and counter signing
 * certificates in PKCS#12 files — for development. Never for production use.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDemoPki } from '../../services/signing/demo-pki';

export async function run(args: string[]): Promise<number> {
  let out: string;
  try {
    const { values } = parseArgs({ args, options: { out: { type: 'string', default: path.join('.motcua-data', 'pki') } } });
    out = path.resolve(values.out);
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\nCách dùng: motcua demo-pki [--out <thư mục>]`);
    return 2;
  }
  const pki = await ensureDemoPki(out);
  console.log(
    [
      `Bộ chứng thư số THỬ NGHIỆM (không dùng cho hồ sơ thật) tại ${pki.dir}`,
      `  Chứng thư gốc (PEM):        ${pki.rootCaPemPath}`,
      `  Chứng thư gốc (DER):        ${pki.rootCaDerPath}`,
      `  Tệp ký của quầy (.p12):     ${pki.counterSignerP12Path}`,
      `  Tệp ký đã hết hạn (.p12):   ${pki.expiredSignerP12Path}`,
      `  Chữ ký cá nhân công chức:   ${pki.clerkSignerP12Path}`,
      `  Mật khẩu các tệp .p12:      ${pki.password}`,
    ].join('\n'),
  );
  return 0;
}
