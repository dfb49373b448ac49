/**
 * Counter updates hosted by the central (issue 16, item 5; shared/updates/release.ts says what a release is).
 *
 * An administrator uploads the installer and its blockmap as electron-builder wrote them
 * (`PUT /api/v1/admin/releases/:version/files/:name`, streamed to disk and hashed on the way), then registers
 * the release with its publisher signature and rollout (`POST /api/v1/admin/releases`); the central checks the
 * stored file's size and sha512 against what is registered. A counter asks `GET /api/v1/updates/latest.yml`
 * and gets the newest release whose rollout includes it, or 204 when there is none; it downloads the file with
 * `Range` requests, so a cut link resumes where it stopped.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringify } from 'yaml';
import type { DeviceRecord } from '../../shared/sync/protocol';
import {
  compareVersions,
  counterVersionHeader,
  isBelowMinimum,
  isInRollout,
  newReleaseSchema,
  releaseFileNameSchema,
  releaseFileUrl,
  releaseVersionSchema,
  rolloutSchema,
  updatePolicySchema,
  type NewRelease,
  type Rollout,
  type UpdateManifest,
  type UpdatePolicy,
} from '../../shared/updates/release';
import type { Queryable, SqlDatabase } from './db';
import { OWNER_ONLY_DIR_MODE, OWNER_ONLY_FILE_MODE } from './data-modes';
import { CentralHttpError, zodDetails } from './http-errors';
import type { RouteRegistrar } from './routes';

/** Default cap on one uploaded release file (an NSIS installer of this app is ~100–150 MB). */
const DEFAULT_MAX_RELEASE_FILE_BYTES = 1024 * 1024 * 1024;

export interface ReleaseRecord extends NewRelease {
  readonly releaseDate: string;
  readonly addedAt: string;
}

interface ReleaseRow {
  version: string;
  file: string;
  sha512: string;
  size: number | string;
  blockmap: string | null;
  publisher_signature: string;
  release_date: Date | string;
  rollout_percent: number;
  rollout_units: string[];
  added_at: Date | string;
}

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

function recordOf(row: ReleaseRow): ReleaseRecord {
  return {
    version: row.version,
    file: row.file,
    sha512: row.sha512,
    size: Number(row.size),
    ...(row.blockmap ? { blockmap: row.blockmap } : {}),
    publisherSignature: row.publisher_signature,
    releaseDate: iso(row.release_date),
    rollout: { percent: row.rollout_percent, units: row.rollout_units },
    addedAt: iso(row.added_at),
  };
}

/** Releases and the update policy in the central's database (migration 8). */
export class SqlReleaseStore {
  constructor(private readonly db: SqlDatabase) {}

  /** Newest first (semver order, not the order they were added). */
  async list(): Promise<ReleaseRecord[]> {
    const rows = await this.db.query<ReleaseRow>(`SELECT * FROM releases`);
    return rows.rows.map(recordOf).sort((a, b) => compareVersions(b.version, a.version));
  }

  async get(version: string, db: Queryable = this.db): Promise<ReleaseRecord | undefined> {
    const row = (await db.query<ReleaseRow>(`SELECT * FROM releases WHERE version = $1`, [version])).rows[0];
    return row ? recordOf(row) : undefined;
  }

  /** Registering the same release twice is a repeat (answered with the stored one); other content is refused. */
  async add(release: NewRelease, at: Date): Promise<{ record: ReleaseRecord; inserted: boolean }> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.query<ReleaseRow>(
        `INSERT INTO releases (version, file, sha512, size, blockmap, publisher_signature, release_date, rollout_percent, rollout_units, added_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (version) DO NOTHING RETURNING *`,
        [release.version, release.file, release.sha512, release.size, release.blockmap ?? null, release.publisherSignature, release.releaseDate ?? at.toISOString(), release.rollout.percent, release.rollout.units, at.toISOString()],
      );
      const row = inserted.rows[0];
      if (row) return { record: recordOf(row), inserted: true };
      const stored = await this.get(release.version, tx);
      if (!stored || stored.sha512 !== release.sha512 || stored.file !== release.file || stored.publisherSignature !== release.publisherSignature) {
        throw new CentralHttpError(409, 'RELEASE_CONFLICT', { version: release.version });
      }
      return { record: stored, inserted: false };
    });
  }

  async setRollout(version: string, rollout: Rollout): Promise<ReleaseRecord | undefined> {
    const rows = await this.db.query<ReleaseRow>(`UPDATE releases SET rollout_percent = $2, rollout_units = $3 WHERE version = $1 RETURNING *`, [version, rollout.percent, rollout.units]);
    return rows.rows[0] ? recordOf(rows.rows[0]) : undefined;
  }

  async policy(): Promise<UpdatePolicy> {
    const row = (await this.db.query<{ minimum_version: string | null }>(`SELECT minimum_version FROM update_policy WHERE id = 1`)).rows[0];
    return { minimumVersion: row?.minimum_version ?? null };
  }

  async setPolicy(policy: UpdatePolicy): Promise<UpdatePolicy> {
    await this.db.query(`INSERT INTO update_policy (id, minimum_version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET minimum_version = EXCLUDED.minimum_version`, [policy.minimumVersion]);
    return policy;
  }

  /**
   * The release a counter is offered: the newest whose rollout includes it. A counter below the minimum version
   * (it says its version in `counterVersionHeader`) is offered the newest release whatever the rollout: it may
   * not send dossiers until it updates, so it must never be left without one.
   */
  async offerFor(device: { deviceId: string; unitCode: string }, counterVersion: string | undefined): Promise<ReleaseRecord | undefined> {
    const releases = await this.list();
    const { minimumVersion } = await this.policy();
    if (counterVersion && isBelowMinimum(counterVersion, minimumVersion)) {
      const usable = releases.find((release) => !isBelowMinimum(release.version, minimumVersion));
      if (usable) return usable;
    }
    return releases.find((release) => isInRollout(device, release.version, release.rollout));
  }
}

