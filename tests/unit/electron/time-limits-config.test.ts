// The 2025 time-limit settings in config.json (`timeLimits`, issue 15): optional, filled with the documented
// UNCONFIRMED defaults when partly given, checked at start-up naming the field, and handed to the renderer.
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

const parse = (extra: Record<string, unknown>) => parseHostConfig('/tmp/config.json', JSON.stringify({ ...base, ...extra }));

function issueOf(extra: Record<string, unknown>): string {
  try {
    parse(extra);
  } catch (err) {
    if (err instanceof AppError && err.code === 'CONFIG_INVALID') return String(err.details.issue);
    throw err;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('timeLimits in config.json', () => {
  it('is optional: a configuration written before it still loads (the app then uses the defaults)', () => {
    expect(parse({}).timeLimits).toBeUndefined();
  });

  it('fills what is not given with the documented defaults and reaches the renderer', () => {
    const config = parse({ timeLimits: { reception: { saturday: 'morning', saturdayProcedures: ['1.004884'] } } });
    expect(publicConfig(config).timeLimits).toEqual({
      supplementWindow: { amount: 15, unit: 'days' },
      extensionNoticeDays: 1,
      reception: { saturday: 'morning', saturdayProcedures: ['1.004884'], saturdayReceiptCounts: 'next-working-day' },
      cultureDayCompensated: true,
    });
  });

  it('refuses an unknown counting choice or a bad window, naming the field', () => {
    expect(issueOf({ timeLimits: { reception: { saturdayReceiptCounts: 'sunday' } } })).toContain('timeLimits.reception.saturdayReceiptCounts');
    expect(issueOf({ timeLimits: { supplementWindow: { amount: 0, unit: 'days' } } })).toContain('timeLimits.supplementWindow.amount');
  });
});
