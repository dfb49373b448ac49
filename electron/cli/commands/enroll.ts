/**
 * `motcua enroll --central <url> --code <XXXX-XXXX-XXXX> --name <tên máy> [--data <thư mục cấu hình>]`
 *
 * Enrolls this PC with a central using a one-time code from IT (`motcua central enroll-code`); the credential
 * is stored in the config directory (device.json, mode 0600) and used by the app's sync.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/errors';
import { describeError } from '../../../shared/i18n/error-messages';
import { checkCentralTransport, defaultConfigFile, loadHostConfig } from '../../services/config';
import { counterDataDir } from '../../services/data-location';
import { enrollDevice } from '../../services/device';

const usage = 'Cách dùng: motcua enroll --central <url> --code <XXXX-XXXX-XXXX> --name <tên máy> [--data <thư mục dữ liệu, mặc định thư mục của ứng dụng>]';

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        central: { type: 'string' },
        code: { type: 'string' },
        name: { type: 'string' },
        // The app's own data folder by default (data-location.ts), so what is enrolled here is what the app reads.
        data: { type: 'string', default: counterDataDir() },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.central || !values.code || !values.name) {
    console.error(usage);
    return 2;
  }
  try {
    const configDir = path.resolve(values.data);
    // The one-time code goes out and the device credential comes back: HTTPS, unless this counter's
    // configuration says it is a lab's (issue 17); no configuration yet counts as production.
    const allowHttpCentral = await loadHostConfig(configDir, undefined).then(
      (config) => config.allowHttpCentral,
      (err: unknown) => {
        if (err instanceof AppError && err.code === 'CONFIG_MISSING') return false;
        throw err;
      },
    );
    checkCentralTransport(values.central, { allowHttpCentral, demo: false, file: defaultConfigFile(configDir) });
    const stored = await enrollDevice({ configDir, centralUrl: values.central, enrollmentCode: values.code, deviceName: values.name });
    console.log(
      `Đã đăng ký máy "${stored.device.deviceName}" với trung tâm ${stored.centralUrl}: đơn vị ${stored.device.unit.name} (${stored.device.unit.code}), quầy ${stored.device.counterNo}. Mã thiết bị: ${stored.device.deviceId}`,
    );
    return 0;
  } catch (err) {
    console.error(err instanceof AppError ? describeError('vi', err.code, err.details) : err instanceof Error ? err.message : String(err));
    return 1;
  }
}
