/**
 * bench:check's comparison (bench/check-verdict.ts) with plain numbers: the tolerance, the 3× rule, a figure the
 * baseline does not hold yet, a figure anchored on the baseline itself (the queue), and the exit code.
 */
import { describe, expect, it } from 'vitest';
import { checkRow, exitCodeOf, formatTable, tooBusyToJudge, updatedBaseline, verdictOfChange, type Baseline, type Measured } from '../../../bench/check-verdict';

const signing = (valueMs: number, anchorMs: number): Measured => ({ key: 'signing.p12.10MB', bench: 'signing, 10 MB', figure: 'signPdf', valueMs, anchorMs, anchor: 'sha256sum' });
const queue = (valueMs: number): Measured => ({ key: 'queue.code.p95', bench: 'queue', figure: 'filter by code, p95', valueMs, anchor: 'baseline figure' });
const baseline: Baseline = {
  tolerance: 0.5,
  entries: {
    'signing.p12.10MB': { ratio: 2 },
    'queue.code.p95': { ratio: 1, valueMs: 40 },
  },
};

describe('bench:check verdicts', () => {
  it('a ratio within the tolerance of its baseline ratio is OK, beyond it SLOWER, beyond 3× FAIL', () => {
    expect(checkRow(signing(200, 100), baseline)).toMatchObject({ ratio: 2, baselineRatio: 2, change: 1, verdict: 'OK' });
    expect(checkRow(signing(300, 100), baseline).verdict).toBe('OK'); // 1.5× the baseline ratio: at the tolerance
    expect(checkRow(signing(301, 100), baseline).verdict).toBe('SLOWER');
    expect(checkRow(signing(600, 100), baseline).verdict).toBe('SLOWER'); // exactly 3×: still only reported
    expect(checkRow(signing(601, 100), baseline).verdict).toBe('FAIL');
  });

  it('compares ratios, not times: a busier machine that slows figure and anchor alike stays OK', () => {
    expect(checkRow(signing(800, 400), baseline).verdict).toBe('OK');
    // The same 800 ms against a quick anchor is a real slowdown.
    expect(checkRow(signing(800, 100), baseline).verdict).toBe('FAIL');
  });

  it('more than 3× faster is reported as FASTER and does not fail', () => {
    expect(checkRow(signing(60, 100), baseline)).toMatchObject({ verdict: 'FASTER' });
    expect(checkRow(signing(67, 100), baseline).verdict).toBe('OK');
    expect(exitCodeOf([checkRow(signing(60, 100), baseline)])).toBe(0);
  });

  it('a row tolerance overrides the baseline-wide one, which overrides the default (50 %)', () => {
    const own: Baseline = { entries: { 'signing.p12.10MB': { ratio: 2, tolerance: 1 } } };
    expect(checkRow(signing(390, 100), own).verdict).toBe('OK');
    expect(checkRow(signing(390, 100), { entries: { 'signing.p12.10MB': { ratio: 2 } } }).verdict).toBe('SLOWER');
    expect(checkRow(signing(390, 100), { tolerance: 0.1, entries: { 'signing.p12.10MB': { ratio: 2 } } }).verdict).toBe('SLOWER');
    expect(checkRow(signing(210, 100), { tolerance: 0.1, entries: { 'signing.p12.10MB': { ratio: 2 } } }).verdict).toBe('OK');
  });

  it('a figure missing from the baseline is NEW, with its ratio, and does not fail', () => {
    const row = checkRow({ ...signing(250, 100), key: 'signing.p12.50MB' }, baseline);
    expect(row).toMatchObject({ verdict: 'NEW', ratio: 2.5 });
    expect(row.baselineRatio).toBeUndefined();
    expect(exitCodeOf([row])).toBe(0);
    // The queue without a recorded figure has nothing to be a ratio to.
    const first = checkRow({ ...queue(55), key: 'queue.name.p95' }, baseline);
    expect(first.verdict).toBe('NEW');
    expect(first.ratio).toBeUndefined();
  });

  it('the queue, with no anchor in the run, is a ratio to the figure the baseline recorded', () => {
    expect(checkRow(queue(40), baseline)).toMatchObject({ ratio: 1, baselineRatio: 1, verdict: 'OK' });
    expect(checkRow(queue(80), baseline)).toMatchObject({ ratio: 2, verdict: 'SLOWER' });
    expect(checkRow(queue(130), baseline)).toMatchObject({ verdict: 'FAIL' });
  });

  it('a bench that gave no figure is an ERROR and fails; a skipped optional one does not', () => {
    const noFigure: Measured = { key: 'signing.p12.10MB', bench: 'signing', figure: 'signPdf', anchorMs: 100, anchor: 'sha256sum', error: 'exit 1: SoftHSM missing' };
    expect(checkRow(noFigure, baseline)).toMatchObject({ verdict: 'ERROR', error: 'exit 1: SoftHSM missing' });
    expect(checkRow({ ...signing(200, Number.NaN) }, baseline).verdict).toBe('ERROR'); // anchor missing
    const skipped = checkRow({ key: 'scan.ocr', bench: 'scan', figure: 'OCR', anchor: 'img2pdf', skipped: 'not asked' }, baseline);
    expect(skipped.verdict).toBe('SKIPPED');
    expect(exitCodeOf([skipped, checkRow(signing(200, 100), baseline)])).toBe(0);
    expect(exitCodeOf([skipped, checkRow(noFigure, baseline)])).toBe(1);
  });

  it('exits 1 when any row fails, 0 when the worst is SLOWER', () => {
    expect(exitCodeOf([checkRow(signing(500, 100), baseline), checkRow(queue(100), baseline)])).toBe(0);
    expect(exitCodeOf([checkRow(signing(500, 100), baseline), checkRow(queue(121), baseline)])).toBe(1);
    expect(exitCodeOf([])).toBe(0);
  });

  it('on a machine too busy to judge (load above 2 per CPU) a FAIL is reported without failing; a missing figure still fails', () => {
    expect(tooBusyToJudge([3.9, 4.0], 2)).toBe(false);
    expect(tooBusyToJudge([3.9, 4.1], 2)).toBe(true);
    expect(tooBusyToJudge([16.8], 8)).toBe(true);
    const failed = checkRow(signing(700, 100), baseline);
    expect(failed.verdict).toBe('FAIL');
    expect(exitCodeOf([failed], true)).toBe(0);
    expect(exitCodeOf([failed], false)).toBe(1);
    expect(exitCodeOf([failed, checkRow({ ...signing(200, 100), valueMs: undefined }, baseline)], true)).toBe(1);
  });

  it('a change that is not a number fails', () => {
    expect(verdictOfChange(Number.NaN, 0.5)).toBe('FAIL');
    expect(verdictOfChange(Number.POSITIVE_INFINITY, 0.5)).toBe('FAIL');
  });
});

