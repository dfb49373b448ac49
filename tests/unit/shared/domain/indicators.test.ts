import { describe, expect, it } from 'vitest';
import { boardColour, computeIndicators, formatRate, timelinessOf, type IndicatorDossier } from '../../../../shared/domain/indicators';
import { fromVietnamParts as vn } from '../../../../shared/domain/time';
import { checkCompleteness, completionCopyType, defaultCompletionItem } from '../../../../shared/domain/completeness';
import { bundledCatalog } from '../../../../shared/domain/catalog-demo';

const base: IndicatorDossier = {
  code: '000.00.01.H22-261123-0001',
  procedureCode: '1.001193',
  procedureName: 'Đăng ký khai sinh',
  clerk: 'Trần Văn B',
  receivedAt: vn(2026, 11, 23, 9, 0),
  appointmentAt: vn(2026, 11, 26, 9, 0),
  supplementRounds: 0,
  apologised: false,
  digitized: true,
};
const now = vn(2026, 11, 25, 9, 0);

describe('timelinessOf', () => {
  it('finished by the appointment is on time; after it, late', () => {
    expect(timelinessOf({ ...base, finishedAt: vn(2026, 11, 26, 9, 0) }, now)).toBe('on-time');
    expect(timelinessOf({ ...base, finishedAt: vn(2026, 11, 26, 9, 1) }, now)).toBe('late');
  });
  it('one supplement round is allowed; a second makes it late even when finished early', () => {
    expect(timelinessOf({ ...base, supplementRounds: 1, finishedAt: vn(2026, 11, 24, 9, 0) }, now)).toBe('on-time');
    expect(timelinessOf({ ...base, supplementRounds: 2, finishedAt: vn(2026, 11, 24, 9, 0) }, now)).toBe('late');
  });
  it('an apology makes it late whatever the new date', () => {
    expect(timelinessOf({ ...base, apologised: true, finishedAt: vn(2026, 11, 24, 9, 0) }, now)).toBe('late');
  });
  it('unfinished: pending until the appointment passes, late after; a paused clock does not run', () => {
    expect(timelinessOf(base, now)).toBe('pending');
    expect(timelinessOf(base, vn(2026, 11, 27, 9, 0))).toBe('late');
    expect(timelinessOf({ ...base, pausedSince: vn(2026, 11, 24, 9, 0) }, vn(2026, 11, 30, 9, 0))).toBe('pending');
  });
});

describe('boardColour', () => {
  it('green, yellow, orange by the share of time used; red when late', () => {
    expect(boardColour(base, vn(2026, 11, 23, 10, 0))).toBe('green');
    expect(boardColour(base, vn(2026, 11, 25, 0, 0))).toBe('yellow');
    expect(boardColour(base, vn(2026, 11, 25, 20, 0))).toBe('orange');
    expect(boardColour(base, vn(2026, 11, 26, 10, 0))).toBe('red');
    expect(boardColour({ ...base, supplementRounds: 2 }, vn(2026, 11, 23, 10, 0))).toBe('red');
  });
  it('an extended dossier is coloured by its new date (red once that passes); without an extension, late is red', () => {
    const extended = { ...base, apologised: true, appointmentAt: vn(2026, 11, 30, 17, 0) };
    expect(boardColour(extended, vn(2026, 11, 27, 10, 0))).not.toBe('red');
    expect(boardColour(extended, vn(2026, 12, 1, 8, 0))).toBe('red');
    expect(timelinessOf(extended, vn(2026, 11, 27, 10, 0))).toBe('late');
    expect(boardColour(base, vn(2026, 11, 27, 10, 0))).toBe('red');
  });
  it('honours configured thresholds', () => {
    expect(boardColour(base, vn(2026, 11, 23, 10, 0), { yellowFrom: 0, orangeFrom: 0.9 })).toBe('yellow');
  });
});

describe('computeIndicators', () => {
  const dossiers: IndicatorDossier[] = [
    { ...base, finishedAt: vn(2026, 11, 25, 8, 0) },
    { ...base, code: 'x2', finishedAt: vn(2026, 11, 27, 8, 0) },
    { ...base, code: 'x3', clerk: 'Lê Thị C', digitized: false },
    { ...base, code: 'x4', clerk: 'Lê Thị C', procedureCode: '2.000815', procedureName: 'Chứng thực bản sao', receivedAt: vn(2026, 11, 24, 9, 0), appointmentAt: vn(2026, 11, 24, 17, 0) },
  ];
  it('per day: on-time over (on-time + late), digitized over received; the total last', () => {
    const rows = computeIndicators(dossiers, 'day', now);
    expect(rows.map((r) => [r.key, r.received, r.onTime, r.late, r.pending, r.digitized])).toEqual([
      ['2026-11-23', 3, 1, 1, 1, 2],
      ['2026-11-24', 1, 0, 1, 0, 1],
      ['', 4, 1, 2, 1, 3],
    ]);
    expect(rows[2]?.onTimeRate).toBeCloseTo(1 / 3);
    expect(rows[2]?.digitizationRate).toBe(0.75);
  });
  it('per clerk and per procedure', () => {
    expect(computeIndicators(dossiers, 'clerk', now).map((r) => [r.key, r.received])).toEqual([
      ['Lê Thị C', 2],
      ['Trần Văn B', 2],
      ['', 4],
    ]);
    const byProcedure = computeIndicators(dossiers, 'procedure', now);
    expect(byProcedure[0]).toMatchObject({ key: '1.001193', label: '1.001193 Đăng ký khai sinh', received: 3 });
  });
  it('no rate when nothing is due or received', () => {
    const [total] = computeIndicators([], 'day', now);
    expect(total).toMatchObject({ onTimeRate: null, digitizationRate: null });
    expect(formatRate(null)).toBe('–');
    expect(formatRate(2 / 3)).toBe('66,7 %');
  });
});

describe('checkCompleteness', () => {
  const procedure = bundledCatalog.find((p) => p.components.some((c) => c.required) && p.components.length >= 2);
  if (!procedure) throw new Error('demo catalog has no procedure with two components');
  it('lists present and missing components against the procedure', () => {
    const first = procedure.components[0];
    if (!first) throw new Error('no component');
    const result = checkCompleteness(procedure, new Set([first.code]));
    expect(result.present.map((c) => c.code)).toEqual([first.code]);
    expect(result.missingRequired.every((c) => c.required && c.code !== first.code)).toBe(true);
    expect(result.complete).toBe(result.missingRequired.length === 0);
    expect(checkCompleteness(procedure, new Set(procedure.components.map((c) => c.code))).complete).toBe(true);
  });
  it('maps the catalog copy type to Mẫu 02 wording and gives a default reason', () => {
    expect(completionCopyType({ code: 'a', name: 'A', required: true, copyType: 'photocopy' })).toBe('copy-with-original');
    expect(completionCopyType({ code: 'a', name: 'A', required: true })).toBe('original');
    expect(defaultCompletionItem({ code: 'a', name: 'Tờ khai', required: true, copyType: 'copy' })).toMatchObject({ component: 'Tờ khai', copyType: 'certified-copy' });
  });
});
