/**
 * The audit chain's check (shared/audit/chain.ts), as a property: whatever log and whichever single entry is
 * edited, deleted (not the last) or swapped with the next, the check names that entry's seq and why.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainAuditEntry, verifyAuditChain, type AuditEntry, type RendererAuditRecord } from '../../../shared/audit/chain';

const clerk = { kind: 'certificate', commonName: 'Nguyễn Văn Công Chức', serial: '0a1b2c' } as const;
const record = (n: number): RendererAuditRecord => ({ action: 'supplement-requested', details: { procedureCode: `1.00${n}`, items: n % 7 } });

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let n = 0; n < length; n++) entries.push(chainAuditEntry(entries.at(-1) ?? null, record(n), new Date(Date.UTC(2026, 11, 6, 1, n)).toISOString(), clerk));
  return entries;
}

describe('audit chain check', () => {
  it('accepts an untouched chain of any length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), (length) => {
        expect(verifyAuditChain(chain(length))).toMatchObject({ ok: true, count: length });
      }),
    );
  });

  it('finds an edited entry at its seq, whatever field changed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }).chain((length) => fc.tuple(fc.constant(length), fc.integer({ min: 0, max: length - 1 }), fc.constantFrom('at', 'details', 'clerk', 'action'))), ([length, index, field]) => {
        const entries: unknown[] = chain(length);
        const original = entries[index] as AuditEntry;
        const edits: Record<string, object> = {
          at: { at: '2020-01-01T00:00:00.000Z' },
          details: { details: { procedureCode: 'khác', items: 99 } },
          clerk: { clerk: { kind: 'unidentified' } },
          action: { action: 'dossier-refused', details: { procedureCode: 'x' } },
        };
        entries[index] = { ...original, ...edits[field] };
        expect(verifyAuditChain(entries)).toMatchObject({ ok: false, count: index, break: { seq: index + 1, reason: 'hash-mismatch' } });
      }),
    );
  });

  it('finds a deletion (not of the last entry) at the first missing seq, and a swap at the first misplaced one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }).chain((length) => fc.tuple(fc.constant(length), fc.integer({ min: 0, max: length - 2 }))), ([length, index]) => {
        const entries = chain(length);
        expect(verifyAuditChain(entries.filter((_, i) => i !== index))).toMatchObject({ ok: false, break: { seq: index + 1, reason: 'missing' } });
        const swapped = [...entries];
        [swapped[index], swapped[index + 1]] = [entries[index + 1] as AuditEntry, entries[index] as AuditEntry];
        expect(verifyAuditChain(swapped)).toMatchObject({ ok: false, break: { seq: index + 1, reason: 'missing' } });
      }),
    );
  });

  it('cannot see the last entry deleted: only the central, which holds it, can (docs/audit-log.md)', () => {
    expect(verifyAuditChain(chain(5).slice(0, 4))).toMatchObject({ ok: true, count: 4 });
  });
});
