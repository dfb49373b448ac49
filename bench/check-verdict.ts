/**
 * The comparison behind `npm run bench:check` (bench/check.ts), kept free of I/O so it can be tested with plain
 * numbers (tests/unit/bench/check-verdict.test.ts).
 *
 * Each figure is a ratio to an anchor measured in the same run (img2pdf, `sha256sum`), so that a machine
 * twice as busy moves the figure and its anchor together. The queue has no external anchor: its anchor is the
 * figure recorded in bench/baseline.json, and its baseline ratio is 1 by definition — the least robust row,
 * which the table says.
 *
 * Verdicts, from change = ratio ÷ baseline ratio:
 * - OK      1/3 ≤ change ≤ 1 + tolerance;
 * - SLOWER  1 + tolerance < change ≤ 3: reported, never fails (timings on a shared machine are noisy);
 * - FAIL    change > 3: more than 3× slower than the baseline ratio (fails the run, unless the load average was
 *           above 2 per CPU: then it is reported only, see tooBusyToJudge);
 * - FASTER  change < 1/3: reported, never fails — a real gain to record with `--update-baseline`, or a bench
 *           that stopped doing its work (read its output). Not a failure, because the queue's figure has no
 *           anchor in the run, so a baseline recorded on a busy machine would otherwise fail every quiet run;
 * - NEW     no baseline entry yet: reported with its ratio, never fails (record it with --update-baseline);
 * - SKIPPED an optional figure whose tool is not installed (OCR);
 * - ERROR   the bench did not give the figure: fails, since the guard then guards nothing.
 */

/** Beyond this factor from the baseline, either way, the check fails. */
export const failFactor = 3;

/** Default tolerance: up to 50 % slower than the baseline ratio is still OK (2-core machine, shared). */
export const defaultTolerance = 0.5;

export type Verdict = 'OK' | 'SLOWER' | 'FAIL' | 'FASTER' | 'NEW' | 'SKIPPED' | 'ERROR';

/** One figure as bench/check.ts measured it. */
export interface Measured {
  /** Stable key in bench/baseline.json, e.g. "signing.p12.10MB". */
  readonly key: string;
  readonly bench: string;
  /** What was timed, in words. */
  readonly figure: string;
  /** The figure itself (ms), or undefined when the bench did not give it. */
  readonly valueMs?: number;
  /** The anchor's time in the same run (ms); absent for figures anchored on the baseline (the queue). */
  readonly anchorMs?: number;
  /** The anchor, in words ("sha256sum", "img2pdf", "baseline figure"). */
  readonly anchor: string;
  /** Not measured because an optional tool is missing (the reason): SKIPPED, not ERROR. */
  readonly skipped?: string;
  /** Why the figure is missing, when it is. */
  readonly error?: string;
  /**
   * Never FAIL, only SLOWER: figures too small or without an anchor in the run for the 3× rule to mean the code
   * (a 1 MB signature of ~9 ms beside a `sha256sum` dominated by process start; the queue, compared with a figure
   * recorded on another day). They are printed like the rest.
   */
  readonly reportOnly?: boolean;
}

/** bench/baseline.json */
export interface Baseline {
  readonly tolerance?: number;
  readonly entries: Readonly<Record<string, BaselineEntry>>;
}

export interface BaselineEntry {
  /** figure ÷ anchor when recorded (1 for figures anchored on the baseline itself). */
  readonly ratio: number;
  /** The figure when recorded (ms): the anchor of rows without one measured in the run. */
  readonly valueMs?: number;
  /** A tolerance of this row's own (a noisier figure). */
  readonly tolerance?: number;
  /** When and at what load it was recorded: a baseline from a busy machine is read accordingly. */
  readonly recorded?: string;
  readonly load?: number;
}

export interface CheckedRow extends Measured {
  readonly ratio?: number;
  readonly baselineRatio?: number;
  /** ratio ÷ baseline ratio. */
  readonly change?: number;
  readonly verdict: Verdict;
}

/** The ratio of a measured figure: to its anchor in this run, else to the baseline's recorded figure. */
export function ratioOf(measured: Measured, entry: BaselineEntry | undefined): number | undefined {
  if (measured.valueMs === undefined || !Number.isFinite(measured.valueMs)) return undefined;
  if (measured.anchorMs !== undefined) return measured.anchorMs > 0 && Number.isFinite(measured.anchorMs) ? measured.valueMs / measured.anchorMs : undefined;
  return entry?.valueMs !== undefined && entry.valueMs > 0 ? measured.valueMs / entry.valueMs : undefined;
}

