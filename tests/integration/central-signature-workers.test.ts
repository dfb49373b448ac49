/**
 * Issue 19, item 3: the signature checks at commit run in worker threads (central/src/signatures/pool.ts), so
 * a large file being checked does not stall the central's other requests. Shown by order, not by a timer:
 * the central logs (at debug level) when it starts and finishes checking a file; a `/health` request sent
 * once the check has started is answered — by the central's own log, in the order it wrote it — before the
 * check finished. On the central's own thread (`--signature-workers 0`, the behaviour before) the same
 * request waits for the check, and the same assertion fails.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../shared/util/bytes';
import { makeCommit, makeSignedPdf, putCommit, startCentralProcess, tusUpload, type CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

/** Large enough that checking it takes far longer than a health round trip (hashing alone is tens of MB). */
const LARGE_PDF_BYTES = 40 * 1024 * 1024;

interface LogLine {
  readonly msg?: string;
  readonly reqId?: string;
  readonly sha256?: string;
  readonly req?: { readonly url?: string };
}

/** The central's JSON log lines, in the order it wrote them (one stdout pipe). */
function logLines(central: CentralProcess): LogLine[] {
  return central
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

async function waitUntil(condition: () => boolean, what: string, central: CentralProcess): Promise<void> {
  for (let i = 0; i < 6_000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error(`never saw ${what}:\n${central.output().slice(-3000)}`);
}

let central: CentralProcess;
let largePdf: Uint8Array;

beforeAll(async () => {
  [central, largePdf] = await Promise.all([
    startCentralProcess({ args: ['--log-level', 'debug', '--signature-workers', '1'] }),
    makeSignedPdf({ paddingBytes: LARGE_PDF_BYTES }),
  ]);
}, 240_000);

afterAll(async () => {
  await central?.stop();
});

describe('signature checks in worker threads', () => {
  it('answers /health while a large file’s signatures are being checked, then commits it', { timeout: 240_000 }, async () => {
    const id = randomUUID();
    const sha256 = sha256Hex(largePdf);
    const uploadUrl = await tusUpload(central, largePdf, { dossierId: id });
    const commit = putCommit(central, id, makeCommit(id, [{ bytes: largePdf, uploadUrl }]));

    const started = (): boolean => logLines(central).some((l) => l.msg === 'signature check started' && l.sha256 === sha256);
    await waitUntil(started, 'the signature check start', central);
    const health = await fetch(new URL(pathFor('health'), central.url));
    expect(health.status).toBe(200);
    expect((await commit).status).toBe(201);

    // The central's log, in its own order: check started < health answered < check finished.
    const lines = logLines(central);
    const startedAt = lines.findIndex((l) => l.msg === 'signature check started' && l.sha256 === sha256);
    const finishedAt = lines.findIndex((l) => l.msg === 'signature check finished' && l.sha256 === sha256);
    const healthRequest = lines.findIndex((l, i) => i > startedAt && l.msg === 'incoming request' && l.req?.url === pathFor('health'));
    const healthReqId = lines[healthRequest]?.reqId;
    const healthAnswered = lines.findIndex((l, i) => i > healthRequest && l.msg === 'request completed' && l.reqId === healthReqId);
    expect(startedAt).toBeGreaterThanOrEqual(0);
    expect(healthRequest).toBeGreaterThan(startedAt);
    expect(healthAnswered).toBeGreaterThan(healthRequest);
    expect(finishedAt, 'the health request was answered only after the check finished').toBeGreaterThan(healthAnswered);
  });
});
