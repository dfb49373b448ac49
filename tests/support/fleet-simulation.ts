/**
 * Issue 16: a fleet of simulated counters for the fleet-view tests. Each is enrolled through the admin API and
 * reports through the real HTTP API of a central process started with fault control (its clock is shifted
 * with `PUT /api/v1/test/clock` so that some counters last reported ten days ago).
 */
import { counterVersionHeader, type CounterReport } from '../../shared/sync/fleet';
import { enrollTestDevice, type CentralProcess } from './central-process';
import { pathFor } from '../../shared/sync/api-contract';

const dayMs = 86_400_000;

export interface SimulatedCounter {
  readonly index: number;
  readonly deviceId: string;
  readonly credential: string;
  readonly unitCode: string;
  /** How it reports: never, ten days ago (central clock), or now; with this version and backlog. */
  readonly plan: { readonly reports: 'never' | 'ten-days-ago' | 'now'; readonly version: string; readonly backlog: number };
}

/** Every 20th never reports, every 5th (from 1) last reported ten days ago; every 7th runs 0.9.4, every 11th 1.0.0-rc.2. */
function planFor(index: number): SimulatedCounter['plan'] {
  const reports = index % 20 === 0 ? 'never' : index % 5 === 1 ? 'ten-days-ago' : 'now';
  const version = index % 7 === 0 ? '0.9.4' : index % 11 === 0 ? '1.0.0-rc.2' : '1.0.0';
  const backlog = index % 9 === 0 ? 25 + index : index % 4;
  return { reports, version, backlog };
}

/** The report counter `c` sends, its clock reading `counterTime`. */
export function reportOf(c: SimulatedCounter, counterTime: Date): CounterReport {
  return {
    appVersion: c.plan.version,
    counterTime: counterTime.toISOString(),
    backlog: { dossiers: c.plan.backlog, failed: c.index % 13 === 0 ? 1 : 0, events: 0, bytes: c.plan.backlog * 1_000_000, oldestUnsentAgeSeconds: c.plan.backlog > 0 ? 3600 * c.plan.backlog : null },
    lastError: c.index % 6 === 0 ? { code: 'CENTRAL_UNREACHABLE', at: new Date(counterTime.getTime() - 60_000).toISOString() } : null,
    signingCertificateNotAfter: c.index % 10 === 3 ? new Date(counterTime.getTime() + 12 * dayMs).toISOString() : '2027-06-30T16:59:59.000Z',
    platform: { os: 'windows', osVersion: '10.0', shell: 'electron', shellVersion: '39.2.0' },
  };
}

export async function putReport(central: Pick<CentralProcess, 'url'>, counter: Pick<SimulatedCounter, 'credential'>, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL(pathFor('counterReport'), central.url), {
    method: 'PUT',
    headers: { authorization: `Bearer ${counter.credential}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function setCentralClock(central: Pick<CentralProcess, 'url'>, offsetMs: number): Promise<Date> {
  const res = await fetch(new URL(pathFor('testSetClock'), central.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offsetMs }) });
  if (res.status !== 200) throw new Error(`clock control refused: ${res.status} ${await res.text()}`);
  return new Date(((await res.json()) as { now: string }).now);
}

/**
 * Enrolls `count` counters (units of 9: the central holds one PC per counter number of a unit) and has them
 * report as `planFor` says, each with its clock 2 minutes ahead of the central's. The central needs
 * `MOTCUA_CENTRAL_FAULT_CONTROL=1` and an enroll rate limit that lets `count` enrollments through.
 */
export async function simulateFleet(central: CentralProcess, count: number): Promise<SimulatedCounter[]> {
  const counters: SimulatedCounter[] = [];
  for (let index = 0; index < count; index++) {
    const unitCode = `000.00.${String(10 + Math.floor(index / 9)).padStart(2, '0')}.H22`;
    const enrolled = await enrollTestDevice(central, { unit: { code: unitCode, name: `UBND xã Thử ${Math.floor(index / 9)}` }, counterNo: (index % 9) + 1, deviceName: `Máy quầy ${index}` });
    counters.push({ index, deviceId: enrolled.device.deviceId, credential: enrolled.credential, unitCode, plan: planFor(index) });
  }
  for (const phase of ['ten-days-ago', 'now'] as const) {
    const centralNow = await setCentralClock(central, phase === 'ten-days-ago' ? -10 * dayMs : 0);
    const reporting = counters.filter((c) => c.plan.reports === phase);
    for (let i = 0; i < reporting.length; i += 20) {
      await Promise.all(
        reporting.slice(i, i + 20).map(async (c) => {
          const res = await putReport(central, c, reportOf(c, new Date(centralNow.getTime() + 120_000)), { [counterVersionHeader]: c.plan.version });
          if (res.status !== 200) throw new Error(`report of counter ${c.index} refused: ${res.status} ${await res.text()}`);
        }),
      );
    }
  }
  return counters;
}

/** The central arguments the simulation needs: outdated below 1.0.0, and room for hundreds of enrollments. */
export const fleetCentralArgs = ['--min-counter-version', '1.0.0', '--rate-limit', 'enroll=500/50,commit=60/2,admin=1000/100'] as const;
