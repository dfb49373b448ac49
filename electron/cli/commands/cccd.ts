/**
 * `motcua cccd "<qr text>"`: prints the parsed CCCD / thẻ căn cước QR as JSON, or a Vietnamese error and
 * exit 1 (2 on bad usage). For installers testing a barcode reader and for IT staff.
 */
import { parseCccdQr } from '../../../shared/domain/cccd';
import { vietnameseMessage } from '../../services/signing/cli-support';

export function run(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] === undefined) {
    console.error('Cách dùng: motcua cccd "<nội dung mã QR trên thẻ căn cước>"');
    return Promise.resolve(2);
  }
  try {
    console.log(JSON.stringify(parseCccdQr(args[0]), null, 2));
    return Promise.resolve(0);
  } catch (err) {
    console.error(vietnameseMessage(err));
    return Promise.resolve(1);
  }
}
