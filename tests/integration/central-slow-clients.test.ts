/**
 * Issue 17, finding 5: the central under slow clients. 1,500 half-sent requests against the real central process
 * (headers trickling in, a body that stalls, a body that trickles), all cut within the configured timeouts,
 * while a normal counter still uploads and commits a dossier during the attack.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../shared/util/bytes';
import { makeCommit, makeSignedPdf, putCommit, startCentralProcess, tusUpload, type CentralProcess } from '../support/central-process';
import { pathFor, tusEndpointPath } from '../../shared/sync/api-contract';

/** Short timeouts for the test (production defaults: 20 s / 30 s / 120 s, server.ts). */
const headersTimeoutS = 2;
const idleTimeoutS = 2;
const bodyTimeoutS = 3;
const perKind = 500;
/** A loaded 2-core machine may cut a little late: the deadline checker runs every half second, and 1,500 sockets wait their turn. */
const slackMs = 6_000;

type Kind = 'headers-trickle' | 'body-stalled' | 'body-trickle';
const allowedMs: Record<Kind, number> = {
  'headers-trickle': headersTimeoutS * 1000,
  'body-stalled': idleTimeoutS * 1000,
  'body-trickle': bodyTimeoutS * 1000,
};

interface HalfSent {
  readonly kind: Kind;
  readonly openedAt: number;
  /** When the central closed the socket (undefined while still open). */
  closedAt?: number;
}

let central: CentralProcess;

beforeAll(async () => {
  central = await startCentralProcess({
    args: [
      '--headers-timeout-s', String(headersTimeoutS),
      '--idle-timeout-s', String(idleTimeoutS),
      '--body-timeout-s', String(bodyTimeoutS),
      // Above the attack's 1,500 so that the normal counter still gets in (the cap has its own test below).
      '--max-connections', '3000',
    ],
  });
});

afterAll(async () => {
  await central?.stop();
});

