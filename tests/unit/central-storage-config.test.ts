/**
 * `--storage` and the S3 options (central/src/storage/config.ts, issue 19 contract): disk by default, arguments
 * win over the environment, the access keys come only from the environment, and what is missing or malformed is
 * an AppError whose message (vi + en) names the setting.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { describeError } from '../../shared/i18n/error-messages';
import { storageConfigFrom } from '../../central/src/storage/config';

const keys = { MOTCUA_CENTRAL_S3_ACCESS_KEY_ID: 'AK', MOTCUA_CENTRAL_S3_SECRET_ACCESS_KEY: 'SK' };
const failure = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('did not throw');
};

describe('storage configuration of the central', () => {
  it('is the data directory when nothing is said (npm start unchanged)', () => {
    expect(storageConfigFrom({}, {})).toEqual({ kind: 'disk' });
  });

  it('takes S3 from the environment, with the contract defaults for region and buckets', () => {
    expect(storageConfigFrom({}, { MOTCUA_CENTRAL_STORAGE: 's3', MOTCUA_CENTRAL_S3_ENDPOINT: 'http://127.0.0.1:7480', ...keys })).toEqual({
      kind: 's3',
      endpoint: 'http://127.0.0.1:7480',
      region: 'us-east-1',
      filesBucket: 'motcua-files',
      uploadsBucket: 'motcua-uploads',
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
    });
  });

  it('lets arguments win over the environment', () => {
    const config = storageConfigFrom(
      { storage: 's3', s3Endpoint: 'https://s3.tinh.gov.vn', s3Region: 'vn-1', s3FilesBucket: 'hs', s3UploadsBucket: 'tl' },
      { MOTCUA_CENTRAL_STORAGE: 'disk', MOTCUA_CENTRAL_S3_ENDPOINT: 'http://other', MOTCUA_CENTRAL_S3_FILES_BUCKET: 'x', ...keys },
    );
    expect(config).toMatchObject({ kind: 's3', endpoint: 'https://s3.tinh.gov.vn', region: 'vn-1', filesBucket: 'hs', uploadsBucket: 'tl' });
  });

  it('refuses S3 without its endpoint or either access key, naming what is missing in both languages', () => {
    const noEndpoint = failure(() => storageConfigFrom({ storage: 's3' }, keys));
    expect(noEndpoint.code).toBe('CENTRAL_S3_SETTING_MISSING');
    expect(describeError('vi', noEndpoint.code, noEndpoint.details)).toContain('--s3-endpoint');
    const noSecret = failure(() => storageConfigFrom({ storage: 's3', s3Endpoint: 'http://127.0.0.1:7480' }, { MOTCUA_CENTRAL_S3_ACCESS_KEY_ID: 'AK' }));
    expect(noSecret.details.setting).toBe('MOTCUA_CENTRAL_S3_SECRET_ACCESS_KEY');
    expect(describeError('en', noSecret.code, noSecret.details)).toContain('never from command-line arguments');
  });

  it('refuses an unknown storage kind and an endpoint that is not http(s)', () => {
    expect(failure(() => storageConfigFrom({ storage: 'ftp' }, {})).code).toBe('CENTRAL_STORAGE_INVALID');
    expect(failure(() => storageConfigFrom({ storage: 's3', s3Endpoint: 'ceph:7480' }, keys)).code).toBe('CENTRAL_STORAGE_INVALID');
  });
});
