/**
 * `motcua release-sign --key <ed25519-private.pem> --file <installer> --version <x.y.z> [--out <file.sig>]`:
 * the publisher's signature over a release (shared/updates/release.ts `releaseSignedMessage`), made where the app
 * is built, never on the central. Counters accept an update only when one of the public keys in their
 * configuration (`updates.publisherKeys`) verifies it. Make a key pair once with
 * `openssl genpkey -algorithm ed25519 -out publisher.pem` and `openssl pkey -in publisher.pem -pubout`.
 * Exit 0 signed; 2 bad arguments or key.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { releaseFileNameSchema, releaseSignedMessage, releaseVersionSchema } from '../../../shared/updates/release';
import { sha512OfFile } from '../../services/updates/update-client';

const usage = 'Cách dùng: motcua release-sign --key <khóa riêng Ed25519 .pem> --file <bộ cài> --version <x.y.z> [--out <tệp .sig>]';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { key: { type: 'string' }, file: { type: 'string' }, version: { type: 'string' }, out: { type: 'string' } } });
  const version = releaseVersionSchema.safeParse(values.version);
  if (!values.key || !values.file || !version.success) {
    console.error(usage);
    return 2;
  }
  const file = releaseFileNameSchema.safeParse(path.basename(values.file));
  if (!file.success) {
    console.error(`Tên tệp "${path.basename(values.file)}" không dùng được (chỉ chữ, số, dấu cách, . _ -).`);
    return 2;
  }
  let key;
  try {
    key = createPrivateKey(await readFile(values.key));
  } catch (err) {
    console.error(`Không đọc được khóa riêng "${values.key}": ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    console.error(`Khóa "${values.key}" không phải khóa Ed25519 (openssl genpkey -algorithm ed25519).`);
    return 2;
  }
  const { sha512, size } = await sha512OfFile(values.file);
  const signature = sign(null, releaseSignedMessage({ version: version.data, file: file.data, sha512, size }), key).toString('base64');
  const out = values.out ?? `${values.file}.sig`;
  await writeFile(out, `${signature}\n`);
  console.log(JSON.stringify({ version: version.data, file: file.data, size, sha512, signature: out }, null, 2));
  return 0;
}
