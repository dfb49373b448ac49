/**
 * Which way up a text page is (0, 90, 180 or 270° clockwise turns needed to make it upright).
 *
 * - Sideways or not: text lines make the row profile of ink very uneven (lines and gaps); turned 90°, it is
 *   the column profile that is uneven. The one with the larger variance-to-mean ratio wins.
 * - Upright or upside down: in Latin script, and more so in Vietnamese with its tone marks, more ink sits above
 *   a line's core (ascenders, diacritics) than below it (descenders). Each text line votes.
 */
import { inkThreshold, rotateQuarter, type GrayImage } from './gray';

export interface OrientationEstimate {
  /** Quarter turns clockwise that make the page upright: 0, 1, 2 or 3. */
  readonly quarterTurns: 0 | 1 | 2 | 3;
  /** Text lines that voted on upright vs upside down; 0 means the page gave no evidence (kept as it is). */
  readonly lines: number;
  /** Share of the votes the winning direction got (0.5–1). */
  readonly agreement: number;
}

function inkMask(image: GrayImage): Uint8Array {
  const threshold = inkThreshold(image);
  const mask = new Uint8Array(image.data.length);
  for (let i = 0; i < mask.length; i++) mask[i] = (image.data[i] ?? 255) <= threshold ? 1 : 0;
  return mask;
}

function rowCounts(mask: Uint8Array, width: number, height: number): Float64Array {
  const rows = new Float64Array(height);
  for (let y = 0; y < height; y++) {
    let n = 0;
    for (let x = 0; x < width; x++) n += mask[y * width + x] ?? 0;
    rows[y] = n;
  }
  return rows;
}

function columnCounts(mask: Uint8Array, width: number, height: number): Float64Array {
  const columns = new Float64Array(width);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) columns[x] = (columns[x] ?? 0) + (mask[y * width + x] ?? 0);
  return columns;
}

/** Variance divided by mean, after a light smoothing: large for the alternation of text lines and gaps. */
function unevenness(profile: Float64Array): number {
  let sum = 0;
  for (const n of profile) sum += n;
  const mean = sum / Math.max(1, profile.length);
  if (mean === 0) return 0;
  let variance = 0;
  for (const n of profile) variance += (n - mean) ** 2;
  return variance / profile.length / mean;
}

interface LineVotes {
  readonly up: number;
  readonly down: number;
}

/** For each text line (a run of rows with ink), compares the ink above and below its dense core. */
function voteUpright(image: GrayImage): LineVotes {
  const mask = inkMask(image);
  const rows = rowCounts(mask, image.width, image.height);
  let peak = 0;
  for (const n of rows) peak = Math.max(peak, n);
  const minLineInk = peak * 0.05;
  let up = 0;
  let down = 0;
  let y = 0;
  while (y < image.height) {
    if ((rows[y] ?? 0) <= minLineInk) {
      y++;
      continue;
    }
    const start = y;
    while (y < image.height && (rows[y] ?? 0) > minLineInk) y++;
    const end = y; // exclusive
    const height = end - start;
    if (height < 4) continue;
    let linePeak = 0;
    for (let r = start; r < end; r++) linePeak = Math.max(linePeak, rows[r] ?? 0);
    // The core (x-height band): rows at least half as dense as the line's densest row.
    let coreTop = start;
    while (coreTop < end && (rows[coreTop] ?? 0) < linePeak * 0.5) coreTop++;
    let coreBottom = end - 1;
    while (coreBottom > coreTop && (rows[coreBottom] ?? 0) < linePeak * 0.5) coreBottom--;
    let above = 0;
    let below = 0;
    for (let r = start; r < coreTop; r++) above += rows[r] ?? 0;
    for (let r = coreBottom + 1; r < end; r++) below += rows[r] ?? 0;
    if (above + below === 0) continue;
    if (above > below * 1.1) up++;
    else if (below > above * 1.1) down++;
  }
  return { up, down };
}

export function estimateOrientation(image: GrayImage): OrientationEstimate {
  const mask = inkMask(image);
  const sideways = unevenness(columnCounts(mask, image.width, image.height)) > unevenness(rowCounts(mask, image.width, image.height)) * 1.2;
  const base = sideways ? 1 : 0;
  const upright = rotateQuarter(image, base);
  const votes = voteUpright(upright);
  const lines = votes.up + votes.down;
  if (lines === 0) return { quarterTurns: 0, lines: 0, agreement: 0.5 };
  const flipped = votes.down > votes.up;
  const turns = ((base + (flipped ? 2 : 0)) % 4) as 0 | 1 | 2 | 3;
  return { quarterTurns: turns, lines, agreement: Math.max(votes.up, votes.down) / lines };
}
