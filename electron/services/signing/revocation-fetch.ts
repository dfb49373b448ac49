/**
 * The only way the counter fetches a CRL or an OCSP answer: the addresses come from certificates, and the
 * certificates may come from a citizen's PDF, so every fetch is treated as attacker-directed (SSRF).
 *
 * Rules (docs/certificate-checks.md): only `http:`/`https:` on an allowed port (80/443 by default); the
 * host is resolved first and EVERY address must be public — loopback, private, link-local, CGNAT,
 * multicast, documentation and reserved ranges are refused, IPv4 and IPv6, including IPv4 embedded in
 * IPv6 (mapped, compatible, NAT64, 6to4) — unless the policy is set for a lab; the same check runs again
 * inside the connection's own DNS lookup, so a name that re-resolves to a private address between the
 * check and the connection is still refused. Redirects are followed only to the same host (and re-checked);
 * answers are cut at a size cap (CRL and OCSP separately), and the whole exchange has one deadline.
 * A refusal is a coded problem, never an exception, and no request leaves the machine for it.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { AppError, type WireError } from '../../../shared/errors';

export interface RevocationFetchPolicy {
  /** Ports a CRL/OCSP address may name (explicitly or by its scheme's default). */
  readonly allowedPorts: readonly number[];
  /** Lab only: allow loopback/private/link-local addresses (the test CA's responders run on 127.0.0.1). */
  readonly allowPrivateNetworks: boolean;
  readonly maxCrlBytes: number;
  readonly maxOcspBytes: number;
  /** One deadline for the whole exchange, redirects included. */
  readonly timeoutMs: number;
  /** Redirects followed, to the same host only. */
  readonly maxRedirects: number;
}

export const defaultRevocationFetchPolicy: RevocationFetchPolicy = {
  allowedPorts: [80, 443],
  allowPrivateNetworks: false,
  // National CAs publish CRLs of a few MB; an OCSP answer is a few KB.
  maxCrlBytes: 4 * 1024 * 1024,
  maxOcspBytes: 64 * 1024,
  timeoutMs: 5_000,
  maxRedirects: 2,
};

/** All addresses of a host name (IPv4 and IPv6). Injected in tests to play a hostile DNS. */
export type ResolveAll = (hostname: string) => Promise<readonly string[]>;

export const resolveAllAddresses: ResolveAll = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses.map((a) => a.address))));
  });

export type GuardedFetchResult = { readonly ok: true; readonly body: Uint8Array } | { readonly ok: false; readonly reason: string; readonly problem?: WireError };

export interface GuardedRequest {
  readonly kind: 'crl' | 'ocsp';
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
}

/** Fetches `url` under `policy`; never throws. */
export async function guardedFetch(url: string, request: GuardedRequest, policy: RevocationFetchPolicy, resolveAll: ResolveAll = resolveAllAddresses): Promise<GuardedFetchResult> {
  const maxBytes = request.kind === 'crl' ? policy.maxCrlBytes : policy.maxOcspBytes;
  const signal = AbortSignal.timeout(policy.timeoutMs);
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return refused('REVOCATION_URL_REFUSED', { url, reason: 'not a URL' });
  }
  const firstHost = target.hostname.toLowerCase();
  for (let redirects = 0; ; redirects++) {
    const urlProblem = checkUrl(target, policy);
    if (urlProblem) return refused('REVOCATION_URL_REFUSED', { url: target.href, reason: urlProblem });
    const addressProblem = await checkHost(target, policy, resolveAll);
    if (typeof addressProblem === 'string') return { ok: false, reason: addressProblem };
    if (addressProblem) return refused('REVOCATION_ADDRESS_REFUSED', { url: target.href, address: addressProblem.address });
    let answer: Answer;
    try {
      answer = await exchange(target, request, maxBytes, signal, policy);
    } catch (err) {
      if (err instanceof AppError) return refused(err.code, err.details);
      return { ok: false, reason: `network: ${messageOf(err)}` };
    }
    if (answer.kind === 'too-large') return refused('REVOCATION_ANSWER_TOO_LARGE', { url: target.href, maxBytes });
    if (answer.status >= 300 && answer.status < 400 && answer.location !== undefined) {
      let next: URL;
      try {
        next = new URL(answer.location, target);
      } catch {
        return { ok: false, reason: `HTTP ${answer.status} to an unreadable address` };
      }
      if (next.hostname.toLowerCase() !== firstHost) return refused('REVOCATION_REDIRECT_REFUSED', { url: target.href, location: next.href });
      if (redirects >= policy.maxRedirects) return { ok: false, reason: `more than ${policy.maxRedirects} redirects` };
      target = next;
      continue;
    }
    if (answer.status < 200 || answer.status > 299) return { ok: false, reason: `HTTP ${answer.status}` };
    if (answer.body.length === 0) return { ok: false, reason: 'empty answer' };
    return { ok: true, body: answer.body };
  }
}

