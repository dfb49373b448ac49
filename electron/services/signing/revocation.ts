/**
 * Revocation status fetched while online and kept for signing offline (Circular 15/2025/TT-BKHCN).
 *
 * `refresh` asks the signer's OCSP responder (AIA) first and falls back to the CRL distribution point,
 * for the signer and every intermediate; an answer is stored only after it has been verified against the
 * issuer, so a captive portal's login page or a tampered CRL never lands in the cache. Network failures
 * are recorded in the outcome, never thrown. The cache lives in `<dataDir>/revocation/`, one JSON file per
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
  isIssuedBy,
  readCertificateDetails,
  type CertificateCheck,
  type CertificateDetails,
  type RevocationPolicy,
} from '../../../shared/cms/certificate-checks';
import { buildOcspRequest } from '../../../shared/cms/ocsp';
import { buildRevocationEvidence, revocationEvidenceSchema, type RevocationEvidence } from '../../../shared/cms/revocation-evidence';
import { sha256Hex } from '../../../shared/util/bytes';

export interface RevocationServiceOptions {
  /** The app's data directory; the cache goes to `<dataDir>/revocation/`. */
  readonly dataDir: string;
  /** Per request. Default 10 s. */
  readonly timeoutMs?: number;
  /** Largest CRL accepted. Default 32 MB (national CAs publish CRLs of several MB). */
  readonly maxResponseBytes?: number;
  readonly now?: () => Date;
}

export interface FetchAttempt {
  readonly kind: 'ocsp' | 'crl';
  readonly url: string;
  /** 'stored' when verified and cached; otherwise why not (network error, HTTP status, bad or foreign data). */
  readonly result: string;
}

export interface RefreshOutcome {
  readonly subject: string;
  readonly certSerial: string;
  readonly attempts: readonly FetchAttempt[];
  /** The record stored by this refresh, if any. */
  readonly stored: RevocationEvidence | null;
}

const cacheFileSchema = z.object({
  subject: z.string(),
  certSerial: z.string(),
  /** At most one record per kind: the newest verified one. */
  evidence: z.array(revocationEvidenceSchema).max(2),
});

export class RevocationService {
  readonly #dir: string;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #now: () => Date;

  constructor(opts: RevocationServiceOptions) {
    this.#dir = path.join(opts.dataDir, 'revocation');
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
    this.#maxBytes = opts.maxResponseBytes ?? 32 * 1024 * 1024;
    this.#now = opts.now ?? (() => new Date());
  }

  /**
   * Fetches fresh evidence for each certificate of the chain whose issuer is in the chain or among the
   * anchors. Never throws for the network: each attempt's result is in the outcome.
   */
  async refresh(chainDer: readonly Uint8Array[], trustAnchorsDer: readonly Uint8Array[] = []): Promise<RefreshOutcome[]> {
    const chain = readAll(chainDer);
    const candidates = [...chain, ...readAll(trustAnchorsDer)];
    const outcomes: RefreshOutcome[] = [];
    for (const cert of chain) {
      if (sameBytes(cert.info.subjectNameDer, cert.info.issuerNameDer)) continue; // a root: nothing above it vouches
      const issuer = candidates.find((c) => c !== cert && isIssuedBy(cert, c));
      if (!issuer) {
        outcomes.push({ subject: cert.info.subject, certSerial: cert.info.serialNumber, attempts: [], stored: null });
        continue;
      }
      outcomes.push(await this.#refreshOne(cert, issuer));
    }
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

    for (const url of cert.ocspUrls) {
      const request = buildOcspRequest({ issuerNameDer: cert.info.issuerNameDer, issuerKeyBits: issuer.publicKey.keyBits, serialDer: cert.info.serialDer });
      const answer = await this.#fetch(url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: new Uint8Array(request) });
      if (typeof answer === 'string') {
        attempts.push({ kind: 'ocsp', url, result: answer });
        continue;
      }
      const stored = await tryStore('ocsp', url, answer);
      if (stored) return { subject: cert.info.subject, certSerial: cert.info.serialNumber, attempts, stored };
    }
    for (const url of cert.crlUrls) {
      const answer = await this.#fetch(url, { method: 'GET' });
      if (typeof answer === 'string') {
        attempts.push({ kind: 'crl', url, result: answer });
        continue;
      }
      const stored = await tryStore('crl', url, answer);
      if (stored) return { subject: cert.info.subject, certSerial: cert.info.serialNumber, attempts, stored };
    }
    return { subject: cert.info.subject, certSerial: cert.info.serialNumber, attempts, stored: null };
  }

  /** The response body, or a string saying why there is none. */
  async #fetch(url: string, init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: Uint8Array<ArrayBuffer> }): Promise<Uint8Array | string> {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(this.#timeoutMs), redirect: 'follow' });
      if (!response.ok) {
        await response.body?.cancel();
        return `HTTP ${response.status}`;
      }
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > this.#maxBytes) {
        await response.body?.cancel();
        return `answer too large (${declared} bytes)`;
      }
      const body = new Uint8Array(await response.arrayBuffer());
      if (body.length > this.#maxBytes) return `answer too large (${body.length} bytes)`;
      if (body.length === 0) return 'empty answer';
      return body;
    } catch (err) {
      return `network: ${messageOf(err)}`;
    }
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

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, k) => v === b[k]);
}

function messageOf(err: unknown): string {
  if (err instanceof Error && err.cause instanceof Error) return `${err.message} (${err.cause.message})`;
  return err instanceof Error ? err.message : String(err);
}
