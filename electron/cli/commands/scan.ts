/**
 * `motcua scan --list` and `motcua scan --device <id> --out <dir>`: the app's capture code for IT staff
 * checking a scanner or a hot folder. Devices come from the counter's configuration (`--data`, as for
 * `motcua host`); pages are written as they arrive; a refused file or a failed batch is reported in
 * Vietnamese and the exit code is 1 (pages already written stay).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeError } from '../../../shared/i18n/error-messages';
import { scanSettingsSchema } from '../../../shared/capture/capture';
import { AppError } from '../../../shared/errors';
import { demoConfig, loadHostConfig } from '../../services/config';
import { openCaptureService } from '../../services/capture';
import { vietnameseMessage } from '../../services/signing/cli-support';

const usage = `Cách dùng:
  motcua scan --list [--data <thư mục cấu hình>]
  motcua scan --device <mã thiết bị> --out <thư mục> [--source flatbed|feeder|feeder-duplex] [--mode color|gray] [--dpi 200] [--max-pages n]
Ví dụ: motcua scan --device sane:test:0 --out ./trang-quet --source feeder`;

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        list: { type: 'boolean' },
        device: { type: 'string' },
        out: { type: 'string' },
        source: { type: 'string', default: 'feeder' },
        mode: { type: 'string', default: 'color' },
        dpi: { type: 'string', default: '200' },
        'max-pages': { type: 'string' },
        data: { type: 'string', default: '.motcua-data' },
      },
    }));
  } catch {
    console.error(usage);
    return 2;
  }
  if (!values.list && !(values.device && values.out)) {
    console.error(usage);
    return 2;
  }
  try {
    const config = await loadHostConfig(values.data, undefined).catch((err: unknown) => {
      // No counter configured here: scan with the default capture settings, and write nothing into the folder
      // (a demo config left behind would later start a production counter as a demo one).
      if (err instanceof AppError && err.code === 'CONFIG_MISSING') return demoConfig(path.join(values.data, 'pki'));
      throw err;
    });
    const capture = openCaptureService(config.capture);
    if (values.list) {
      const { devices, problems } = await capture.listDevices();
      console.log(JSON.stringify(devices, null, 2));
      for (const p of problems) console.error(describeError('vi', p.code, p.details));
      return devices.length > 0 ? 0 : 1;
    }
    const settings = scanSettingsSchema.safeParse({
      paperSource: values.source,
      colourMode: values.mode,
      dpi: Number(values.dpi),
      ...(values['max-pages'] ? { maxPages: Number(values['max-pages']) } : {}),
      // A hot folder is emptied once, not watched.
      stopWhenIdle: true,
    });
    if (!settings.success) {
      console.error(usage);
      return 2;
    }
    const out = path.resolve(values.out ?? '.');
    await mkdir(out, { recursive: true });
    let refused = 0;
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    const end = await capture.runToEnd(
      values.device ?? '',
      settings.data,
      async (item) => {
        if (item.kind === 'rejected') {
          refused++;
          console.error(describeError('vi', item.error.code, item.error.details));
          return;
        }
        const ext = item.info.mediaType === 'image/png' ? 'png' : item.info.mediaType === 'application/pdf' ? 'pdf' : 'jpg';
        const file = path.join(out, `trang-${String(item.index + 1).padStart(4, '0')}.${ext}`);
        await writeFile(file, item.bytes);
        console.log(`${file}\t${item.info.widthPx}×${item.info.heightPx}\t${item.info.dpi ?? '?'} dpi`);
      },
      controller.signal,
    );
    if (end.error) console.error(describeError('vi', end.error.code, end.error.details));
    console.error(`${end.pagesSoFar} trang đã lưu vào ${out}${refused ? `, ${refused} tệp bị từ chối` : ''}.`);
    return end.error || refused ? 1 : 0;
  } catch (err) {
    console.error(vietnameseMessage(err));
    return 1;
  }
}
