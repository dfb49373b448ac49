/**
 * Back-office commands for IT staff, run against a running central's admin API (same code paths as the API):
 *
 *   motcua central status <dossierId|code> <4..9|3> [--note …] [--actor …] [--department …]
 *                  [--supplement <item>]... [--appointment <ISO>] [--result <file.pdf>]...
 *   motcua central show <dossierId|code>
 *   motcua central reference <catalog|calendar> <file.json>
 *   motcua central enroll-code --unit <code> --unit-name <name> --counter <n> [--valid-hours 72]
 *   motcua central devices
 *   motcua central revoke <deviceId>
 *
 * Common options: --central <url> (default http://127.0.0.1:8787). The admin token, as the central reads it
 * (issue 17: never an argument, which `ps` shows to every user): MOTCUA_CENTRAL_ADMIN_TOKEN, else
 * --admin-token-file <file> (owner-only), else the `admin-token` file in --data (default .motcua-data/central).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { adminTokenEnv, adminTokenFile, readAdminTokenFile } from '../../../central/src/admin-token';
import { AppError, isErrorCode } from '../../../shared/errors';
import { describeError } from '../../../shared/i18n/error-messages';
import { centralErrorSchema } from '../../../shared/sync/protocol';
import { pathFor } from '../../../shared/sync/api-contract';

export const adminSubcommands = ['status', 'show', 'reference', 'enroll-code', 'devices', 'revoke', 'release'] as const;
export type AdminSubcommand = (typeof adminSubcommands)[number];

export const adminUsage = `Lệnh quản trị (cần trung tâm đang chạy):
  motcua central status <mã hồ sơ|id> <3..9> [--note …] [--actor …] [--department …] [--supplement <mục>]... [--appointment <ISO>] [--result <tệp.pdf>]...
  motcua central show <mã hồ sơ|id>
  motcua central reference <catalog|calendar> <tệp.json>
  motcua central enroll-code --unit <mã đơn vị> --unit-name <tên> --counter <số quầy> [--valid-hours 72]
  motcua central devices
  motcua central revoke <deviceId>
  motcua central release add --file <bộ cài> --version <x.y.z> --signature-file <tệp .sig> [--blockmap <tệp>] [--percent 0..100] [--units <mã,mã>]
  motcua central release rollout <x.y.z> --percent <0..100> [--units <mã,mã>]
  motcua central release minimum <x.y.z|none>
  motcua central release list
Tùy chọn chung: --central <url> (mặc định http://127.0.0.1:8787) --admin-token-file <tệp> --data <thư mục dữ liệu trung tâm>
Mã quản trị: biến MOTCUA_CENTRAL_ADMIN_TOKEN, hoặc --admin-token-file (quyền 600), hoặc tệp admin-token trong --data (không nhận trên dòng lệnh)`;

export const commonOptions = {
  central: { type: 'string', default: 'http://127.0.0.1:8787' },
  'admin-token-file': { type: 'string' },
  data: { type: 'string', default: '.motcua-data/central' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The token from the same sources, in the same order, as the central (central/src/admin-token.ts). */
export async function adminTokenFrom(values: { 'admin-token-file'?: string; data: string }): Promise<string> {
  const fromEnv = process.env[adminTokenEnv];
  if (fromEnv) return fromEnv;
  const file = values['admin-token-file'] ?? path.join(path.resolve(values.data), adminTokenFile);
  try {
    return await readAdminTokenFile(file);
  } catch (err) {
    if (err instanceof AppError) throw new UsageError(describeError('vi', err.code, err.details));
    throw new UsageError(
      `Không tìm thấy mã quản trị (${file}): đặt biến MOTCUA_CENTRAL_ADMIN_TOKEN, dùng --admin-token-file <tệp>, hoặc --data trỏ tới thư mục dữ liệu của trung tâm.`,
    );
  }
}

export class UsageError extends Error {}

