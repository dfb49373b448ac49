/** What makes a campaign pass, shared by the vitest suite and the command-line long run. */
import { randomInt } from 'node:crypto';
import type { CampaignResult } from './campaign';

export interface Verdict {
  readonly ok: boolean;
  readonly reasons: string[];
}

export function campaignVerdict(result: CampaignResult): Verdict {
  const r = result.report;
  const reasons: string[] = [];
  if (r.lost.length) reasons.push(`${r.lost.length} lost`);
  if (r.duplicated.length) reasons.push(`${r.duplicated.length} duplicated`);
  if (r.stuck.length) reasons.push(`${r.stuck.length} stuck`);
  if (r.hashMismatches.length) reasons.push(`${r.hashMismatches.length} with other bytes`);
  if (r.badSignatures.length) reasons.push(`${r.badSignatures.length} with invalid signatures`);
  if (result.counterShrinks.length) reasons.push(`the counter's database shrank ${result.counterShrinks.length}× unnoticed by its ledger`);
  if (result.spoolLeft.length) reasons.push(`main's spool kept ${result.spoolLeft.length} copies after the central acknowledged them`);
  if (result.stalled) reasons.push(`the faults stopped early: ${result.stalled}`);
  if (r.dossiers === 0) reasons.push('no dossier was accepted');
  return { ok: reasons.length === 0, reasons };
}

/** `MOTCUA_FAULT_SEED` when set (to repeat a run), else a fresh random seed (printed by the caller). */
export function seedFromEnv(): number {
  const text = process.env.MOTCUA_FAULT_SEED;
  if (text !== undefined && text !== '') {
    const seed = Number(text);
    if (!Number.isInteger(seed) || seed < 0) throw new Error(`MOTCUA_FAULT_SEED must be a non-negative integer, not "${text}"`);
    return seed;
  }
  return randomInt(0, 2 ** 31);
}
