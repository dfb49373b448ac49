/**
 * Where the central keeps stored files and tus uploads in progress (issue 19 contract): the data directory
 * (`disk`, the embedded default, unchanged for `npm start`) or two S3 buckets (`s3`: Ceph RGW, MinIO, a cloud's
 * S3). Options `--storage`, `--s3-endpoint`, `--s3-region`, `--s3-files-bucket`, `--s3-uploads-bucket`, each
 * also read from the environment; the credentials only from the environment — an argument is visible in `ps`.
 */
import { AppError } from '../../../shared/errors';

export interface S3StorageConfig {
  readonly kind: 's3';
  /** e.g. `http://127.0.0.1:7480`; addressed path-style. */
  readonly endpoint: string;
  readonly region: string;
  /** Received PDFs and result documents (`files/…`, `results/…`). */
  readonly filesBucket: string;
  /** tus uploads in progress (`@tus/s3-store` has no key prefix, so they need a bucket of their own). */
  readonly uploadsBucket: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export type CentralStorageConfig = { readonly kind: 'disk' } | S3StorageConfig;

const storageEnv = {
  storage: 'MOTCUA_CENTRAL_STORAGE',
  endpoint: 'MOTCUA_CENTRAL_S3_ENDPOINT',
  region: 'MOTCUA_CENTRAL_S3_REGION',
  filesBucket: 'MOTCUA_CENTRAL_S3_FILES_BUCKET',
  uploadsBucket: 'MOTCUA_CENTRAL_S3_UPLOADS_BUCKET',
  accessKeyId: 'MOTCUA_CENTRAL_S3_ACCESS_KEY_ID',
  secretAccessKey: 'MOTCUA_CENTRAL_S3_SECRET_ACCESS_KEY',
} as const;

const DEFAULT_S3_REGION = 'us-east-1';
const DEFAULT_S3_FILES_BUCKET = 'motcua-files';
const DEFAULT_S3_UPLOADS_BUCKET = 'motcua-uploads';

/** The command line's storage options (undefined = not given: the environment, then the default, applies). */
export interface StorageArguments {
  readonly storage?: string | undefined;
  readonly s3Endpoint?: string | undefined;
  readonly s3Region?: string | undefined;
  readonly s3FilesBucket?: string | undefined;
  readonly s3UploadsBucket?: string | undefined;
}

/** Arguments win over the environment. Throws `AppError` (vi + en at start-up) for what cannot work. */
export function storageConfigFrom(args: StorageArguments, env: NodeJS.ProcessEnv = process.env): CentralStorageConfig {
  const pick = (arg: string | undefined, name: string): string | undefined => arg || env[name] || undefined;
  const kind = pick(args.storage, storageEnv.storage) ?? 'disk';
  if (kind === 'disk') return { kind: 'disk' };
  if (kind !== 's3') throw new AppError('CENTRAL_STORAGE_INVALID', { value: kind });
  const endpoint = pick(args.s3Endpoint, storageEnv.endpoint);
  if (!endpoint) throw new AppError('CENTRAL_S3_SETTING_MISSING', { setting: `--s3-endpoint (${storageEnv.endpoint})` });
  try {
    if (!/^https?:$/.test(new URL(endpoint).protocol)) throw new Error('not http(s)');
  } catch {
    throw new AppError('CENTRAL_STORAGE_INVALID', { value: endpoint });
  }
  const accessKeyId = env[storageEnv.accessKeyId];
  const secretAccessKey = env[storageEnv.secretAccessKey];
  if (!accessKeyId) throw new AppError('CENTRAL_S3_SETTING_MISSING', { setting: storageEnv.accessKeyId });
  if (!secretAccessKey) throw new AppError('CENTRAL_S3_SETTING_MISSING', { setting: storageEnv.secretAccessKey });
  return {
    kind: 's3',
    endpoint,
    region: pick(args.s3Region, storageEnv.region) ?? DEFAULT_S3_REGION,
    filesBucket: pick(args.s3FilesBucket, storageEnv.filesBucket) ?? DEFAULT_S3_FILES_BUCKET,
    uploadsBucket: pick(args.s3UploadsBucket, storageEnv.uploadsBucket) ?? DEFAULT_S3_UPLOADS_BUCKET,
    accessKeyId,
    secretAccessKey,
  };
}
