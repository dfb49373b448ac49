/**
 * The counter's side of updates served by the central (issue 16, item 5). Plain Node, so it is tested here
 * against a real central; the Electron glue only runs the verified installer when {@link decideInstall} says so.
 *
 * - `check`: asks the central for the release offered to this counter (`latest.yml`, or none), checks the
 *   publisher's Ed25519 signature against the keys in the configuration BEFORE downloading anything, and says
 *   whether the counter is below the central's minimum version.
 * - `download`: fetches the installer into `<dir>/<version>/<file>.partial` with `Range` requests, so a link cut
 *   mid-file resumes where it stopped; throttled to a byte rate and paused while dossiers are being sent (the
 *   dossier sync goes first); the whole file's size and sha512 are checked before it is renamed into place. A
 *   file that does not match is deleted and never offered for installation.
 *
 * electron-updater is not used for the download: it can neither throttle nor pause for the sync, and its
 * resume depends on a differential blockmap the first install does not have. Its feed format is kept.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { AppError } from '../../../shared/errors';
import { pathFor } from '../../../shared/sync/api-contract';
import { compareVersions, counterVersionHeader, isBelowMinimum, releaseFileNameSchema, releaseSignedMessage, updateManifestSchema, type UpdateManifest } from '../../../shared/updates/release';

export type UpdateCheck =
  /** Nothing newer is offered to this counter. */
  | { readonly state: 'current'; readonly minimumVersion: string | null }
  /** A newer release, signature checked, to download. `required`: this counter is below the central's minimum. */
  | { readonly state: 'available'; readonly manifest: UpdateManifest; readonly file: string; readonly required: boolean };

export interface UpdateClientOptions {
  readonly centralUrl: string;
  /** `Authorization` header value (`Bearer mcd_…`). */
  readonly authorization: () => Promise<string>;
  readonly currentVersion: string;
  /** The publisher's Ed25519 public keys (PEM, SPKI): any one may have signed a release. */
  readonly publisherKeysPem: readonly string[];
  /** Where downloads go (`<data>/updates`). */
  readonly downloadDir: string;
  readonly fetch?: typeof fetch;
}

export interface DownloadOptions {
  /** Bytes per second at most (0 = no cap). */
  readonly bytesPerSecond?: number;
  /** While this answers true (dossiers are being sent), the download waits. */
  readonly yieldWhile?: () => boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (received: number, total: number) => void;
  /** How long one read may stall before the attempt is given up (the next check resumes); default 60 s. */
  readonly stallTimeoutMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'))), { once: true });
  });

/** The installer's name: the last segment of the manifest's `path` (`files/<version>/<name>`). */
function fileNameOf(manifest: UpdateManifest): string {
  const last = manifest.path.split('/').pop() ?? '';
  let name: string;
  try {
    name = decodeURIComponent(last);
  } catch {
    name = '';
  }
  const parsed = releaseFileNameSchema.safeParse(name);
  if (!parsed.success) throw new AppError('UPDATE_MANIFEST_INVALID', { reason: 'path' });
  return parsed.data;
}

function verifyPublisherSignature(manifest: UpdateManifest, file: string, keys: readonly KeyObject[]): boolean {
  const size = manifest.files.find((f) => f.sha512 === manifest.sha512)?.size;
  if (size === undefined) return false;
  const message = releaseSignedMessage({ version: manifest.version, file, sha512: manifest.sha512, size });
  const signature = Buffer.from(manifest.publisherSignature, 'base64');
  return keys.some((key) => verify(null, message, key, signature));
}

export class UpdateClient {
  readonly #opts: UpdateClientOptions;
  readonly #fetch: typeof fetch;
  readonly #keys: KeyObject[];

