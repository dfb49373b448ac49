/**
 * Revocation servers for tests, both real: one HTTP server on 127.0.0.1 that publishes a test CA's current
 * CRL (DER) at /crl/root.crl and answers OCSP requests at /ocsp with OpenSSL's own responder, run one-shot
 * per request (`openssl ocsp -index <ca index.txt> -CA root.pem -rsigner … -reqin … -respout …`). The
 * one-shot form reads index.txt afresh every time; the long-running `openssl ocsp -port` only re-reads it
 * before waiting for the next client, so it answers one revocation late.
 * Answers are signed by a delegated responder certificate (id-kp-OCSPSigning) or by the CA itself. Start
 * the servers before issuing the certificates that point at them (`crlUrl`, `ocspUrl`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { KeyType, TestCa } from './test-ca';

const run = promisify(execFile);

export interface RevocationServers {
  readonly crlUrl: string;
  readonly ocspUrl: string;
  /** What the server publishes as the CRL from now on (404 until the first call). */
  publishCrl(der: Uint8Array): void;
  /** Requests seen so far. */
  readonly counts: { crl: number; ocsp: number };
  stop(): Promise<void>;
}

export interface RevocationServerOptions {
  /** Who signs OCSP answers: a delegated responder certificate (default) or the CA key itself. */
  readonly ocspSigner?: 'delegated' | 'ca';
  /** Key of the delegated responder; 'ec-p256' makes OpenSSL sign its answers with ECDSA. */
  readonly responderKeyType?: KeyType;
}

export async function startRevocationServers(ca: TestCa, opts: RevocationServerOptions = {}): Promise<RevocationServers> {
  let signerCert = ca.rootCertPath;
  let signerKey = ca.rootKeyPath;
  if ((opts.ocspSigner ?? 'delegated') === 'delegated') {
    const responder = await ca.issue({ commonName: 'Motcua Test OCSP Responder', usage: 'ocsp', keyType: opts.responderKeyType ?? 'rsa' });
    signerCert = responder.certPath;
    signerKey = responder.keyPath;
  }
  const work = await mkdtemp(path.join(ca.dir, 'ocsp-'));
  let requestNumber = 0;
  const answerOcsp = async (request: Uint8Array): Promise<Uint8Array> => {
    const n = ++requestNumber;
    const reqPath = path.join(work, `req-${n}.der`);
    const respPath = path.join(work, `resp-${n}.der`);
    await writeFile(reqPath, request);
    await run('openssl', ['ocsp', '-index', ca.ocspIndexPath, '-CA', ca.rootCertPath, '-rsigner', signerCert, '-rkey', signerKey, '-reqin', reqPath, '-respout', respPath, '-nmin', '60']);
    return new Uint8Array(await readFile(respPath));
  };

  const counts = { crl: 0, ocsp: 0 };
  let crl: Uint8Array | null = null;
  const server: Server = createServer((req, res) => {
    const send = (status: number, body?: Uint8Array, type?: string): void => {
      res.writeHead(status, body ? { 'content-type': type ?? 'application/octet-stream', 'content-length': String(body.length) } : {}).end(body);
    };
    if (req.method === 'GET' && req.url === '/crl/root.crl') {
      counts.crl++;
      if (crl) send(200, crl, 'application/pkix-crl');
      else send(404);
      return;
    }
    if (req.method === 'POST' && req.url === '/ocsp') {
      counts.ocsp++;
      readBody(req)
        .then(answerOcsp)
        .then((answer) => send(200, answer, 'application/ocsp-response'))
        .catch(() => send(500));
      return;
    }
    send(404);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    crlUrl: `${base}/crl/root.crl`,
    ocspUrl: `${base}/ocsp`,
    counts,
    publishCrl(der) {
      crl = der;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(work, { recursive: true, force: true });
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