/** Opens one half-sent request of `kind`; trickles a byte every 400 ms where the kind says so. */
function openHalfSent(kind: Kind, port: number, keepAliveFirst: boolean): HalfSent {
  const entry: HalfSent = { kind, openedAt: performance.now() };
  const socket = net.connect({ host: '127.0.0.1', port });
  let trickle: NodeJS.Timeout | undefined;
  const path = pathFor('commitDossier', { id: randomUUID() });
  socket.on('connect', () => {
    if (kind === 'headers-trickle') {
      socket.write(`PUT ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
      let n = 0;
      trickle = setInterval(() => socket.write(`x-slow-${n++}: a\r\n`), 400);
    } else {
      // Half of the stalled bodies come second on a keep-alive connection, after a complete request was answered:
      // the idle timeout must hold there too, not only on a connection's first request.
      const first = kind === 'body-stalled' && keepAliveFirst ? `GET ${pathFor('health')} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n` : '';
      socket.write(`${first}PUT ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"id":`);
      if (kind === 'body-trickle') trickle = setInterval(() => socket.write(' '), 400);
    }
  });
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
  socket.on('close', () => {
    clearInterval(trickle);
    entry.closedAt = performance.now();
  });
  return entry;
}

describe('central under slow clients', () => {
  it('cuts 1,500 half-sent requests within the configured timeouts while a counter commits', { timeout: 90_000 }, async () => {
    const pdf = await makeSignedPdf({ text: 'Ho so trong luc bi tan cong' });
    const port = central.port;

    const attack: HalfSent[] = [];
    const kinds: Kind[] = ['headers-trickle', 'body-stalled', 'body-trickle'];
    // Opened in batches so the listen backlog (511) does not refuse them before the central sees them.
    for (let i = 0; i < perKind * kinds.length; i += 100) {
      for (let j = i; j < i + 100; j++) attack.push(openHalfSent(kinds[j % kinds.length] as Kind, port, j % 2 === 0));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(attack).toHaveLength(1_500);

    // A normal counter during the attack: upload a signed PDF over tus and commit the dossier.
    const dossierId = randomUUID();
    const uploadUrl = await tusUpload(central, pdf, { dossierId });
    const commit = await putCommit(central, dossierId, makeCommit(dossierId, [{ bytes: pdf, uploadUrl }]));
    expect(commit.status, JSON.stringify(commit.body)).toBe(201);
    // The attack was still on while the commit went through (nothing cut before its first timeout).
    const stillOpenAtCommit = attack.filter((s) => s.closedAt === undefined).length;

    // Wait for the central to cut them all, or give up well past the longest configured timeout plus slack.
    const giveUpAt = performance.now() + bodyTimeoutS * 1000 + slackMs + 5_000;
    while (attack.some((s) => s.closedAt === undefined) && performance.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 200));

    const open = attack.filter((s) => s.closedAt === undefined);
    const late = attack.filter((s) => s.closedAt !== undefined && s.closedAt - s.openedAt > allowedMs[s.kind] + slackMs);
    const lifetimes = Object.fromEntries(
      kinds.map((kind) => [kind, Math.round(Math.max(...attack.filter((s) => s.kind === kind).map((s) => (s.closedAt ?? performance.now()) - s.openedAt)))]),
    );
    const summary = `still open: ${open.length} (${[...new Set(open.map((s) => s.kind))].join(', ')}), late: ${late.length}, longest ms per kind: ${JSON.stringify(lifetimes)}, open when the commit succeeded: ${stillOpenAtCommit}`;
    console.info(`slow clients: ${summary}`);
    expect(open, summary).toHaveLength(0);
    expect(late, summary).toHaveLength(0);
    // Not cut too early either: a header trickle lives until its headers deadline, not an idle timeout.
    expect(Math.min(...attack.filter((s) => s.kind === 'headers-trickle').map((s) => (s.closedAt ?? 0) - s.openedAt))).toBeGreaterThanOrEqual(headersTimeoutS * 1000 - 500);

    // The central is still healthy after the attack.
    const health = await fetch(new URL(pathFor('health'), central.url));
    expect(health.status).toBe(200);
  });

  it('lets a tus PATCH on a slow link run longer than every timeout, as long as bytes keep coming', { timeout: 60_000 }, async () => {
    // The 50 MB-at-2 Mbit/s case scaled down: one PATCH lasting about 3× the body deadline, a piece every 250 ms
    // (under the 2 s idle timeout). A total request timeout would cut it; the idle timeout must not.
    const pdf = await makeSignedPdf({ paddingBytes: 1_200_000 });
    const dossierId = randomUUID();
    const metadata = { dossierId, sha256: sha256Hex(pdf), filename: 'cham.pdf', filetype: 'application/pdf' };
    const created = await fetch(new URL(tusEndpointPath, central.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${central.credential ?? ''}`,
        'tus-resumable': '1.0.0',
        'upload-length': String(pdf.byteLength),
        'upload-metadata': Object.entries(metadata).map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`).join(','),
      },
    });
    expect(created.status).toBe(201);
    const uploadUrl = new URL(created.headers.get('location') ?? '', central.url).href;

    const startedAt = performance.now();
    const patched = await new Promise<{ status: number; offset: string | undefined }>((resolve, reject) => {
      const request = http.request(uploadUrl, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${central.credential ?? ''}`,
          'tus-resumable': '1.0.0',
          'upload-offset': '0',
          'content-type': 'application/offset+octet-stream',
          'content-length': String(pdf.byteLength),
        },
      });
      request.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, offset: [res.headers['upload-offset']].flat()[0] });
      });
      request.on('error', reject);
      const pieces = 40;
      const pieceSize = Math.ceil(pdf.byteLength / pieces);
      let sent = 0;
      const timer = setInterval(() => {
        const piece = pdf.subarray(sent, sent + pieceSize);
        sent += piece.byteLength;
        if (sent >= pdf.byteLength) {
          clearInterval(timer);
          request.end(piece);
        } else request.write(piece);
      }, 250);
    });
    const tookMs = performance.now() - startedAt;
    expect(patched).toEqual({ status: 204, offset: String(pdf.byteLength) });
    // It really outlived the body deadline and the idle timeout, so it proves neither applies as a total.
    expect(tookMs).toBeGreaterThan(bodyTimeoutS * 1000 + idleTimeoutS * 1000);

    const commit = await putCommit(central, dossierId, makeCommit(dossierId, [{ bytes: pdf, uploadUrl }]));
    expect(commit.status, JSON.stringify(commit.body)).toBe(201);
  });
});