export async function call(central: string, token: string, method: string, pathname: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(new URL(pathname, central), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new Error(`${describeError('vi', 'CENTRAL_UNREACHABLE')} (${central}: ${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const error = centralErrorSchema.safeParse(json);
    if (error.success && isErrorCode(error.data.error)) {
      throw new Error(`${describeError('vi', error.data.error, error.data.details)} [${error.data.error} ${JSON.stringify(error.data.details)}]`);
    }
    throw new Error(`HTTP ${res.status}: ${text.slice(0, 500)}`);
  }
  return json;
}

export async function runAdmin(sub: AdminSubcommand, args: string[]): Promise<number> {
  if (args.some((arg) => arg === '--admin-token' || arg.startsWith('--admin-token='))) {
    console.error(describeError('vi', 'CENTRAL_ADMIN_TOKEN_ON_COMMAND_LINE'));
    return 2;
  }
  try {
    return await dispatch(sub, args);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return err instanceof UsageError ? 2 : 1;
  }
}

async function dispatch(sub: AdminSubcommand, args: string[]): Promise<number> {
  switch (sub) {
    case 'status': {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          ...commonOptions,
          note: { type: 'string', default: '' },
          actor: { type: 'string', default: 'Quản trị hệ thống trung tâm' },
          department: { type: 'string', default: '' },
          supplement: { type: 'string', multiple: true },
          appointment: { type: 'string' },
          result: { type: 'string', multiple: true },
        },
      });
      if (values.help) return help();
      const [dossier, statusText] = positionals;
      const status = Number(statusText);
      if (!dossier || !Number.isInteger(status)) throw new UsageError(`Thiếu mã hồ sơ hoặc trạng thái.\n${adminUsage}`);
      const resultFiles = await Promise.all(
        (values.result ?? []).map(async (file) => ({ name: path.basename(file), contentBase64: (await readFile(file)).toString('base64') })),
      );
      const change = await call(values.central, await adminTokenFrom(values), 'POST', pathFor('adminDossierStatus', { id: dossier }), {
        status,
        actor: values.actor,
        department: values.department,
        note: values.note,
        supplementItems: values.supplement ?? [],
        ...(values.appointment ? { newAppointmentAt: values.appointment } : {}),
        resultFiles,
      });
      console.log(JSON.stringify(change, null, 2));
      return 0;
    }
    case 'show': {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: commonOptions });
      if (values.help) return help();
      if (!positionals[0]) throw new UsageError(`Thiếu mã hồ sơ.\n${adminUsage}`);
      console.log(JSON.stringify(await call(values.central, await adminTokenFrom(values), 'GET', pathFor('adminDossier', { id: positionals[0] })), null, 2));
      return 0;
    }
    case 'reference': {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: commonOptions });
      if (values.help) return help();
      const [kind, file] = positionals;
      if ((kind !== 'catalog' && kind !== 'calendar') || !file) throw new UsageError(`Cần loại (catalog|calendar) và tệp JSON.\n${adminUsage}`);
      let data: unknown;
      try {
        data = JSON.parse(await readFile(file, 'utf8'));
      } catch (err) {
        throw new UsageError(`Không đọc được tệp JSON "${file}": ${err instanceof Error ? err.message : String(err)}`);
      }
      console.log(JSON.stringify(await call(values.central, await adminTokenFrom(values), 'PUT', pathFor('adminReference', { kind }), data), null, 2));
      return 0;
    }
    case 'enroll-code': {
      const { values } = parseArgs({
        args,
        options: { ...commonOptions, unit: { type: 'string' }, 'unit-name': { type: 'string' }, counter: { type: 'string' }, 'valid-hours': { type: 'string', default: '72' } },
      });
      if (values.help) return help();
      const counterNo = Number(values.counter);
      const validHours = Number(values['valid-hours']);
      if (!values.unit || !values['unit-name'] || !Number.isInteger(counterNo) || !(validHours > 0)) {
        throw new UsageError(`Cần --unit, --unit-name và --counter.\n${adminUsage}`);
      }
      const issued = (await call(values.central, await adminTokenFrom(values), 'POST', pathFor('adminEnrollmentCodes'), {
        unit: { code: values.unit, name: values['unit-name'] },
        counterNo,
        validHours,
      })) as { enrollmentCode: string; expiresAt: string };
      console.log(`Mã đăng ký máy (dùng một lần, hết hạn ${issued.expiresAt}): ${issued.enrollmentCode}`);
      return 0;
    }
    case 'devices': {
      const { values } = parseArgs({ args, options: commonOptions });
      if (values.help) return help();
      console.log(JSON.stringify(await call(values.central, await adminTokenFrom(values), 'GET', pathFor('adminDevices')), null, 2));
      return 0;
    }
    case 'release':
      return (await import('./central-release')).runRelease(args);
    case 'revoke': {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: commonOptions });
      if (values.help) return help();
      if (!positionals[0]) throw new UsageError(`Thiếu deviceId.\n${adminUsage}`);
      console.log(JSON.stringify(await call(values.central, await adminTokenFrom(values), 'POST', pathFor('adminRevokeDevice', { deviceId: positionals[0] })), null, 2));
      return 0;
    }
  }
}

function help(): number {
  console.log(adminUsage);
  return 0;
}
