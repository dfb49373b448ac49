/**
 * Reference data the counters pull and keep as their last good copy: the procedure catalog, the yearly
 * working calendar and the trust anchors. Each has a version (hash of its canonical content) sent as the
 * ETag. An administrator may replace the catalog or calendar (admin PUT / `motcua central reference`):
 * the new data is validated with the same schemas the counter uses, and only a valid copy replaces the
 * current one (written to `<dataDir>/reference/<kind>.json`, which the next start loads).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { OWNER_ONLY_DIR_MODE, OWNER_ONLY_FILE_MODE } from './data-modes';
import path from 'node:path';
import { z } from 'zod';
import { bundledCatalog } from '../../shared/domain/catalog-demo';
import { procedureSchema } from '../../shared/domain/procedure';
import { builtInOfficialCalendars, parseYearCalendars } from '../../shared/domain/working-calendar';
import { AppError } from '../../shared/errors';
import type { ReferenceDocument, ReferenceKind } from '../../shared/sync/protocol';
import { canonicalJson } from './content-hash';
import { CentralHttpError, zodDetails } from './http-errors';

/** The kinds an administrator may replace (trust anchors come from the central's `--trust` configuration). */
export const replaceableKinds = ['catalog', 'calendar'] as const;
export type ReplaceableKind = (typeof replaceableKinds)[number];

const catalogSchema = z
  .array(procedureSchema)
  .min(1)
  .refine((list) => new Set(list.map((p) => p.code)).size === list.length, 'each procedure code appears once');

/** Validates `data` for `kind`; the normalised data, or REFERENCE_DATA_INVALID naming the first problem. */
export function validateReference(kind: ReplaceableKind, data: unknown): unknown {
  if (kind === 'catalog') {
    const parsed = catalogSchema.safeParse(data);
    if (!parsed.success) {
      const [key, message] = Object.entries(zodDetails(parsed.error))[0] ?? ['(root)', 'invalid'];
      throw new CentralHttpError(400, 'REFERENCE_DATA_INVALID', { kind, issue: `${key}: ${message}` });
    }
    return parsed.data;
  }
  try {
    return parseYearCalendars(data);
  } catch (err) {
    const issue = err instanceof AppError ? String(err.details.issue ?? err.code) : String(err);
    throw new CentralHttpError(400, 'REFERENCE_DATA_INVALID', { kind, issue });
  }
}

export function versionOf(data: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(JSON.parse(JSON.stringify(data)) as never))
    .digest('hex')
    .slice(0, 32);
}

/** True when an `If-None-Match` header names `version` (or is `*`). */
export function matchesEtag(ifNoneMatch: string | undefined, version: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === '*' || t === `"${version}"`;
  });
}

const storedFileSchema = z.object({ publishedAt: z.iso.datetime({ offset: true }), data: z.unknown() });

export class ReferenceData {
  private readonly docs = new Map<ReferenceKind, ReferenceDocument>();

  constructor(
    private readonly dataDir: string,
    trustAnchorsDer: readonly Uint8Array[],
    private readonly log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void },
    startedAt = new Date(),
  ) {
    const publishedAt = startedAt.toISOString();
    this.set({ kind: 'catalog', publishedAt, data: bundledCatalog });
    this.set({ kind: 'calendar', publishedAt, data: builtInOfficialCalendars });
    this.set({ kind: 'trust-anchors', publishedAt, data: { certificatesDerBase64: trustAnchorsDer.map((d) => Buffer.from(d).toString('base64')) } });
  }

  private set(doc: Omit<ReferenceDocument, 'version'>): ReferenceDocument {
    const full: ReferenceDocument = { ...doc, version: versionOf(doc.data) };
    this.docs.set(doc.kind, full);
    return full;
  }

  private filePath(kind: ReplaceableKind): string {
    return path.join(this.dataDir, 'reference', `${kind}.json`);
  }

  /** Loads replacements saved by an administrator; a damaged file is reported and the built-in copy serves. */
  async load(): Promise<void> {
    for (const kind of replaceableKinds) {
      let text: string;
      try {
        text = await readFile(this.filePath(kind), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      try {
        const stored = storedFileSchema.parse(JSON.parse(text));
        this.set({ kind, publishedAt: stored.publishedAt, data: validateReference(kind, stored.data) });
      } catch (err) {
        this.log.error({ err, file: this.filePath(kind) }, 'reference data file is invalid; serving the built-in copy');
      }
    }
  }

  get(kind: ReferenceKind): ReferenceDocument {
    const doc = this.docs.get(kind);
    if (!doc) throw new Error(`no reference data ${kind}`);
    return doc;
  }

  /** Validates, saves durably, then serves `data` as the new `kind`. Invalid data changes nothing. */
  async replace(kind: ReplaceableKind, data: unknown, now = new Date()): Promise<ReferenceDocument> {
    const valid = validateReference(kind, data);
    const publishedAt = now.toISOString();
    const file = this.filePath(kind);
    await mkdir(path.dirname(file), { recursive: true, mode: OWNER_ONLY_DIR_MODE });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await open(temp, 'wx', OWNER_ONLY_FILE_MODE);
      try {
        await handle.writeFile(JSON.stringify({ publishedAt, data: valid }));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    return this.set({ kind, publishedAt, data: valid });
  }
}
