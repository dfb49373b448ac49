/**
 * Revocation status fetched while online and kept for signing offline (Circular 15/2025/TT-BKHCN).
 *
 * `refresh` asks the signer's OCSP responder (AIA) first and falls back to the CRL distribution point,
 * for the signer and every intermediate; an answer is stored only after it has been verified against the
 * issuer, so a captive portal's login page or a tampered CRL never lands in the cache. Network failures
 * are recorded in the outcome, never thrown.
 * The addresses come from the certificates, which may come from a citizen's PDF: nothing is fetched unless
 * the chain verifies to a configured trust anchor, and every fetch goes through `guardedFetch`
 * (revocation-fetch.ts: allowed ports, public addresses only, same-host redirects, size caps). Each refusal
 * is a coded problem in the outcome. The cache lives in `<dataDir>/revocation/`, one JSON file per
 * certificate, written atomically (temp file + rename), so evidence survives restarts and is used offline
 * until `check`'s policy says it is too old.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  checkSigningCertificate,
  evaluateEvidence,
  pathToAnchor,
  readCertificateDetails,
  type CertificateCheck,
  type CertificateDetails,
  type RevocationPolicy,
} from '../../../shared/cms/certificate-checks';
import { buildOcspRequest } from '../../../shared/cms/ocsp';
import { buildRevocationEvidence, revocationEvidenceSchema, type RevocationEvidence } from '../../../shared/cms/revocation-evidence';
import { sha256Hex } from '../../../shared/util/bytes';
import type { WireError } from '../../../shared/errors';
import { defaultRevocationFetchPolicy, guardedFetch, resolveAllAddresses, type ResolveAll, type RevocationFetchPolicy } from './revocation-fetch';

export interface RevocationServiceOptions {
  /** The app's data directory; the cache goes to `<dataDir>/revocation/`. */
  readonly dataDir: string;
  /** Ports, address ranges, size caps and deadline of every fetch (revocation-fetch.ts); defaults there. */
  readonly fetchPolicy?: Partial<RevocationFetchPolicy>;
  /** Host name → addresses; tests inject a hostile DNS. */
  readonly resolveAll?: ResolveAll;
  readonly now?: () => Date;
}

interface FetchAttempt {
  readonly kind: 'ocsp' | 'crl';
  readonly url: string;
  /** 'stored' when verified and cached; otherwise why not (network error, HTTP status, bad or foreign data). */
  readonly result: string;
  /** Set when the fetch was refused by policy (no request sent, or the answer cut). */
  readonly problem?: WireError;
}

export interface RefreshOutcome {
  readonly subject: string;
  readonly certSerial: string;
  readonly attempts: readonly FetchAttempt[];
  /** The record stored by this refresh, if any. */
  readonly stored: RevocationEvidence | null;
  /** Coded refusals: an untrusted chain, or each refused fetch (also in `attempts`). */
  readonly problems: readonly WireError[];
}

const cacheFileSchema = z.object({
  subject: z.string(),
  certSerial: z.string(),
  /** At most one record per kind: the newest verified one. */
  evidence: z.array(revocationEvidenceSchema).max(2),
});

export class RevocationService {
  readonly #dir: string;
  readonly #policy: RevocationFetchPolicy;
  readonly #resolveAll: ResolveAll;
  readonly #now: () => Date;

  constructor(opts: RevocationServiceOptions) {
    this.#dir = path.join(opts.dataDir, 'revocation');
    this.#policy = { ...defaultRevocationFetchPolicy, ...opts.fetchPolicy };
    this.#resolveAll = opts.resolveAll ?? resolveAllAddresses;
    this.#now = opts.now ?? (() => new Date());
  }