  constructor(opts: UpdateClientOptions) {
    this.#opts = opts;
    this.#fetch = opts.fetch ?? fetch;
    this.#keys = opts.publisherKeysPem.map((pem) => {
      const key = createPublicKey(pem);
      if (key.asymmetricKeyType !== 'ed25519') throw new AppError('UPDATE_MANIFEST_INVALID', { reason: 'publisher key is not Ed25519' });
      return key;
    });
  }

  async check(): Promise<UpdateCheck> {
    const response = await this.#fetch(new URL(pathFor('updateManifest'), this.#opts.centralUrl), {
      headers: { authorization: await this.#opts.authorization(), [counterVersionHeader]: this.#opts.currentVersion },
    });
    if (response.status === 204) return { state: 'current', minimumVersion: null };
    if (!response.ok) throw new AppError('UPDATE_MANIFEST_INVALID', { reason: `HTTP ${response.status}` });
    const text = await response.text();
    let manifest: UpdateManifest;
    try {
      manifest = updateManifestSchema.parse(parse(text, { maxAliasCount: 0 }));
    } catch (cause) {
      throw new AppError('UPDATE_MANIFEST_INVALID', { reason: cause instanceof Error ? cause.message.slice(0, 200) : 'yaml' }, { cause });
    }
    const minimumVersion = manifest.minimumVersion ?? null;
    if (compareVersions(manifest.version, this.#opts.currentVersion) <= 0) return { state: 'current', minimumVersion };
    const file = fileNameOf(manifest);
    if (!verifyPublisherSignature(manifest, file, this.#keys)) throw new AppError('UPDATE_SIGNATURE_INVALID', { version: manifest.version });
    return { state: 'available', manifest, file, required: isBelowMinimum(this.#opts.currentVersion, minimumVersion) };
  }

  /** Where a verified download of this release lies (whether or not it is there yet). */
  downloadedPath(manifest: UpdateManifest, file: string): string {
    return path.join(this.#opts.downloadDir, manifest.version, file);
  }

  /** Downloads (or resumes) the release; resolves with the verified file's path. */
  async download(manifest: UpdateManifest, file: string, options: DownloadOptions = {}): Promise<string> {
    const size = manifest.files.find((f) => f.sha512 === manifest.sha512)?.size;
    if (size === undefined) throw new AppError('UPDATE_MANIFEST_INVALID', { reason: 'no file with the release sha512' });
    const final = this.downloadedPath(manifest, file);
    if (await matches(final, size, manifest.sha512)) return final;
    await mkdir(path.dirname(final), { recursive: true, mode: 0o700 });
    const partial = `${final}.partial`;
    const have = (await stat(partial).catch(() => undefined))?.size ?? 0;
    if (have < size) await this.#fetchInto(partial, have, size, manifest, options);
    if (!(await matches(partial, size, manifest.sha512))) {
      await rm(partial, { force: true });
      throw new AppError('UPDATE_FILE_INVALID', { version: manifest.version });
    }
    await rename(partial, final);
    return final;
  }

  async #fetchInto(partial: string, from: number, size: number, manifest: UpdateManifest, options: DownloadOptions): Promise<void> {
    const url = new URL(manifest.path, new URL(pathFor('updateManifest'), this.#opts.centralUrl));
    const controller = new AbortController();
    const abort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', abort, { once: true });
    const stallMs = options.stallTimeoutMs ?? 60_000;
    let stall = setTimeout(() => controller.abort(new Error('stalled')), stallMs);
    const failed = (reason: string, cause?: unknown) => new AppError('UPDATE_DOWNLOAD_FAILED', { version: manifest.version, reason }, { cause });
    let out: Awaited<ReturnType<typeof open>> | undefined;
    try {
      const response = await this.#fetch(url, {
        headers: { authorization: await this.#opts.authorization(), ...(from > 0 ? { range: `bytes=${from}-` } : {}) },
        signal: controller.signal,
      }).catch((cause: unknown) => {
        throw failed(cause instanceof Error ? cause.message : 'network', cause);
      });
      // 200 to a range request: the server sent the whole file, so start over.
      const resumed = response.status === 206;
      if (!(response.ok && response.body)) throw failed(`HTTP ${response.status}`);
      let received = resumed ? from : 0;
      out = await open(partial, resumed ? 'a' : 'w', 0o600);
      const started = Date.now();
      let sentSinceStart = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        clearTimeout(stall);
        received += chunk.length;
        if (received > size) throw failed('longer than published');
        await out.write(chunk);
        options.onProgress?.(received, size);
        sentSinceStart += chunk.length;
        // Dossiers first: while the sync sends, the download holds (the socket's window fills and the server waits).
        while (options.yieldWhile?.()) await sleep(250, options.signal);
        if (options.bytesPerSecond) {
          const due = (sentSinceStart / options.bytesPerSecond) * 1000 - (Date.now() - started);
          if (due > 0) await sleep(due, options.signal);
        }
        stall = setTimeout(() => controller.abort(new Error('stalled')), stallMs);
      }
      await out.sync();
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw failed(err instanceof Error ? err.message : String(err), err);
    } finally {
      clearTimeout(stall);
      options.signal?.removeEventListener('abort', abort);
      await out?.close();
    }
  }
}

/** A file's SHA-512 (base64, as `latest.yml` writes it) and size, streamed. Also used by `motcua release-sign`/`central release add`. */
export async function sha512OfFile(file: string): Promise<{ sha512: string; size: number }> {
  const hash = createHash('sha512');
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    size += chunk.length;
    hash.update(chunk);
  }
  return { sha512: hash.digest('base64'), size };
}

async function matches(file: string, size: number, sha512: string): Promise<boolean> {
  const info = await stat(file).catch(() => undefined);
  if (!info || info.size !== size) return false;
  return (await sha512OfFile(file)).sha512 === sha512;
}

/**
 * When a downloaded update may be installed: never while a dossier is being signed or sent, and only after the
 * clerk has left the keyboard for a while (installing restarts the app). A required update (the counter is below
 * the central's minimum) waits for the same moments: the clerk's work is never cut short.
 */
export function decideInstall(state: { downloaded: boolean; idleMs: number; signingSessionOpen: boolean; sending: boolean }, minIdleMs = 10 * 60_000): { install: boolean; reason: 'not-downloaded' | 'signing' | 'sending' | 'clerk-active' | 'ready' } {
  if (!state.downloaded) return { install: false, reason: 'not-downloaded' };
  if (state.signingSessionOpen) return { install: false, reason: 'signing' };
  if (state.sending) return { install: false, reason: 'sending' };
  if (state.idleMs < minIdleMs) return { install: false, reason: 'clerk-active' };
  return { install: true, reason: 'ready' };
}