/**
 * Refuses (426 COUNTER_UPDATE_REQUIRED) a counter below the central's minimum version, by the version it names
 * in `counterVersionHeader`; a counter that names none is older than the header, so below any minimum. Used on
 * the routes that send (commit, events) and on `devices/self`, which the counter asks before every pass: it
 * then holds its dossiers (kept, not failed) and says why. The policy is re-read at most every few seconds.
 */
export function counterVersionGate(store: SqlReleaseStore, cacheMs = 5_000): (request: FastifyRequest) => Promise<void> {
  let cached: { policy: UpdatePolicy; until: number } | undefined;
  return async (request) => {
    if (!cached || cached.until < Date.now()) cached = { policy: await store.policy(), until: Date.now() + cacheMs };
    const { minimumVersion } = cached.policy;
    if (!minimumVersion) return;
    const said = releaseVersionSchema.safeParse(request.headers[counterVersionHeader]);
    const version = said.success ? said.data : 'unknown';
    if (!said.success || isBelowMinimum(said.data, minimumVersion)) throw new CentralHttpError(426, 'COUNTER_UPDATE_REQUIRED', { minimumVersion, version });
  };
}

function manifestOf(release: ReleaseRecord, policy: UpdatePolicy): UpdateManifest {
  const url = releaseFileUrl(release.version, release.file);
  return {
    version: release.version,
    files: [{ url, sha512: release.sha512, size: release.size }],
    path: url,
    sha512: release.sha512,
    releaseDate: release.releaseDate,
    publisherSignature: release.publisherSignature,
    minimumVersion: policy.minimumVersion,
  };
}

function parsedParams(params: { version: string; name: string }): { version: string; name: string } {
  const version = releaseVersionSchema.safeParse(params.version);
  const name = releaseFileNameSchema.safeParse(params.name);
  if (!version.success || !name.success) throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { version: params.version.slice(0, 64), file: params.name.slice(0, 160) });
  return { version: version.data, name: name.data };
}

/** `bytes=a-b` / `bytes=a-` / `bytes=-n` for a file of `size` bytes; undefined = no (usable) range, serve it whole. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export interface ReleaseRoutesDeps {
  readonly store: SqlReleaseStore;
  readonly dataDir: string;
  readonly deviceOf: (request: FastifyRequest) => Promise<DeviceRecord>;
  /** Registers a route of the API contract (central/src/routes.ts): the admin check comes with it. */
  readonly route: RouteRegistrar;
  readonly maxFileBytes?: number;
}

