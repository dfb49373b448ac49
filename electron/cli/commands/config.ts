/**
 * `motcua config show|set|validate [--data <thư mục>] [--config <tệp>]` (issue 16 item 3):
 * - `show`: the configuration file as written, secrets masked (the preset's enrollment code, passwords,
 *   user:password in URLs);
 * - `set <khóa.con> <giá trị>`: one field changed (the value is JSON when it parses, text otherwise), the whole
 *   file checked against the schema first, then written atomically; nothing changes on a refusal;
 * - `validate`: every problem of the file, one per line, in Vietnamese.
 * Exit 0 done/valid, 1 refused/invalid, 2 bad usage.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/errors';
import { describeError } from '../../../shared/i18n/error-messages';
import { defaultConfigFile } from '../../services/config';
import { parseConfigValue, setConfigValue, showConfig, validateConfigFile } from '../../services/counter-config-file';
import { defaultCounterDataDir } from '../counter-data-dir';

const usage = [
  'Cách dùng:',
  '  motcua config show [--data <thư mục dữ liệu>] [--config <tệp>]       in cấu hình (che các giá trị bí mật)',
  '  motcua config set <khóa.con> <giá trị> [--data …] [--config …]     đổi một mục, kiểm tra trước khi ghi',
  '  motcua config validate [--data …] [--config …]                     kiểm tra tệp cấu hình',
].join('\n');

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { data: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, ...rest] = positionals;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const file = path.resolve(values.config ?? defaultConfigFile(values.data ?? defaultCounterDataDir()));
  try {
    switch (sub) {
      case 'show':
        if (rest.length) break;
        console.log(JSON.stringify(await showConfig(file), null, 2));
        return 0;
      case 'set': {
        const [key, valueText] = rest;
        if (!key || valueText === undefined || rest.length !== 2) break;
        await setConfigValue(file, key, parseConfigValue(valueText));
        console.log(`Đã ghi ${key} vào ${file}. Khởi động lại ứng dụng để áp dụng.`);
        return 0;
      }
      case 'validate': {
        if (rest.length) break;
        const issues = await validateConfigFile(file);
        if (issues.length === 0) {
          console.log(`Cấu hình hợp lệ: ${file}`);
          return 0;
        }
        console.error(`Cấu hình ${file} có ${issues.length} lỗi:`);
        for (const issue of issues) console.error(`  - ${issue.path}: ${issue.message}`);
        return 1;
      }
    }
  } catch (err) {
    if (err instanceof AppError) {
      console.error(`Lỗi: ${describeError('vi', err.code, err.details)}\nError: ${describeError('en', err.code, err.details)}`);
      return 1;
    }
    throw err;
  }
  console.error(usage);
  return 2;
}
