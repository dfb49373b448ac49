/**
 * Revocation fetches are attacker-directed: the CRL/OCSP addresses come from certificates, and those may
 * come from a citizen's PDF. Against real HTTP servers on 127.0.0.1 that count every request, this checks
 * that nothing is asked for a chain that reaches no anchor (through the real `motcua verify` process),
 * that loopback is refused unless the lab setting is on, that redirects to another host are not followed
 * and that an endless answer is cut at the cap — each refusal a coded problem, with no request sent.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pkcs12KeyStore } from '../../electron/services/signing/pkcs12-keystore';
import { RevocationService } from '../../electron/services/signing/revocation';
import { signPdf } from '../../shared/pdf/sign-pdf';
import { createTestCa, type TestCa } from '../support/test-ca';

const run = promisify(execFile);
const bin = path.resolve('electron/cli/bin.mjs');

/** An HTTP server that records every request it receives and answers with `handle`. */
interface Probe {
  readonly base: string;
  readonly port: number;
  readonly requests: string[];
  /** Body bytes the server managed to hand to the socket. */
  sentBytes: number;
  stop(): Promise<void>;
}

async function startProbe(handle: (req: IncomingMessage, res: ServerResponse, probe: Probe) => void): Promise<Probe> {
  const server = createServer((req, res) => {
    probe.requests.push(`${req.method ?? '?'} ${req.url ?? '?'}`);
    handle(req, res, probe);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const probe: Probe = {
    base: `http://127.0.0.1:${port}`,
    port,
    requests: [],
    sentBytes: 0,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return probe;
}

let work: string;
let ca: TestCa;
let rogue: TestCa;
let crl: Uint8Array;
let probe: Probe;
let elsewhere: Probe;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-ssrf-'));
  ca = await createTestCa(work);
  rogue = await createTestCa(work);
  crl = await ca.crl();
  elsewhere = await startProbe((_req, res) => res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(crl));
  probe = await startProbe((req, res, self) => {
    if (req.url === '/crl') res.writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': String(crl.length) }).end(crl);
    else if (req.url === '/moved') res.writeHead(302, { location: '/crl' }).end();
    else if (req.url === '/away') res.writeHead(302, { location: `http://localhost:${elsewhere.port}/crl` }).end();
    else if (req.url === '/silent') res.writeHead(200, { 'content-type': 'application/pkix-crl' }).write(crl.subarray(0, 10)); // never ends
    else if (req.url === '/declared-huge') res.writeHead(200, { 'content-length': String(1024 * 1024 * 1024) }).end();
    else if (req.url === '/endless') {
      // No Content-Length: up to 64 MB, as fast as the client reads.
      res.writeHead(200, { 'content-type': 'application/pkix-crl' });
      const chunk = Buffer.alloc(64 * 1024, 0x30);
      const pump = (): void => {
        while (self.sentBytes < 64 * 1024 * 1024 && !res.destroyed) {
          self.sentBytes += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    } else res.writeHead(404).end();
  });
});

afterAll(async () => {
  await Promise.all([probe.stop(), elsewhere.stop()]);
  await rm(work, { recursive: true, force: true });
});

const lab = () => ({ allowPrivateNetworks: true, allowedPorts: [probe.port, elsewhere.port] });

describe('revocation fetches never go where a hostile certificate points', () => {
  it('a PDF signed by a chain that reaches no anchor: `motcua verify` asks nothing of its CRL/OCSP addresses, even with --lab-network', async () => {
    const signer = await rogue.issue({ commonName: 'Chứng thư giả', crlUrl: `${probe.base}/crl?from=pdf`, ocspUrl: `${probe.base}/ocsp?from=pdf` });
    const keystore = new Pkcs12KeyStore({ path: await signer.p12('pw'), label: 'rogue' });
    await keystore.unlock('pw');
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]);
    const pdfPath = path.join(work, 'citizen.pdf');
    await writeFile(pdfPath, await signPdf(doc, keystore, { reason: 'Hồ sơ', location: 'Nhà', signerName: 'X', signingTime: new Date(Date.now() + 2000) }));
    probe.requests.length = 0;

    const result = await run(process.execPath, [bin, 'verify', pdfPath, '--trust', ca.rootCertPath, '--lab-network']).catch((err: { stdout: string }) => err);
    const report = JSON.parse(result.stdout) as { signatures: { revocation: { status: string; problems?: { code: string; message: string }[] } }[] };
    expect(probe.requests).toEqual([]);
    expect(report.signatures[0]?.revocation.status).toBe('unknown');
    expect(report.signatures[0]?.revocation.problems?.map((p) => p.code)).toEqual(['REVOCATION_CHAIN_UNTRUSTED']);
    expect(report.signatures[0]?.revocation.problems?.[0]?.message).toMatch(/không thuộc chuỗi chứng thư tin cậy/);
  });

  it('the same through the service: the rogue root travelling with the chain does not make it trusted', async () => {
    const signer = await rogue.issue({ commonName: 'Chứng thư giả 2', crlUrl: `${probe.base}/crl`, ocspUrl: `${probe.base}/ocsp` });
    probe.requests.length = 0;
    const service = new RevocationService({ dataDir: path.join(work, 'rogue-cache'), fetchPolicy: lab() });
    const outcomes = await service.refresh([signer.certDer, rogue.rootDer], [ca.rootDer]);
    expect(probe.requests).toEqual([]);
    expect(outcomes.flatMap((o) => o.problems)).toEqual([{ code: 'REVOCATION_CHAIN_UNTRUSTED', details: { subject: expect.stringContaining('Chứng thư giả 2') as string } }]);
  });

  it('a trusted chain whose CRL is on 127.0.0.1: refused without a request with the lab setting off, fetched with it on', async () => {
    const cert = await ca.issue({ commonName: 'CRL trên loopback', crlUrl: `${probe.base}/crl` });
    probe.requests.length = 0;

    // Production defaults: port 80/443 only — refused on the port before any address is looked at.
    const production = await new RevocationService({ dataDir: path.join(work, 'p1') }).refresh([cert.certDer], [ca.rootDer]);
    expect(production[0]?.problems.map((p) => p.code)).toEqual(['REVOCATION_URL_REFUSED']);
    // Port allowed, lab off: the address is loopback.
    const labOff = await new RevocationService({ dataDir: path.join(work, 'p2'), fetchPolicy: { allowedPorts: [probe.port] } }).refresh([cert.certDer], [ca.rootDer]);
    expect(labOff[0]?.problems).toEqual([{ code: 'REVOCATION_ADDRESS_REFUSED', details: { url: `${probe.base}/crl`, address: '127.0.0.1' } }]);
    expect(labOff[0]?.stored).toBeNull();
    expect(probe.requests).toEqual([]);

    const labOn = await new RevocationService({ dataDir: path.join(work, 'p3'), fetchPolicy: lab() }).refresh([cert.certDer], [ca.rootDer]);
    expect(labOn[0]?.stored?.kind).toBe('crl');
    expect(labOn[0]?.problems).toEqual([]);
    expect(probe.requests).toEqual(['GET /crl']);
  });

  it('a name that resolves to a private address (any one of several, IPv6-mapped included) is refused without a request', async () => {
    const viaLocalhost = await ca.issue({ commonName: 'Tên localhost', crlUrl: `http://localhost:${probe.port}/crl` });
    const viaDns = await ca.issue({ commonName: 'DNS thù địch', crlUrl: `http://crl.tinh-demo.gov.vn:${probe.port}/crl` });
    probe.requests.length = 0;
    const real = await new RevocationService({ dataDir: path.join(work, 'd1'), fetchPolicy: { allowedPorts: [probe.port] } }).refresh([viaLocalhost.certDer], [ca.rootDer]);
    expect(real[0]?.problems.map((p) => p.code)).toEqual(['REVOCATION_ADDRESS_REFUSED']);
    const hostile = new RevocationService({
      dataDir: path.join(work, 'd2'),
      fetchPolicy: { allowedPorts: [probe.port] },
      resolveAll: (host) => Promise.resolve(host === 'crl.tinh-demo.gov.vn' ? ['14.225.7.7', '::ffff:192.168.1.10'] : []),
    });
    const [outcome] = await hostile.refresh([viaDns.certDer], [ca.rootDer]);
    expect(outcome?.problems).toEqual([{ code: 'REVOCATION_ADDRESS_REFUSED', details: { url: `http://crl.tinh-demo.gov.vn:${probe.port}/crl`, address: '::ffff:192.168.1.10' } }]);
    expect(probe.requests).toEqual([]);
  });

  it('DNS rebinding: a name that passed the check but resolves to loopback when connecting is refused by the connection’s own lookup', async () => {
    const cert = await ca.issue({ commonName: 'Đổi địa chỉ giữa chừng', crlUrl: `http://localhost:${probe.port}/crl` });
    probe.requests.length = 0;
    // The first resolution (the check) says public; the connection then resolves `localhost` for real.
    const service = new RevocationService({ dataDir: path.join(work, 'rb'), fetchPolicy: { allowedPorts: [probe.port] }, resolveAll: () => Promise.resolve(['14.225.7.7']) });
    const [outcome] = await service.refresh([cert.certDer], [ca.rootDer]);
    expect(outcome?.problems.map((p) => p.code)).toEqual(['REVOCATION_ADDRESS_REFUSED']);
    expect(outcome?.problems[0]?.details.address).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(probe.requests).toEqual([]);
  });

  it('a redirect to another host is refused and not followed; one on the same host is followed', async () => {
    const away = await ca.issue({ commonName: 'Chuyển hướng đi nơi khác', crlUrl: `${probe.base}/away` });
    const moved = await ca.issue({ commonName: 'Chuyển hướng cùng máy', crlUrl: `${probe.base}/moved` });
    elsewhere.requests.length = 0;
    probe.requests.length = 0;
    const service = new RevocationService({ dataDir: path.join(work, 'r'), fetchPolicy: lab() });
    const [refused] = await service.refresh([away.certDer], [ca.rootDer]);
    expect(refused?.problems).toEqual([{ code: 'REVOCATION_REDIRECT_REFUSED', details: { url: `${probe.base}/away`, location: `http://localhost:${elsewhere.port}/crl` } }]);
    expect(elsewhere.requests).toEqual([]);
    const [followed] = await service.refresh([moved.certDer], [ca.rootDer]);
    expect(followed?.stored?.kind).toBe('crl');
    expect(probe.requests).toEqual(['GET /away', 'GET /moved', 'GET /crl']);
  });

  it('an answer that never ends is abandoned at the configured deadline, as a network failure', async () => {
    const cert = await ca.issue({ commonName: 'CRL không bao giờ xong', crlUrl: `${probe.base}/silent` });
    const service = new RevocationService({ dataDir: path.join(work, 's'), fetchPolicy: { ...lab(), timeoutMs: 300 } });
    const [outcome] = await service.refresh([cert.certDer], [ca.rootDer]);
    expect(outcome?.stored).toBeNull();
    expect(outcome?.attempts.map((a) => a.result)).toEqual([expect.stringMatching(/^network/) as string]);
  });

  it('an oversize answer is cut at the cap: declared too large → not read; endless → connection cut early', async () => {
    const declared = await ca.issue({ commonName: 'CRL khai báo 1 GB', crlUrl: `${probe.base}/declared-huge` });
    const endless = await ca.issue({ commonName: 'CRL vô tận', crlUrl: `${probe.base}/endless` });
    const service = new RevocationService({ dataDir: path.join(work, 'o'), fetchPolicy: { ...lab(), maxCrlBytes: 256 * 1024 } });
    const [big] = await service.refresh([declared.certDer], [ca.rootDer]);
    expect(big?.problems).toEqual([{ code: 'REVOCATION_ANSWER_TOO_LARGE', details: { url: `${probe.base}/declared-huge`, maxBytes: 256 * 1024 } }]);
    probe.sentBytes = 0;
    const [cut] = await service.refresh([endless.certDer], [ca.rootDer]);
    expect(cut?.problems.map((p) => p.code)).toEqual(['REVOCATION_ANSWER_TOO_LARGE']);
    // The server had 64 MB to send; the socket was closed long before (kernel buffers hold a few MB at most).
    expect(probe.sentBytes).toBeLessThan(16 * 1024 * 1024);
  });
});