  /**
   * Fetches fresh evidence for each certificate on the verified path from the signer (chainDer[0]) to a
   * configured anchor. A chain that reaches no anchor gets one outcome with REVOCATION_CHAIN_UNTRUSTED and
   * no request at all. Never throws for the network: each attempt's result is in the outcome.
   */
  async refresh(chainDer: readonly Uint8Array[], trustAnchorsDer: readonly Uint8Array[]): Promise<RefreshOutcome[]> {
    const trusted = pathToAnchor(chainDer, trustAnchorsDer);
    if (!trusted) {
      const signer = readAll(chainDer.slice(0, 1))[0];
      const subject = signer?.info.subject ?? '?';
      return [{ subject, certSerial: signer?.info.serialNumber ?? '?', attempts: [], stored: null, problems: [{ code: 'REVOCATION_CHAIN_UNTRUSTED', details: { subject } }] }];
    }
    const outcomes: RefreshOutcome[] = [];
    // The anchor itself (last) is not checked: nothing above it vouches.
    for (let k = 0; k + 1 < trusted.length; k++) outcomes.push(await this.#refreshOne(trusted[k] as CertificateDetails, trusted[k + 1] as CertificateDetails));
    return outcomes;
  }

  /** The cached evidence for every certificate of the chain (what `check` uses and what a signed file keeps). */
  async latestEvidence(chainDer: readonly Uint8Array[]): Promise<RevocationEvidence[]> {
    const all = await Promise.all(chainDer.map(async (der) => (await this.#readCache(der))?.evidence ?? []));
    return all.flat();
  }

  /** The certificate checks at `at` with the cached evidence: no network. */
  async check(chainDer: readonly Uint8Array[], trustAnchorsDer: readonly Uint8Array[], at: Date, policy: RevocationPolicy): Promise<CertificateCheck> {
    const evidence = await this.latestEvidence(chainDer);
    return checkSigningCertificate({ chainDer, trustAnchorsDer, at, evidence, policy });
  }

  async #refreshOne(cert: CertificateDetails, issuer: CertificateDetails): Promise<RefreshOutcome> {
    const attempts: FetchAttempt[] = [];
    const tryStore = async (kind: 'ocsp' | 'crl', url: string, der: Uint8Array): Promise<RevocationEvidence | null> => {
      const fetchedAt = this.#now();
      let record: RevocationEvidence;
      try {
        record = buildRevocationEvidence({ kind, der, url, fetchedAt, certSerial: cert.info.serialNumber, issuerSerial: issuer.info.serialNumber });
      } catch (err) {
        attempts.push({ kind, url, result: `unreadable answer: ${messageOf(err)}` });
        return null;
      }
      const verdict = evaluateEvidence(record, cert, issuer, fetchedAt);
      if (!verdict.usable) {
        attempts.push({ kind, url, result: verdict.reason });
        return null;
      }
      if (verdict.status === 'unknown') {
        attempts.push({ kind, url, result: 'the responder does not know this certificate' });
        return null;
      }
      try {
        await this.#store(cert, record);
      } catch (err) {
        attempts.push({ kind, url, result: `not cached: ${messageOf(err)}` });
        return null;
      }
      attempts.push({ kind, url, result: 'stored' });
      return record;
    };

    const done = (stored: RevocationEvidence | null): RefreshOutcome => ({
      subject: cert.info.subject,
      certSerial: cert.info.serialNumber,
      attempts,
      stored,
      problems: attempts.flatMap((a) => (a.problem ? [a.problem] : [])),
    });
    for (const url of cert.ocspUrls) {
      const request = buildOcspRequest({ issuerNameDer: cert.info.issuerNameDer, issuerKeyBits: issuer.publicKey.keyBits, serialDer: cert.info.serialDer });
      const answer = await guardedFetch(url, { kind: 'ocsp', method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: request }, this.#policy, this.#resolveAll);
      if (!answer.ok) {
        attempts.push({ kind: 'ocsp', url, result: answer.reason, ...(answer.problem ? { problem: answer.problem } : {}) });
        continue;
      }
      const stored = await tryStore('ocsp', url, answer.body);
      if (stored) return done(stored);
    }
    for (const url of cert.crlUrls) {
      const answer = await guardedFetch(url, { kind: 'crl', method: 'GET' }, this.#policy, this.#resolveAll);
      if (!answer.ok) {
        attempts.push({ kind: 'crl', url, result: answer.reason, ...(answer.problem ? { problem: answer.problem } : {}) });
        continue;
      }
      const stored = await tryStore('crl', url, answer.body);
      if (stored) return done(stored);
    }
    return done(null);
  }

  #file(certDer: Uint8Array): string {
    return path.join(this.#dir, `${sha256Hex(certDer)}.json`);
  }

  async #readCache(certDer: Uint8Array): Promise<z.infer<typeof cacheFileSchema> | null> {
    try {
      const parsed = cacheFileSchema.safeParse(JSON.parse(await readFile(this.#file(certDer), 'utf8')));
      return parsed.success ? parsed.data : null; // a damaged cache file counts as no evidence; the next refresh rewrites it
    } catch {
      return null;
    }
  }

  /** Keeps the newer record of each kind (by thisUpdate), written atomically. */
  async #store(cert: CertificateDetails, record: RevocationEvidence): Promise<void> {
    const current = (await this.#readCache(cert.der))?.evidence ?? [];
    const same = current.find((e) => e.kind === record.kind);
    if (same && Date.parse(same.thisUpdate) > Date.parse(record.thisUpdate)) return;
    const evidence = [...current.filter((e) => e.kind !== record.kind), record];
    await mkdir(this.#dir, { recursive: true });
    const file = this.#file(cert.der);
    const temp = `${file}.${randomUUID()}.tmp`;
    try {
      await writeFile(temp, JSON.stringify({ subject: cert.info.subject, certSerial: cert.info.serialNumber, evidence }), { flush: true });
      await rename(temp, file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}

function readAll(ders: readonly Uint8Array[]): CertificateDetails[] {
  return ders.flatMap((der) => {
    try {
      return [readCertificateDetails(der)];
    } catch {
      return [];
    }
  });
}

function messageOf(err: unknown): string {
  if (err instanceof Error && err.cause instanceof Error) return `${err.message} (${err.cause.message})`;
  return err instanceof Error ? err.message : String(err);
}
