/**
 * Issue 17, finding 6, against the real `motcua central` process: with `--tls-cert`/`--tls-key` it serves HTTPS
 * with that certificate (checked by a client trusting only the test's own CA), plain HTTP to the port gets no
 * answer, SIGHUP serves a renewed certificate without a restart, a reload that cannot read the key keeps the
 * old certificate, and a missing or mismatched file is a start-up error in Vietnamese and English.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthSchema } from '../../shared/sync/protocol';
import { httpsGetText, startCentralProcess, type CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

const run = promisify(execFile);

interface TestCa {
  readonly dir: string;
  readonly caPem: string;
  /** Issues a server certificate for 127.0.0.1 with this serial; returns the paths of its PEM files. */
  issue(name: string, serialHex: string): Promise<{ cert: string; key: string }>;
}

/** A CA and its server certificates, made with Debian's `openssl` (P-256 keys: quick to generate). */
async function makeTestCa(): Promise<TestCa> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-tls-'));
  const caKey = path.join(dir, 'ca.key');
  const caCert = path.join(dir, 'ca.pem');
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...ecKey, '-keyout', caKey, '-out', caCert, '-subj', '/CN=motcua test TLS CA', '-days', '2']);
  const extFile = path.join(dir, 'server.ext');
  await writeFile(extFile, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  return {
    dir,
    caPem: await readFile(caCert, 'utf8'),
    async issue(name, serialHex) {
      const key = path.join(dir, `${name}.key`);
      const csr = path.join(dir, `${name}.csr`);
      const cert = path.join(dir, `${name}.pem`);
      await run('openssl', ['req', ...ecKey, '-keyout', key, '-out', csr, '-subj', `/CN=central ${name}`]);
      await run('openssl', ['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-set_serial', `0x${serialHex}`, '-days', '2', '-extfile', extFile, '-out', cert]);
      return { cert, key };
    },
  };
}

/** The serial of the certificate a fresh TLS connection to the central is given (verified against `ca`). */
function servedSerial(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca }, () => {
      const serial = socket.getPeerCertificate().serialNumber;
      socket.end();
      if (!socket.authorized) reject(new Error(`not authorized: ${String(socket.authorizationError)}`));
      else resolve(serial);
    });
    socket.once('error', reject);
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Short for the test (production default 20 s): also the deadline of a TLS handshake. */
const headersTimeoutS = 2;

describe('central over TLS', () => {
  let ca: TestCa;
  let first: { cert: string; key: string };
  let renewed: { cert: string; key: string };
  /** The files the central is started with; the test overwrites them to "renew". */
  let served: { cert: string; key: string };
  let central: CentralProcess;

  beforeAll(async () => {
    ca = await makeTestCa();
    first = await ca.issue('first', '1001');
    renewed = await ca.issue('renewed', '2002');
    served = { cert: path.join(ca.dir, 'served.pem'), key: path.join(ca.dir, 'served.key') };
    await copyFile(first.cert, served.cert);
    await copyFile(first.key, served.key);
    central = await startCentralProcess({
      args: ['--tls-cert', served.cert, '--tls-key', served.key, '--headers-timeout-s', String(headersTimeoutS)],
      tlsCa: ca.caPem,
      enroll: false,
    });
  }, 120_000);

  afterAll(async () => {
    await central?.stop();
    if (ca) await rm(ca.dir, { recursive: true, force: true });
  });

  it('serves HTTPS with the given certificate, verified against the CA', async () => {
    expect(central.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await httpsGetText(new URL(pathFor('health'), central.url), { ca: ca.caPem });
    expect(health.status).toBe(200);
    expect(healthSchema.safeParse(JSON.parse(health.body)).success).toBe(true);
    expect(health.peerSerial).toBe('1001');
    expect(await servedSerial(central.port, ca.caPem)).toBe('1001');
    expect(central.output()).toContain('serial 1001');
  });

  it('gives plain HTTP to the TLS port no answer', async () => {
    await expect(fetch(`http://127.0.0.1:${central.port}${pathFor('health')}`, { signal: AbortSignal.timeout(10_000) })).rejects.toThrow();
  });

  it('cuts a connection that never starts its TLS handshake after the headers timeout', { timeout: 30_000 }, async () => {
    const socket = connectTcp({ host: '127.0.0.1', port: central.port });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    // Node's own handshake timeout is 120 s; the central's is the headers timeout.
    const cut = await Promise.race([closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), (headersTimeoutS + 10) * 1000))]);
    socket.destroy();
    expect(cut).toBe(true);
  });

  it('serves a renewed certificate after SIGHUP, without a restart, and keeps it when a later reload cannot read the key', { timeout: 60_000 }, async () => {
    const pidBefore = central.pid;
    await copyFile(renewed.cert, served.cert);
    await copyFile(renewed.key, served.key);
    process.kill(central.pid ?? 0, 'SIGHUP');
    await waitFor(async () => (await servedSerial(central.port, ca.caPem)) === '2002', 'the renewed certificate');
    expect(central.pid).toBe(pidBefore);
    expect(central.output()).toContain('reloaded TLS');

    // A half-written renewal: the key file is not a key. The central says so and goes on serving the last good pair.
    await writeFile(served.key, 'not a key\n');
    process.kill(central.pid ?? 0, 'SIGHUP');
    await waitFor(() => Promise.resolve(central.output().includes('kept the previous TLS certificate')), 'the failed reload in the log');
    expect(await servedSerial(central.port, ca.caPem)).toBe('2002');
    const health = await httpsGetText(new URL(pathFor('health'), central.url), { ca: ca.caPem });
    expect(health.status).toBe(200);
  });

  it('refuses to start, in Vietnamese and English, with a missing certificate file or a key of another certificate', { timeout: 120_000 }, async () => {
    const missing = path.join(ca.dir, 'no-such.pem');
    await expect(startCentralProcess({ args: ['--tls-cert', missing, '--tls-key', first.key], tlsCa: ca.caPem, enroll: false })).rejects.toThrow(
      /Không đọc được tệp TLS \S*no-such\.pem \(--tls-cert\): ENOENT[\s\S]*Cannot read the TLS file \S*no-such\.pem \(--tls-cert\): ENOENT/,
    );
    await expect(startCentralProcess({ args: ['--tls-cert', first.cert, '--tls-key', renewed.key], tlsCa: ca.caPem, enroll: false })).rejects.toThrow(
      /Chứng thư hoặc khóa TLS không dùng được[\s\S]*The TLS certificate or key cannot be used/,
    );
  });
});
