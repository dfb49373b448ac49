/**
 * One S3 client configuration for every use (stored files, tus uploads, sweep, orphan job), and the reading of
 * S3's "not found" answers. Facts it rests on (docs/scaling.md, "Storage on S3"; checked against Ceph RGW 16):
 * path-style URLs (an RGW addressed by IP has no per-bucket host names), and checksums only where an operation
 * requires one — the SDK's default since 3.729 sends a CRC32 trailer in an aws-chunked body, which several
 * S3-compatible stores refuse, and RGW 16 ignores `x-amz-checksum-sha256` anyway. Integrity rests on
 * Content-MD5 (which RGW enforces) and on the central's own SHA-256 check at commit.
 */
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3StorageConfig } from './config';

export function s3ClientConfig(config: S3StorageConfig): S3ClientConfig {
  return {
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: true,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A store that does not answer must fail a request (and the start-up probe) in seconds, not hang it.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
    maxAttempts: 3,
  };
}

interface S3ErrorShape {
  readonly name?: string;
  readonly Code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

export function s3Status(err: unknown): number | undefined {
  return (err as S3ErrorShape | undefined)?.$metadata?.httpStatusCode;
}

export function s3ErrorName(err: unknown): string | undefined {
  const e = err as S3ErrorShape | undefined;
  return e?.Code ?? e?.name;
}

/** NoSuchKey, NotFound (a HEAD's bare 404) or any 404. */
export function isS3NotFound(err: unknown): boolean {
  const name = s3ErrorName(err);
  return name === 'NoSuchKey' || name === 'NotFound' || s3Status(err) === 404;
}
