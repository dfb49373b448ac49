// The reference data the screens use: the central's last good copy when held, the built-in data otherwise.
import { describe, expect, it } from 'vitest';
import { calendarFrom, catalogFrom } from '../../../renderer/src/db/reference-data';
import type { ReferenceRow } from '../../../renderer/src/db/database';
import { bundledCatalog } from '../../../shared/domain/catalog-demo';

const row = (kind: ReferenceRow['kind'], data: unknown): ReferenceRow => ({ kind, version: 'v1', publishedAt: '2026-11-23T08:00:00+07:00', data, fetchedAt: '2026-11-23T01:00:00.000Z' });

describe('catalogFrom', () => {
  it('uses the central’s catalog when held, the bundled one otherwise or when it no longer reads', () => {
    const one = bundledCatalog.slice(0, 1).map((p) => ({ ...p, name: `${p.name} (cập nhật)` }));
    expect(catalogFrom(row('catalog', one)).map((p) => p.name)).toEqual([`${bundledCatalog[0]?.name} (cập nhật)`]);
    expect(catalogFrom(undefined)).toBe(bundledCatalog);
    expect(catalogFrom(row('catalog', [{ code: 'x' }]))).toBe(bundledCatalog);
  });
});

describe('calendarFrom', () => {
  it('the central’s yearly calendar overrides the rules for its year (a day off, a make-up Saturday)', () => {
    const official = { year: 2027, source: 'Thông báo thử nghiệm', daysOff: [{ date: '2027-03-15', reason: 'Nghỉ bù thử nghiệm' }], makeUpWorkingDays: [{ date: '2027-03-20', reason: 'Làm bù' }] };
    const fromCentral = calendarFrom(row('calendar', [official])).nonWorkingDays(2027);
    expect(fromCentral.source).toBe('official');
    expect(fromCentral.nonWorkingDays.map((d) => d.date)).toEqual(['2027-03-15']);
    expect(fromCentral.makeUpWorkingDays.map((d) => d.date)).toEqual(['2027-03-20']);
    expect(calendarFrom(undefined).nonWorkingDays(2027).source).toBe('rules');
    expect(calendarFrom(row('calendar', { year: 'không' })).nonWorkingDays(2027).source).toBe('rules');
  });
});
