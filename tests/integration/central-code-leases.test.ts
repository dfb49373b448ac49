/**
 * Issue 15 against the real central process: the lease endpoint hands counters disjoint blocks of an (agency,
 * day)'s dossier numbers, sized by the floor for a counter with no history, refilled only when the counter is
 * running low, refused for days outside the central's window; a provisional TAM-… number committed offline is
 * replaced by an official code drawn from the same table, above every leased block, and the answer repeats it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCodeLeasePolicy } from '../../shared/domain/code-lease';
import { parseDossierCode } from '../../shared/domain/dossier-code';
import { toVietnamIso } from '../../shared/domain/time';
import { centralErrorSchema, codeLeaseResponseSchema, commitAckSchema, type CodeLeaseResponse } from '../../shared/sync/protocol';
import { centralFetch, enrollTestDevice, makeCommit, makeSignedPdf, putCommit, startCentralProcess, tusUpload, type CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

let central: CentralProcess;
let signedPdf: Uint8Array;
let secondCounter: { url: string; credential: string };

beforeAll(async () => {
  [central, signedPdf] = await Promise.all([startCentralProcess(), makeSignedPdf({ paddingBytes: 2_000 })]);
  const enrolled = await enrollTestDevice(central, { counterNo: 2, deviceName: 'Quầy 2' });
  secondCounter = { url: central.url, credential: enrolled.credential };
});

afterAll(async () => {
  await central?.stop();
});

const today = toVietnamIso(new Date()).slice(0, 10);
const dayAfter = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function lease(target: { url: string; credential?: string | undefined }, wants: unknown[]): Promise<{ status: number; body: unknown }> {
  const res = await centralFetch(target, pathFor('codeLeases'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wants }) });
  return { status: res.status, body: await res.json() };
}

const leasesOf = (answer: { body: unknown }): CodeLeaseResponse => codeLeaseResponseSchema.parse(answer.body);

describe('POST /api/v1/code-leases', () => {
  it('leases disjoint blocks per (agency, day) to two counters, the floor in size for counters with no history', async () => {
    const wants = [0, 1, 2, 3].map((n) => ({ agencyId: 'G12.18.92', day: dayAfter(today, n), unused: 0 }));
    const first = leasesOf(await lease(central, wants));
    const second = leasesOf(await lease(secondCounter, wants));
    expect(first.days).toEqual(wants.map((w) => w.day));
    expect(first.leases).toHaveLength(4);
    expect(second.leases).toHaveLength(4);
    for (const [i, block] of first.leases.entries()) {
      expect(block).toEqual({ agencyId: 'G12.18.92', day: wants[i]?.day, first: 1, last: defaultCodeLeasePolicy.floor });
      expect(second.leases[i]).toEqual({ agencyId: 'G12.18.92', day: wants[i]?.day, first: defaultCodeLeasePolicy.floor + 1, last: 2 * defaultCodeLeasePolicy.floor });
    }
  });

  it('refills only a counter running low, and never for a day outside the central window (a clock set forward or back)', async () => {
    const agencyId = 'G12.18.93';
    const granted = leasesOf(await lease(central, [{ agencyId, day: today, unused: 0 }]));
    expect(granted.leases).toHaveLength(1);
    const plenty = leasesOf(await lease(central, [{ agencyId, day: today, unused: defaultCodeLeasePolicy.floor }]));
    expect(plenty.leases).toEqual([]);
    const low = leasesOf(await lease(central, [{ agencyId, day: today, unused: 1 }]));
    expect(low.leases).toEqual([{ agencyId, day: today, first: defaultCodeLeasePolicy.floor + 1, last: 2 * defaultCodeLeasePolicy.floor }]);
    const outside = leasesOf(await lease(central, [
      { agencyId, day: dayAfter(today, defaultCodeLeasePolicy.daysAhead + 1), unused: 0 },
      { agencyId, day: dayAfter(today, -1), unused: 0 },
    ]));
    expect(outside.leases).toEqual([]);
  });

  it('starts above the old fixed blocks (9001) for an old QCVN identifier', async () => {
    const granted = leasesOf(await lease(central, [{ agencyId: '000.00.01.H22', day: today, unused: 0 }]));
    expect(granted.leases[0]?.first).toBe(9001);
  });

  it('refuses a malformed agency identifier, and a caller without a device credential', async () => {
    const bad = await lease(central, [{ agencyId: 'Z12.18.92', day: today, unused: 0 }]);
    expect(bad.status).toBe(400);
    expect(centralErrorSchema.parse(bad.body).error).toBe('CENTRAL_REJECTED');
    const anonymous = await lease({ url: central.url }, [{ agencyId: 'G12.18.92', day: today, unused: 0 }]);
    expect(anonymous.status).toBe(401);
  });
});

describe('a provisional number at commit', () => {
  it('is replaced by an official code above every leased block of that agency and day, and a repeat gets the same code', async () => {
    const agencyId = 'G12.18.94';
    const leased = leasesOf(await lease(central, [{ agencyId, day: today, unused: 0 }]));
    const id = randomUUID();
    const uploadUrl = await tusUpload(central, signedPdf, { dossierId: id });
    const provisional = `TAM-000.00.01.H22-Q1-${today.slice(2).replaceAll('-', '')}-0001`;
    const commit = makeCommit(id, [{ bytes: signedPdf, uploadUrl }], { code: provisional, codePrefix: agencyId });
    const first = await putCommit(central, id, commit);
    expect(first.status).toBe(201);
    const ack = commitAckSchema.parse(first.body);
    const official = parseDossierCode(ack.code ?? '');
    expect(official.agencyId).toBe(agencyId);
    expect(official.sequence).toBe((leased.leases[0]?.last ?? 0) + 1);
    const again = await putCommit(central, id, commit);
    expect(again.status).toBe(200);
    expect(commitAckSchema.parse(again.body).code).toBe(ack.code);
    // The next counter's block starts above the central's own number.
    const next = leasesOf(await lease(secondCounter, [{ agencyId, day: today, unused: 0 }]));
    expect(next.leases[0]?.first).toBe(official.sequence + 1);
  });

  it('an official code another dossier already holds is replaced the same way (a counter restored from an old image)', async () => {
    const agencyId = 'G12.18.95';
    const code = `${agencyId}-${today.slice(2).replaceAll('-', '')}-0001`;
    const acks = [];
    for (const id of [randomUUID(), randomUUID()]) {
      const uploadUrl = await tusUpload(central, signedPdf, { dossierId: id });
      const answer = await putCommit(central, id, makeCommit(id, [{ bytes: signedPdf, uploadUrl }], { code }));
      expect(answer.status).toBe(201);
      acks.push(commitAckSchema.parse(answer.body));
    }
    expect(acks[0]?.code).toBe(code);
    expect(acks[1]?.code).not.toBe(code);
    // 0001 was on a dossier without being leased: the central skips it.
    expect(parseDossierCode(acks[1]?.code ?? '')).toMatchObject({ agencyId, sequence: 2 });
  });
});
