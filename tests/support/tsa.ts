/**
 * A local RFC 3161 time-stamping authority for tests: an HTTP server on 127.0.0.1 that answers each POSTed
 * TimeStampReq with the reply of the real `openssl ts -reply`, signed by a TSA certificate from the test CA.
 * Fault modes make it answer HTTP 500, garbage, a token for a different imprint, or a real openssl
 * rejection (the query's digest is not one the TSA accepts).
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { IssuedCert, KeyType, TestCa } from './test-ca';

const run = promisify(execFile);

type TsaMode = 'ok' | 'http-500' | 'garbage' | 'wrong-imprint' | 'rejection';

export interface TestTsa {
  readonly url: string;
  readonly certificate: IssuedCert;
  /** How the next requests are answered (default 'ok'). */
  mode: TsaMode;
  /** Requests received so far (any mode). */
  readonly requests: number;
  stop(): Promise<void>;
}

const POLICY = '1.3.6.1.4.1.55555.1.1';

function tsaConfig(dir: string): string {
  const common = `serial = ${dir}/tsaserial
crypto_device = builtin
signer_digest = sha256
default_policy = ${POLICY}
accuracy = secs:1, millisecs:500
clock_precision_digits = 0
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;
  return `[ tsa ]
default_tsa = tsa_ok
[ tsa_ok ]
${common}digests = sha256, sha384, sha512
[ tsa_reject ]
${common}digests = sha512
`;
}

export async function startTestTsa(ca: TestCa, opts: { keyType?: KeyType } = {}): Promise<TestTsa> {
  const dir = await mkdtemp(path.join(ca.dir, 'tsa-'));
  const certificate = await ca.issue({ commonName: 'Motcua Test TSA', organisation: 'Motcua Test', keyType: opts.keyType ?? 'rsa', usage: 'tsa' });
  const config = path.join(dir, 'tsa.cnf');
  await writeFile(config, tsaConfig(dir));
  await writeFile(path.join(dir, 'tsaserial'), '01\n');

  let requests = 0;
  let counter = 0;
  // openssl ts updates its serial file: one reply at a time.
  let queue: Promise<unknown> = Promise.resolve();

  const reply = async (query: Uint8Array, section: 'tsa_ok' | 'tsa_reject'): Promise<Uint8Array> => {
    const n = ++counter;
    const queryPath = path.join(dir, `q${n}.tsq`);
    const replyPath = path.join(dir, `r${n}.tsr`);
    await writeFile(queryPath, query);
    await run('openssl', ['ts', '-reply', '-config', config, '-section', section, '-queryfile', queryPath, '-signer', certificate.certPath, '-inkey', certificate.keyPath, '-chain', ca.rootCertPath, '-out', replyPath]);
    return new Uint8Array(await readFile(replyPath));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    requests++;
    const query = new Uint8Array(Buffer.concat(chunks));
    if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
      res.writeHead(415).end();
      return;
    }
    const send = (body: Uint8Array): void => {
      res.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': body.length }).end(body);
    };
    switch (tsa.mode) {
      case 'http-500':
        res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
        return;
      case 'garbage':
        send(new TextEncoder().encode('<html><body>Please log in to the network</body></html>'));
        return;
      case 'wrong-imprint':
        send(await (queue = queue.then(() => reply(withOtherImprint(query), 'tsa_ok'))) as Uint8Array);
        return;
      case 'rejection':
        send(await (queue = queue.then(() => reply(query, 'tsa_reject'))) as Uint8Array);
        return;
      case 'ok':
        send(await (queue = queue.then(() => reply(query, 'tsa_ok'))) as Uint8Array);
        return;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const tsa: TestTsa = {
    url: `http://127.0.0.1:${port}/tsa`,
    certificate,
    mode: 'ok',
    get requests() {
      return requests;
    },
    async stop() {
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      await rm(dir, { recursive: true, force: true });
    },
  };
  return tsa;
}

/** The same query with the hashed message changed (its 32 bytes follow the first 04 20 header): same nonce. */
function withOtherImprint(query: Uint8Array): Uint8Array {
  const copy = query.slice();
  for (let i = 0; i + 1 < copy.length; i++) {
    if (copy[i] === 0x04 && copy[i + 1] === 0x20) {
      copy[i + 2] = (copy[i + 2] ?? 0) ^ 0xff;
      return copy;
    }
  }
  throw new Error('no SHA-256 imprint in the query');
}
