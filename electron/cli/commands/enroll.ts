/**
 * `motcua enroll --central <url> --code <XXXX-XXXX-XXXX> [--unit <mã đơn vị>] [--counter <số quầy>] [--name <tên máy>] [--data <thư mục>]`
 *
 * Enrolls this PC with a central using a one-time code from IT (`motcua central enroll-code`), through the same
 * service as the first-start screen (electron/services/enrollment.ts): the central's clock and reachability are
 * checked before the code is spent; `--unit`/`--counter` make the central refuse another unit's code without
 * spending it. The credential is stored in the data folder
 * (device.json, mode 0600) and used by the app's sync.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { describeError } from '../../../shared/i18n/error-messages';
import { checkCentralTransport, defaultConfigFile, loadHostConfig, type HostConfig } from '../../services/config';
import { enrollCounter } from '../../services/enrollment';
import { defaultCounterDataDir } from '../counter-data-dir';

const usage =
  'Cách dùng: motcua enroll --central <url> --code <XXXX-XXXX-XXXX> [--unit <mã đơn vị>] [--counter <số quầy>] [--name <tên máy>] [--data <thư mục dữ liệu>]';

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        central: { type: 'string' },
        code: { type: 'string' },
        unit: { type: 'string' },
        counter: { type: 'string' },
        name: { type: 'string' },
        data: { type: 'string' },
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
  const counterNo = values.counter === undefined ? undefined : Number(values.counter);
  if (!values.central || !values.code || (counterNo !== undefined && !(Number.isInteger(counterNo) && counterNo >= 1 && counterNo <= 9))) {
    console.error(usage);
    return 2;
  }
  try {
    const configDir = path.resolve(values.data ?? defaultCounterDataDir());
    // The one-time code goes out and the device credential comes back: HTTPS, unless this counter's
    // configuration says it is a lab's (issue 17); no configuration yet counts as production.
    const config = await loadHostConfig(configDir, undefined).then(
      (loaded): HostConfig | undefined => loaded,
      (err: unknown) => {
        if (err instanceof AppError && err.code === 'CONFIG_MISSING') return undefined;
        throw err;
      },
    );
    checkCentralTransport(values.central, { allowHttpCentral: config?.allowHttpCentral ?? false, demo: false, file: defaultConfigFile(configDir) });
    const unitCode = values.unit;
    const expectedCounter = counterNo;
    const stored = await enrollCounter(
      {
        centralUrl: values.central,
        enrollmentCode: values.code,
        ...(values.name ? { deviceName: values.name } : {}),
        expect: { ...(unitCode ? { unitCode } : {}), ...(expectedCounter ? { counterNo: expectedCounter } : {}) },
      },
      { configDir, ...(config?.maxClockSkewMinutes ? { maxClockSkewMinutes: config.maxClockSkewMinutes } : {}) },
    );
    console.log(
      `Đã đăng ký máy "${stored.device.deviceName}" với trung tâm ${stored.centralUrl}: đơn vị ${stored.device.unit.name} (${stored.device.unit.code}), quầy ${stored.device.counterNo}. Mã thiết bị: ${stored.device.deviceId}`,
    );
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      console.error(`Lỗi: ${describeError('vi', err.code, err.details)}\nError: ${describeError('en', err.code, err.details)}`);
    } else {
      console.error(err instanceof Error ? err.message : String(err));
    }
    return 1;
  }
}