/** The verdict of a change (ratio ÷ baseline ratio) for a given tolerance. */
export function verdictOfChange(change: number, tolerance: number): 'OK' | 'SLOWER' | 'FAIL' | 'FASTER' {
  if (!Number.isFinite(change) || change > failFactor) return 'FAIL';
  if (change < 1 / failFactor) return 'FASTER';
  return change > 1 + tolerance ? 'SLOWER' : 'OK';
}

export function checkRow(measured: Measured, baseline: Baseline): CheckedRow {
  if (measured.skipped !== undefined) return { ...measured, verdict: 'SKIPPED' };
  const entry = baseline.entries[measured.key];
  const ratio = ratioOf(measured, entry);
  if (measured.valueMs === undefined || (measured.anchorMs !== undefined && ratio === undefined)) return { ...measured, verdict: 'ERROR', error: measured.error ?? 'no figure' };
  // A figure anchored on the baseline has no ratio until the baseline holds it.
  if (!entry || ratio === undefined) return { ...measured, ...(ratio !== undefined ? { ratio } : {}), verdict: 'NEW' };
  const change = ratio / entry.ratio;
  const verdict = verdictOfChange(change, entry.tolerance ?? baseline.tolerance ?? defaultTolerance);
  return { ...measured, ratio, baselineRatio: entry.ratio, change, verdict: verdict === 'FAIL' && measured.reportOnly ? 'SLOWER' : verdict };
}

/**
 * Above this 1-minute load average per CPU the timings say more about the neighbours than about the code: at
 * load 15–17 on this 2-core VM a 9 ms signature of 1 MB took at least 72 ms in 15 tries while `sha256sum` (a
 * short process of its own) still got 11 ms, so ratios moved up to 17× with no change to the code.
 */
export const tooBusyLoadPerCpu = 2;

/** Whether the run was too busy for a FAIL to mean anything: the load at start or end above tooBusyLoadPerCpu. */
export function tooBusyToJudge(loads: readonly number[], cpus: number): boolean {
  return loads.some((load) => load > tooBusyLoadPerCpu * cpus);
}

/**
 * 1 when any row failed (more than 3× slower, or no figure); SLOWER, FASTER, NEW and SKIPPED never fail. A FAIL on
 * a machine too busy to judge is reported and does not fail (a bench that gave no figure still does).
 */
export function exitCodeOf(rows: readonly CheckedRow[], tooBusy = false): 0 | 1 {
  if (rows.some((r) => r.verdict === 'ERROR')) return 1;
  return !tooBusy && rows.some((r) => r.verdict === 'FAIL') ? 1 : 0;
}

/** The baseline with this run's ratios recorded (rows without a figure keep their old entry). */
export function updatedBaseline(baseline: Baseline, rows: readonly CheckedRow[], recorded: string, load: number): Baseline {
  const entries: Record<string, BaselineEntry> = { ...baseline.entries };
  for (const row of rows) {
    if (row.valueMs === undefined || row.verdict === 'SKIPPED' || row.verdict === 'ERROR') continue;
    const own = baseline.entries[row.key]?.tolerance;
    const ratio = row.anchorMs !== undefined ? row.valueMs / row.anchorMs : 1;
    entries[row.key] = { ratio: round(ratio), valueMs: round(row.valueMs), ...(own !== undefined ? { tolerance: own } : {}), recorded, load: round(load) };
  }
  return { ...baseline, entries };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** The table bench:check prints: bench, figure, anchor, ratio, baseline ratio, verdict. */
export function formatTable(rows: readonly CheckedRow[]): string {
  const ms = (n: number | undefined): string => (n === undefined ? '—' : `${n.toFixed(n < 10 ? 1 : 0)} ms`);
  const times = (n: number | undefined): string => (n === undefined ? '—' : `${n.toFixed(2)}×`);
  const cells = rows.map((r) => [
    r.bench,
    `${r.figure} ${ms(r.valueMs)}`,
    r.anchorMs !== undefined ? `${r.anchor} ${ms(r.anchorMs)}` : r.anchor,
    times(r.ratio),
    times(r.baselineRatio),
    r.verdict + (r.change !== undefined && r.verdict !== 'OK' ? ` (${times(r.change)})` : '') + (r.skipped ? `: ${r.skipped}` : '') + (r.verdict === 'ERROR' && r.error ? `: ${r.error}` : ''),
  ]);
  const header = ['bench', 'figure', 'anchor', 'ratio', 'baseline ratio', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string => `| ${c.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
