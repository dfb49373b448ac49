/**
 * The composition of the two storage ports for `startCentral`: both on the data directory, or both on S3 (one
 * client for both buckets). On S3 both buckets are probed before the central listens, so a store that does not
 * answer or a bucket that is missing is a start-up error naming it (vi + en), not a 500 on the first commit.
 */
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { AppError } from '../../../shared/errors';
import type { CentralStorageConfig, S3StorageConfig } from './config';
import { DiskFileStorage } from './disk-file-storage';
import { DiskUploadStorage } from './disk-upload-storage';
import type { FileStorage } from './file-storage';
import { s3ClientConfig, s3ErrorName, s3Status } from './s3-client';
import { S3FileStorage } from './s3-file-storage';
import { S3UploadStorage } from './s3-upload-storage';
import type { UploadStorage } from './upload-storage';

export interface CentralStorage {
  readonly files: FileStorage;
  readonly uploads: UploadStorage;
  close(): void;
}

export async function openStorage(config: CentralStorageConfig, dataDir: string): Promise<CentralStorage> {
  if (config.kind === 'disk') {
    const files = new DiskFileStorage(dataDir);
    await files.init();
    const uploads = new DiskUploadStorage(path.join(dataDir, 'uploads'));
    await uploads.init();
    return { files, uploads, close: () => undefined };
  }
  const client = new S3Client(s3ClientConfig(config));
  const files = new S3FileStorage(config, client);
  const uploads = new S3UploadStorage(config, client);
  try {
    await probeBucket(config, config.filesBucket, () => files.probe());
    await probeBucket(config, config.uploadsBucket, () => uploads.probe());
  } catch (err) {
    client.destroy();
    throw err;
  }
  return {
    files,
    uploads,
    close: () => client.destroy(),
  };
}

/** A HEAD of the bucket; its failure as the start-up error that says what to fix. */
async function probeBucket(config: S3StorageConfig, bucket: string, probe: () => Promise<void>): Promise<void> {
  try {
    await probe();
  } catch (err) {
    const status = s3Status(err);
    if (status === 404 || s3ErrorName(err) === 'NoSuchBucket') throw new AppError('CENTRAL_S3_BUCKET_MISSING', { bucket, endpoint: config.endpoint }, { cause: err });
    if (status === 403 || status === 401) throw new AppError('CENTRAL_S3_ACCESS_DENIED', { bucket, endpoint: config.endpoint }, { cause: err });
    const reason = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 200) : String(err);
    throw new AppError('CENTRAL_S3_UNREACHABLE', { endpoint: config.endpoint, reason }, { cause: err });
  }
}