export function mountReleases(app: FastifyInstance, deps: ReleaseRoutesDeps): void {
  const releasesDir = path.join(deps.dataDir, 'releases');
  const fileOf = (version: string, name: string) => path.join(releasesDir, version, name);
  const maxBytes = deps.maxFileBytes ?? DEFAULT_MAX_RELEASE_FILE_BYTES;

  const { route } = deps;
  route(app, 'updateManifest', async (request, reply) => {
    const device = await deps.deviceOf(request);
    const said = releaseVersionSchema.safeParse(request.headers[counterVersionHeader]);
    const release = await deps.store.offerFor({ deviceId: device.deviceId, unitCode: device.unit.code }, said.success ? said.data : undefined);
    void reply.header('cache-control', 'no-store');
    if (!release) return reply.code(204).send();
    return reply.type('text/yaml; charset=utf-8').send(stringify(manifestOf(release, await deps.store.policy())));
  });

  route(app, 'updateFile', async (request, reply) => {
    await deps.deviceOf(request);
    const { version, name } = parsedParams(request.params);
    const release = await deps.store.get(version);
    if (!release || (name !== release.file && name !== release.blockmap)) throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { version, file: name });
    const size = (await stat(fileOf(version, name)).catch(() => undefined))?.size;
    if (size === undefined) throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { version, file: name });
    const range = parseRange(request.headers.range, size);
    void reply.headers({ 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream', 'cache-control': 'no-store' });
    if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${size}`).send();
    if (!range) return reply.header('content-length', String(size)).send(createReadStream(fileOf(version, name)));
    return reply
      .code(206)
      .headers({ 'content-range': `bytes ${range.start}-${range.end}/${size}`, 'content-length': String(range.end - range.start + 1) })
      .send(createReadStream(fileOf(version, name), { start: range.start, end: range.end }));
  });

  // The installer arrives as a raw body, streamed to disk (it is far above the JSON body limit).
  void app.register((scope, _options, registered) => {
    scope.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
    route<'adminReleaseFile', { Body: Readable }>(scope, 'adminReleaseFile', async (request, reply) => {
      const { version, name } = parsedParams(request.params);
      if (!(request.body && typeof request.body.pipe === 'function')) throw new CentralHttpError(415, 'CENTRAL_REJECTED', { reason: 'content-type', expected: 'application/octet-stream' });
      if (await deps.store.get(version)) throw new CentralHttpError(409, 'RELEASE_CONFLICT', { version });
      await mkdir(path.join(releasesDir, version), { recursive: true, mode: OWNER_ONLY_DIR_MODE });
      const partial = `${fileOf(version, name)}.partial`;
      const hash = createHash('sha512');
      let size = 0;
      const out = await open(partial, 'w', OWNER_ONLY_FILE_MODE);
      try {
        for await (const chunk of request.body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBytes) throw new CentralHttpError(413, 'CENTRAL_REJECTED', { reason: 'release-file-too-large', limit: maxBytes });
          hash.update(chunk);
          await out.write(chunk);
        }
        await out.sync();
      } catch (err) {
        await out.close();
        await rm(partial, { force: true });
        throw err;
      }
      await out.close();
      await rename(partial, fileOf(version, name));
      return reply.code(201).send({ version, file: name, size, sha512: hash.digest('base64') });
    });
    registered();
  });

  route(app, 'adminReleases', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ releases: await deps.store.list(), policy: await deps.store.policy() }),
  );

  route(app, 'adminRegisterRelease', async (request, reply) => {
    const parsed = newReleaseSchema.safeParse(request.body);
    if (!parsed.success) throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'release', ...zodDetails(parsed.error) });
    const release = parsed.data;
    // What the counters will download must be what is registered: hash the stored file again.
    const stored = await hashStored(fileOf(release.version, release.file));
    if (!stored) throw new CentralHttpError(409, 'RELEASE_FILE_MISSING', { version: release.version, file: release.file });
    if (stored.size !== release.size || stored.sha512 !== release.sha512) {
      throw new CentralHttpError(409, 'RELEASE_FILE_MISMATCH', { version: release.version, file: release.file, size: stored.size });
    }
    if (release.blockmap && !(await stat(fileOf(release.version, release.blockmap)).catch(() => undefined))) {
      throw new CentralHttpError(409, 'RELEASE_FILE_MISSING', { version: release.version, file: release.blockmap });
    }
    const { record, inserted } = await deps.store.add(release, new Date());
    return reply.code(inserted ? 201 : 200).send(record);
  });

  route(app, 'adminReleaseRollout', async (request, reply) => {
    const rollout = rolloutSchema.safeParse(request.body);
    if (!rollout.success) throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'rollout', ...zodDetails(rollout.error) });
    const record = await deps.store.setRollout(request.params.version, rollout.data);
    if (!record) throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { version: request.params.version.slice(0, 64) });
    return reply.send(record);
  });

  route(app, 'adminUpdatePolicy', async (_request, reply) => reply.header('cache-control', 'no-store').send(await deps.store.policy()));
  route(app, 'adminSetUpdatePolicy', async (request, reply) => {
    const policy = updatePolicySchema.safeParse(request.body);
    if (!policy.success) throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'update-policy', ...zodDetails(policy.error) });
    return reply.send(await deps.store.setPolicy(policy.data));
  });
}

async function hashStored(file: string): Promise<{ size: number; sha512: string } | undefined> {
  const hash = createHash('sha512');
  let size = 0;
  try {
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      size += chunk.length;
      hash.update(chunk);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return { size, sha512: hash.digest('base64') };
}