describe('bench:check baseline and table', () => {
  it('--update-baseline records ratios (1 and the figure for the queue), keeps row tolerances and rows without a figure', () => {
    const before: Baseline = { tolerance: 0.5, entries: { 'signing.p12.10MB': { ratio: 2, tolerance: 1 }, 'scan.cleanup-pdf': { ratio: 8 } } };
    const rows = [checkRow(signing(300, 100), before), checkRow({ ...queue(35), key: 'queue.open.p95' }, before), checkRow({ key: 'scan.cleanup-pdf', bench: 'scan', figure: 'x', anchorMs: 1, anchor: 'img2pdf', error: 'crashed' }, before)];
    const after = updatedBaseline(before, rows, '2026-12-06', 1.25);
    expect(after.tolerance).toBe(0.5);
    expect(after.entries).toEqual({
      'signing.p12.10MB': { ratio: 3, valueMs: 300, tolerance: 1, recorded: '2026-12-06', load: 1.25 },
      'queue.open.p95': { ratio: 1, valueMs: 35, recorded: '2026-12-06', load: 1.25 },
      'scan.cleanup-pdf': { ratio: 8 },
    });
  });

  it('prints one line per figure with bench, figure, anchor, ratio, baseline ratio and verdict', () => {
    const table = formatTable([checkRow(signing(301, 100), baseline), checkRow(queue(40), baseline)]).split('\n');
    expect(table[0]).toMatch(/\| bench +\| figure +\| anchor +\| ratio +\| baseline ratio +\| verdict +\|/);
    expect(table).toHaveLength(4);
    expect(table[2]).toMatch(/signing, 10 MB .*signPdf 301 ms .*sha256sum 100 ms .*3\.01× .*2\.00× .*SLOWER \(1\.50×\)/);
    expect(table[3]).toMatch(/queue .*40 ms .*baseline figure .*1\.00× .*1\.00× .*OK/);
  });
  it('a report-only figure more than 3× slower is SLOWER, never FAIL; the same figure gated fails', () => {
    const baseline = { tolerance: 0.5, entries: { 'signing.p12.1MB': { ratio: 0.4 } } } as unknown as Parameters<typeof checkRow>[1];
    const measured = { key: 'signing.p12.1MB', bench: 'signing, 1 MB', figure: 'signPdf', valueMs: 72, anchorMs: 11, anchor: 'sha256sum' };
    expect(checkRow({ ...measured, reportOnly: true }, baseline).verdict).toBe('SLOWER');
    expect(checkRow(measured, baseline).verdict).toBe('FAIL');
  });
});
