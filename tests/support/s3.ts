/**
 * An S3 server for tests: the Ceph RGW `.ci/run` starts (development: `/work/shared/scale-out/ceph-up.sh`),
 * named by `MOTCUA_TEST_S3_ENDPOINT` with `MOTCUA_TEST_S3_ACCESS_KEY` / `MOTCUA_TEST_S3_SECRET_KEY`. Each caller
 * gets its own buckets with random names, emptied and deleted by `drop()`, so test files running side by side
 * never see each other's objects.
 */
import { randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3StorageConfig } from '../../central/src/storage/config';
import { s3ClientConfig } from '../../central/src/storage/s3-client';

const endpoint = process.env.MOTCUA_TEST_S3_ENDPOINT || undefined;
const accessKeyId = process.env.MOTCUA_TEST_S3_ACCESS_KEY || undefined;
const secretAccessKey = process.env.MOTCUA_TEST_S3_SECRET_KEY || undefined;

/** Why the S3 tests cannot run here, or undefined (for `skipWithout`, requirements.ts). */
export const s3Missing =
  endpoint && accessKeyId && secretAccessKey
    ? undefined
    : 'MOTCUA_TEST_S3_ENDPOINT, MOTCUA_TEST_S3_ACCESS_KEY and MOTCUA_TEST_S3_SECRET_KEY are not all set (.ci/run starts a Ceph RGW and sets them)';

export interface TestBuckets {
  readonly config: S3StorageConfig;
  readonly client: S3Client;
  /** The environment a central process needs for `--storage s3` on these buckets (credentials included). */
  readonly centralEnv: Record<string, string>;
  /** Every key in `bucket` (tests look at what the central left). */
  keys(bucket: string): Promise<string[]>;
  drop(): Promise<void>;
}

export async function createTestBuckets(): Promise<TestBuckets> {
  if (!endpoint || !accessKeyId || !secretAccessKey) throw new Error(s3Missing);
  const suffix = randomBytes(6).toString('hex');
  const config: S3StorageConfig = {
    kind: 's3',
    endpoint,
    region: 'us-east-1',
    filesBucket: `motcua-test-files-${suffix}`,
    uploadsBucket: `motcua-test-uploads-${suffix}`,
    accessKeyId,
    secretAccessKey,
  };
  const client = new S3Client(s3ClientConfig(config));
  for (const Bucket of [config.filesBucket, config.uploadsBucket]) await client.send(new CreateBucketCommand({ Bucket }));
  const keys = async (Bucket: string): Promise<string[]> => {
    const all: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, ...(token ? { ContinuationToken: token } : {}) }));
      all.push(...(page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return all.sort();
  };
  return {
    config,
    client,
    centralEnv: {
      MOTCUA_CENTRAL_STORAGE: 's3',
      MOTCUA_CENTRAL_S3_ENDPOINT: endpoint,
      MOTCUA_CENTRAL_S3_FILES_BUCKET: config.filesBucket,
      MOTCUA_CENTRAL_S3_UPLOADS_BUCKET: config.uploadsBucket,
      MOTCUA_CENTRAL_S3_ACCESS_KEY_ID: accessKeyId,
      MOTCUA_CENTRAL_S3_SECRET_ACCESS_KEY: secretAccessKey,
    },
    keys,
    async drop() {
      for (const Bucket of [config.filesBucket, config.uploadsBucket]) {
        const open = await client.send(new ListMultipartUploadsCommand({ Bucket }));
        for (const upload of open.Uploads ?? []) await client.send(new AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }));
        const left = await keys(Bucket);
        for (let i = 0; i < left.length; i += 1000) {
          await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: left.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }));
        }
        await client.send(new DeleteBucketCommand({ Bucket }));
      }
      client.destroy();
    },
  };
}
