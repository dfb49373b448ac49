/**
 * Fault injection for tests: the central misbehaves on purpose so the counter's retry and queue logic can be
 * proved against a real process. Off unless configured.
 *
 * Text form (env `MOTCUA_CENTRAL_FAULTS`): comma-separated `<fault>=<count>`, e.g. `commit-500=2`.
 */
import { z } from 'zod';

const faultNames = [
  /** Answer 500 to the next N commits before doing anything. */
  'commit-500',
  /** Store the next N commits, then answer 500 as if the ack was lost on the way back. */
  'commit-lost-ack',
  /** Answer 500 to the next N tus PATCH requests (upload chunks) without reading them. */
  'upload-patch-500',
  /** Answer 500 to the next N downloads of a result document. */
  'result-500',
] as const;
export type FaultName = (typeof faultNames)[number];

export const faultPlanSchema = z.partialRecord(z.enum(faultNames), z.number().int().min(0).max(1_000_000));
export type FaultPlan = z.infer<typeof faultPlanSchema>;

export function parseFaultPlan(text: string | undefined): FaultPlan {
  const plan: Record<string, number> = {};
  for (const part of (text ?? '').split(',')) {
    const item = part.trim();
    if (!item) continue;
    const [name, count = '1'] = item.split('=');
    plan[(name ?? '').trim()] = Number(count.trim());
  }
  const parsed = faultPlanSchema.safeParse(plan);
  if (!parsed.success) throw new Error(`bad fault plan "${text}": ${parsed.error.message}`);
  return parsed.data;
}

/** Remaining counts, consumed one by one. */
export class Faults {
  private readonly remaining = new Map<FaultName, number>();

  constructor(plan: FaultPlan = {}) {
    this.set(plan);
  }

  /** Replaces the counts of the faults named in `plan`. */
  set(plan: FaultPlan): void {
    for (const [name, count] of Object.entries(plan) as [FaultName, number | undefined][]) {
      if (count === undefined) continue;
      if (count > 0) this.remaining.set(name, count);
      else this.remaining.delete(name);
    }
  }

  /** True (and one fewer left) when this fault should fire now. */
  take(name: FaultName): boolean {
    const left = this.remaining.get(name) ?? 0;
    if (left <= 0) return false;
    if (left === 1) this.remaining.delete(name);
    else this.remaining.set(name, left - 1);
    return true;
  }

  snapshot(): FaultPlan {
    return Object.fromEntries(this.remaining);
  }
}