function refused(code: WireError['code'], details: WireError['details']): GuardedFetchResult {
  return { ok: false, reason: `${code} ${JSON.stringify(details)}`, problem: { code, details } };
}

/** Why the URL itself is refused (scheme, port, credentials), or null. */
export function checkUrl(target: URL, policy: RevocationFetchPolicy): string | null {
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return `scheme ${target.protocol} is not http or https`;
  if (target.username || target.password) return 'credentials in the address';
  const port = target.port ? Number(target.port) : target.protocol === 'https:' ? 443 : 80;
  if (!policy.allowedPorts.includes(port)) return `port ${port} is not allowed`;
  return null;
}

/** The first refused address of the host, a string when the name does not resolve, or null when all are allowed. */
async function checkHost(target: URL, policy: RevocationFetchPolicy, resolveAll: ResolveAll): Promise<{ address: string } | string | null> {
  if (policy.allowPrivateNetworks) return null;
  const host = bareHost(target.hostname);
  let addresses: readonly string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await resolveAll(host);
    } catch (err) {
      return `network: ${messageOf(err)}`;
    }
  }
  if (addresses.length === 0) return 'network: the name has no address';
  const bad = addresses.find((a) => !isPublicAddress(a));
  return bad === undefined ? null : { address: bad };
}

function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** The connection's own lookup: refuses a private address even if the name changed since `checkHost`. */
function guardedLookup(policy: RevocationFetchPolicy, url: string): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, found: LookupAddress[]) => {
      if (err) return callback(err, '', 4);
      const bad = policy.allowPrivateNetworks ? undefined : found.find((a) => !isPublicAddress(a.address));
      if (bad) return callback(new AppError('REVOCATION_ADDRESS_REFUSED', { url, address: bad.address }), '', 4);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, found);
      const first = found[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
      callback(null, first.address, first.family);
    });
  };
}

type Answer = { kind: 'answer'; status: number; location?: string; body: Uint8Array } | { kind: 'too-large' };

/** One HTTP exchange; reads at most `maxBytes` of the body, then cuts the connection. */
function exchange(target: URL, request: GuardedRequest, maxBytes: number, signal: AbortSignal, policy: RevocationFetchPolicy): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(target, { method: request.method, headers: { ...request.headers }, signal, agent: false, lookup: guardedLookup(policy, target.href) }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400) {
        res.resume();
        res.destroy();
        resolve({ kind: 'answer', status, ...(location !== undefined ? { location } : {}), body: new Uint8Array() });
        return;
      }
      const declared = Number(res.headers['content-length'] ?? '0');
      if (declared > maxBytes) {
        res.destroy();
        resolve({ kind: 'too-large' });
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) {
          // Cut: no more bytes are read than the cap (plus one network chunk).
          res.destroy();
          resolve({ kind: 'too-large' });
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ kind: 'answer', status, body: new Uint8Array(Buffer.concat(chunks)) }));
      res.on('error', reject);
      // A connection cut mid-answer (or by the deadline) must settle too; after 'end' this is a no-op.
      res.on('close', () => {
        if (!res.complete) reject(new Error('connection closed before the answer was complete'));
      });
    });
    req.on('error', reject);
    req.end(request.body ? Buffer.from(request.body) : undefined);
  });
}

