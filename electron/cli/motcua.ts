/**
 * `motcua`: the headless CLI for installers and IT staff. Each command lives in commands/ and returns its
 * exit code; this file only dispatches. `counterCommands` is what ships in the counter app (out/cli, built by
 * build-cli.mjs); a checkout's `motcua` (bin.mjs) adds the central and the demo (development-commands.ts).
 */
import { AppError } from '../../shared/errors';
import { describeError } from '../../shared/i18n/error-messages';

type Command = (args: string[]) => Promise<number>;
export type CommandTable = Record<string, { summary: string; load: () => Promise<Command> }>;

export const counterCommands: CommandTable = {
  sign: { summary: 'sign <in.pdf> --out <out.pdf> --p12 <file> --pass-env <VAR>   ký số PAdES một tệp PDF', load: async () => (await import('./commands/sign')).run },
  verify: { summary: 'verify <file.pdf> [--trust <dir-or-pem>]   kiểm tra chữ ký số, in báo cáo JSON', load: async () => (await import('./commands/verify')).run },
  timestamp: {
    summary: 'timestamp <file.pdf> --tsa <url> [--out <file>] [--trust <pem>]   gắn dấu thời gian RFC 3161 vào chữ ký đã có',
    load: async () => (await import('./commands/timestamp')).run,
  },
  enroll: {
    summary: 'enroll --central <url> --code <mã một lần> [--unit <mã đơn vị>] [--counter <số>] [--name <tên máy>]   đăng ký máy quầy với hệ thống trung tâm',
    load: async () => (await import('./commands/enroll')).run,
  },
  config: {
    summary: 'config show | set <khóa.con> <giá trị> | validate [--data <thư mục>]   xem, sửa, kiểm tra cấu hình máy quầy',
    load: async () => (await import('./commands/config')).run,
  },
  doctor: {
    summary: 'doctor [--json] [--data <thư mục>]   kiểm tra máy quầy (cấu hình, trung tâm, đồng hồ, ổ đĩa, máy quét, chữ ký số…); mã thoát 0/1/2',
    load: async () => (await import('./commands/doctor')).run,
  },
  host: { summary: 'host [--port 5173] [--config <file>] [--central <url>] [--data <dir>]   chạy ứng dụng trong trình duyệt Chromium (web host)', load: async () => (await import('./commands/host')).run },
  form: { summary: 'form <mau01..mau07> --data <tệp.json> --out <tệp.pdf> [--legal-basis 01/2018/TT-VPCP]   in biểu mẫu (Thông tư 03/2025/TT-VPCP; bộ 2018 chỉ để in lại) ra PDF', load: async () => (await import('./commands/form')).run },
  calendar: { summary: 'calendar <năm> [--calendar <tệp.json>]   in các ngày nghỉ lễ, nghỉ bù và ngày làm bù của năm (JSON)', load: async () => (await import('./commands/calendar')).run },
  due: { summary: 'due --received <thời điểm ISO> --limit "<n> working-days|days|hours" [--calendar <tệp.json>]   tính ngày hẹn trả kết quả', load: async () => (await import('./commands/due')).run },
  scan: { summary: 'scan --list | --device <d> --out <thư mục>   thử máy quét / thư mục nhận ảnh', load: async () => (await import('./commands/scan')).run },
  cccd: { summary: 'cccd "<nội dung QR>"   đọc mã QR trên thẻ căn cước, in JSON', load: async () => (await import('./commands/cccd')).run },
  'kiosk-pin': { summary: 'kiosk-pin --pin-env <BIẾN>   tạo mã băm của mã PIN thoát chế độ kiosk (cho config.json)', load: async () => (await import('./commands/kiosk-pin')).run },
  audit: {
    summary: 'audit verify [--file <audit-log.jsonl>] [--central <url> --device <mã máy>]   kiểm tra nhật ký thao tác (chuỗi băm) của quầy',
    load: async () => (await import('./commands/audit')).run,
  },
  'release-sign': {
    summary: 'release-sign --key <khóa Ed25519 .pem> --file <bộ cài> --version <x.y.z>   ký bản phát hành (nhà phát hành) để máy quầy chấp nhận cập nhật',
    load: async () => (await import('./commands/release-sign')).run,
  },
  'support-bundle': {
    summary: 'support-bundle [--data <thư mục>] [--out <tệp.zip>]   tạo gói hỗ trợ cho IT (nhật ký, cấu hình đã ẩn bí mật, số liệu; không có dữ liệu cá nhân)',
    load: async () => (await import('./commands/support-bundle')).run,
  },
  'demo-pki': { summary: 'demo-pki [--out <dir>]   tạo bộ chứng thư số thử nghiệm', load: async () => (await import('./commands/demo-pki')).run },
};

function usage(commands: CommandTable): string {
  return ['Cách dùng: motcua <lệnh> [tùy chọn]', '', ...Object.values(commands).map((c) => `  motcua ${c.summary}`)].join('\n');
}

export async function main(argv: string[], commands: CommandTable = counterCommands): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage(commands));
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    const why = Object.hasOwn(developmentOnly, name) ? `\n${developmentOnly[name]}` : '';
    console.error(`Lệnh không hợp lệ: ${name}${why}\n\n${usage(commands)}`);
    return 2;
  }
  try {
    return await (await command.load())(rest);
  } catch (err) {
    // A command that lets node:util's parseArgs throw still answers like the others: message, usage, exit 2.
    if (err instanceof TypeError && 'code' in err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS_')) {
      console.error(`${err.message}\n\nCách dùng: motcua ${command.summary}`);
      return 2;
    }
    // A coded failure (e.g. a malformed config.json at start-up) is told in Vietnamese, not as a stack trace.
    if (err instanceof AppError) {
      console.error(`Lỗi: ${describeError('vi', err.code, err.details)}\nError: ${describeError('en', err.code, err.details)}`);
      return 1;
    }
    throw err;
  }
}

/** Commands a checkout has and the counter app does not: why, and where to find them. */
const developmentOnly: Record<string, string> = {
  central: 'Ứng dụng máy quầy không mang theo hệ thống trung tâm: trung tâm chạy trên máy chủ của tỉnh (gói central/, docs/province-deployment.md).',
  demo: 'Bản chạy thử (trung tâm cục bộ + dữ liệu mẫu) chỉ chạy từ mã nguồn: npm start.',
};
