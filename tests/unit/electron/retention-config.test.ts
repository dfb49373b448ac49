// The counter's retention setting in config.json: checked with the configuration's schema at start-up and
// handed to the renderer by `config:get` (publicConfig).
import { describe, expect, it } from 'vitest';
import { parseHostConfig, publicConfig } from '../../../electron/services/config';
import { AppError } from '../../../shared/errors';

const base = {
  unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
  organisationName: 'Ủy ban nhân dân xã Demo',
  counterNo: 1,
  centralUrl: 'http://127.0.0.1:9',
  locale: 'vi',
  signers: [{ role: 'organisation', keystore: { kind: 'pkcs12', path: '/nonexistent/x.p12', label: 'Thử' } }],
};

function parse(extra: Record<string, unknown>) {
  return parseHostConfig('/tmp/config.json', JSON.stringify({ ...base, ...extra }));
}

function issueOf(extra: Record<string, unknown>): string {
  try {
    parse(extra);
  } catch (err) {
    if (err instanceof AppError && err.code === 'CONFIG_INVALID') return String(err.details.issue);
    throw err;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('retention in config.json', () => {
  it('defaults to purging at the first pass after the acknowledgement, and reaches the renderer', () => {
    const config = parse({});
    // Issue 17: minimisation 30 days after the central holds a closed status, applicants cache 90 days unseen.
    const defaults = { filesDaysAfterAck: 0, dossiersDaysAfterClose: 30, applicantsDaysUnseen: 90 };
    expect(config.retention).toEqual(defaults);
    expect(publicConfig(config).retention).toEqual(defaults);
    expect(publicConfig(parse({ retention: { filesDaysAfterAck: 14 } })).retention).toEqual({ ...defaults, filesDaysAfterAck: 14 });
    expect(parse({ retention: {} }).retention).toEqual(defaults);
    expect(parse({ retention: { dossiersDaysAfterClose: 0, applicantsDaysUnseen: 365 } }).retention).toEqual({ filesDaysAfterAck: 0, dossiersDaysAfterClose: 0, applicantsDaysUnseen: 365 });
  });

  it('refuses a negative, fractional, too large or misspelt value, naming the field', () => {
    expect(issueOf({ retention: { filesDaysAfterAck: -1 } })).toContain('retention.filesDaysAfterAck');
    expect(issueOf({ retention: { filesDaysAfterAck: 1.5 } })).toContain('retention.filesDaysAfterAck');
    expect(issueOf({ retention: { filesDaysAfterAck: 366 } })).toContain('retention.filesDaysAfterAck');
    expect(issueOf({ retention: { filesDaysAfterAck: '7' } })).toContain('retention.filesDaysAfterAck');
    expect(issueOf({ retention: { filesDayAfterAck: 7 } })).toContain('retention');
    expect(issueOf({ retention: { dossiersDaysAfterClose: -1 } })).toContain('retention.dossiersDaysAfterClose');
    expect(issueOf({ retention: { applicantsDaysUnseen: 400 } })).toContain('retention.applicantsDaysUnseen');
  });
});