/** Is this IP address (v4 or v6 text) one a revocation fetch may reach? */
export function isPublicAddress(address: string): boolean {
  const bytes = ipBytes(address);
  if (!bytes) return false;
  if (bytes.length === 4) return !blockedV4.some((r) => inRange(bytes, r));
  // IPv4 carried inside IPv6: judge the IPv4 address.
  const embedded = embeddedV4(bytes);
  if (embedded) return !blockedV4.some((r) => inRange(embedded, r));
  return !blockedV6.some((r) => inRange(bytes, r));
}

interface Range {
  readonly prefix: Uint8Array;
  readonly bits: number;
}

function range(cidr: string): Range {
  const [addr = '', bits = ''] = cidr.split('/');
  const prefix = ipBytes(addr);
  if (!prefix) throw new Error(`bad range ${cidr}`);
  return { prefix, bits: Number(bits) };
}

// IANA special-purpose registries (RFC 6890 and updates): everything not globally reachable.
const blockedV4 = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24',
  '192.88.99.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4',
].map(range);
const blockedV6 = ['::/128', '::1/128', '100::/64', '2001::/23', '2001:db8::/32', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8'].map(range);
// Forms that carry an IPv4 address: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96, 64:ff9b:1::/48), 6to4 (2002::/16).
const mappedV6 = range('::ffff:0:0/96');
const compatibleV6 = range('::/96');
const nat64 = range('64:ff9b::/96');
const nat64Local = range('64:ff9b:1::/48');
const sixToFour = range('2002::/16');

function embeddedV4(v6: Uint8Array): Uint8Array | null {
  if (inRange(v6, mappedV6) || inRange(v6, compatibleV6) || inRange(v6, nat64)) return v6.slice(12, 16);
  if (inRange(v6, nat64Local)) return new Uint8Array([10, 0, 0, 0]); // local-use NAT64: never public
  if (inRange(v6, sixToFour)) return v6.slice(2, 6);
  return null;
}

function inRange(bytes: Uint8Array, r: Range): boolean {
  if (bytes.length !== r.prefix.length) return false;
  for (let bit = 0; bit < r.bits; bit++) {
    const mask = 0x80 >> bit % 8;
    if (((bytes[bit >> 3] ?? 0) & mask) !== ((r.prefix[bit >> 3] ?? 0) & mask)) return false;
  }
  return true;
}

/** 4 or 16 bytes, or null when the text is not an IP address (zone ids like `%eth0` are dropped). */
export function ipBytes(text: string): Uint8Array | null {
  const address = bareHost(text).split('%')[0] ?? '';
  const version = isIP(address);
  if (version === 4) return new Uint8Array(address.split('.').map(Number));
  if (version !== 6) return null;
  let tail: number[] = [];
  let head = address;
  const lastColon = address.lastIndexOf(':');
  if (address.includes('.', lastColon)) {
    tail = address.slice(lastColon + 1).split('.').map(Number);
    head = `${address.slice(0, lastColon + 1)}0:0`; // placeholder groups for the dotted quad
  }
  const [left = '', right] = head.split('::');
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right !== undefined && right !== '' ? right.split(':') : [];
  const missing = 8 - leftGroups.length - rightGroups.length;
  const groups = [...leftGroups, ...Array<string>(right !== undefined ? missing : 0).fill('0'), ...rightGroups].map((g) => parseInt(g, 16));
  const bytes = new Uint8Array(16);
  groups.forEach((g, k) => {
    bytes[2 * k] = g >> 8;
    bytes[2 * k + 1] = g & 0xff;
  });
  if (tail.length === 4) bytes.set(tail, 12);
  return bytes;
}

function messageOf(err: unknown): string {
  if (err instanceof Error && err.cause instanceof Error) return `${err.message} (${err.cause.message})`;
  return err instanceof Error ? err.message : String(err);
}
