/**
 * Encryption at rest of the counter database (issue 17 finding 8; docs/storage.md "Encryption at rest").
 *
 * Main owns a 32-byte data key sealed by the OS (electron/services/data-key.ts) and hands it over once per
 * launch; `importDataKeys` turns it into two NON-EXTRACTABLE WebCrypto keys (AES-256-GCM for values, HMAC for
 * blind indexes) and wipes the raw bytes. `encryptionMiddleware` is a Dexie DBCore middleware placed below
 * every other one (Dexie's own and the derived-tables one), so rows are sealed whoever writes them — the UI,
 * the sync worker, the derived `dossierSearch` rows — and opened on every read: the rest of the app is unchanged.
 *
 * - The declared fields of each table (`sealedFields`) are replaced by `{ $sealed: bytes }` (version byte,
 *   12-byte random IV, ciphertext + tag; the table and field name are the associated data, so a sealed value
 *   cannot be moved to another field). An absent field stays absent (retention removes fields); a field
 *   that is not sealed (a row from before) is read as it is.
 * - `applicants` is looked up by its primary key (the holder's personal number or tax code) and indexed on
 *   idNumber and phone: those become keyed HMACs (`bi1:…`, a blind index), the clear values travel sealed.
 * - `dossierSearch` kept the folded applicant name inside its primary key. The stored key now ends with a
 *   random tag instead of the name; the name is sealed in the row. Reads of its keys put the name back
 *   from an in-memory map (tag → name), filled from the rows once per session and kept in step by the tag,
 *   which changes on every write — so the queue's search is unchanged above this layer.
 *
 * WebCrypto answers in a later task, after which IndexedDB would auto-commit an idle transaction; while a
 * seal or open is in flight the transaction is kept busy with cheap reads (as Dexie's `waitFor` does).
 */
import type { DBCore, DBCoreCursor, DBCoreRangeType, DBCoreGetManyRequest, DBCoreKeyRange, DBCoreMutateRequest, DBCoreQueryRequest, DBCoreTable, DBCoreTransaction, Middleware } from 'dexie';
import { AppError } from '../../../shared/errors';
import type { CounterDatabase } from './database';

export interface DataKeys {
  /** AES-256-GCM, non-extractable: seals field values. */
  readonly cipher: CryptoKey;
  /** HMAC-SHA-256, non-extractable: blind index of looked-up personal values. */
  readonly index: CryptoKey;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Derives the two keys from main's data key and wipes the raw bytes (the caller's copy too). */
export async function importDataKeys(raw: Uint8Array): Promise<DataKeys> {
  if (raw.byteLength !== 32) throw new AppError('DATA_KEY_UNAVAILABLE', { reason: `a data key of ${raw.byteLength} bytes` });
  try {
    const base = await crypto.subtle.importKey('raw', new Uint8Array(raw), 'HKDF', false, ['deriveKey']);
    const derive = (info: string, algorithm: AesKeyGenParams | HmacKeyGenParams, usages: KeyUsage[]) =>
      crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(info) }, base, algorithm, false, usages);
    const [cipher, index] = await Promise.all([
      derive('motcua counter database v1: AES-GCM', { name: 'AES-GCM', length: 256 }, ['encrypt', 'decrypt']),
      derive('motcua counter database v1: blind index', { name: 'HMAC', hash: 'SHA-256', length: 256 }, ['sign']),
    ]);
    return { cipher, index };
  } finally {
    raw.fill(0);
  }
}

// ---- value encoding: JSON with byte arrays kept as bytes (attachments, OCR words, PDFs) ----

const bytesMarker = '$bytes';

/** `[u32 json length][json][u32 length][bytes]…`: byte arrays are not inflated through JSON. */
function encodeValue(value: unknown): Uint8Array<ArrayBuffer> {
  if (value instanceof Uint8Array) {
    const out = new Uint8Array(1 + value.byteLength);
    out[0] = 1;
    out.set(value, 1);
    return out;
  }
  const parts: Uint8Array[] = [];
  const json = encoder.encode(JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { [bytesMarker]: parts.push(v) - 1 } : v)));
  const size = 1 + 4 + json.byteLength + parts.reduce((n, p) => n + 4 + p.byteLength, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = 2;
  view.setUint32(1, json.byteLength);
  out.set(json, 5);
  let at = 5 + json.byteLength;
  for (const part of parts) {
    view.setUint32(at, part.byteLength);
    out.set(part, at + 4);
    at += 4 + part.byteLength;
  }
  return out;
}

function decodeValue(bytes: Uint8Array): unknown {
  if (bytes[0] === 1) return bytes.slice(1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(1);
  const json = decoder.decode(bytes.subarray(5, 5 + jsonLength));
  const parts: Uint8Array[] = [];
  for (let at = 5 + jsonLength; at < bytes.byteLength; ) {
    const length = view.getUint32(at);
    parts.push(bytes.slice(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return JSON.parse(json, (_key, v: unknown) => (v !== null && typeof v === 'object' && bytesMarker in v ? parts[(v as Record<string, number>)[bytesMarker]!] : v));
}

// ---- sealing ----

export interface SealedValue {
  readonly $sealed: Uint8Array;
}

const formatVersion = 1;

export function isSealed(value: unknown): value is SealedValue {
  return value !== null && typeof value === 'object' && (value as Partial<SealedValue>).$sealed instanceof Uint8Array;
}

async function sealValue(keys: DataKeys, where: string, value: unknown): Promise<SealedValue> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const cipherText = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(where) }, keys.cipher, encodeValue(value)));
  const sealed = new Uint8Array(1 + 12 + cipherText.byteLength);
  sealed[0] = formatVersion;
  sealed.set(iv, 1);
  sealed.set(cipherText, 13);
  return { $sealed: sealed };
}

/** Opens a sealed value; another key or altered bytes give DATA_KEY_MISMATCH, never garbage. */
export async function openValue(keys: DataKeys, where: string, sealed: SealedValue): Promise<unknown> {
  const bytes = sealed.$sealed;
  if (bytes[0] !== formatVersion || bytes.byteLength < 1 + 12 + 16) throw new AppError('DATA_KEY_MISMATCH', { table: where });
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(1, 13), additionalData: encoder.encode(where) }, keys.cipher, bytes.slice(13));
  } catch (err) {
    throw new AppError('DATA_KEY_MISMATCH', { table: where }, { cause: err });
  }
  return decodeValue(new Uint8Array(plain));
}

const blindPrefix = 'bi1:';

/** A keyed HMAC of a looked-up value: equal values give equal keys, the value itself is not on disk. */
async function blindIndex(keys: DataKeys, field: string, value: string): Promise<string> {
  if (value.startsWith(blindPrefix)) return value;
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', keys.index, encoder.encode(`${field}\u0000${value}`)));
  let binary = '';
  for (const b of mac) binary += String.fromCharCode(b);
  return blindPrefix + btoa(binary).replace(/=+$/, '');
}

// ---- what is sealed ----

/**
 * Fields sealed per table: the applicant and everything personal, and file bytes. Not sealed: codes,
 * procedure, dates, states, sizes and hashes — what the queue sorts, filters and counts by — and file names
 * (the component's or the scanner's, e.g. `KS-01.pdf`; an imported file keeps its own name: docs/storage.md).
 */
const sealedFields: Readonly<Record<string, readonly string[]>> = {
  dossiers: ['applicant'],
  fileChunks: ['data'],
  resultFileChunks: ['data'],
  capturePageBytes: ['bytes', 'ocr'],
  printedForms: ['pdf', 'label'],
  pendingDossiers: ['applicant', 'attachments', 'rounds', 'refusal'],
  counterEvents: ['event'],
  statusChanges: ['note'],
  dossierState: ['returned', 'stopped'],
};

/** applicants: the blind-indexed fields; the clear values go sealed in `sealedApplicantField`. */
const applicantIndexedFields = ['key', 'idNumber', 'phone'] as const;
const sealedApplicantField = 'applicant';

// ---- keeping a transaction alive while WebCrypto works ----

/**
 * Runs `work` (WebCrypto only, no IndexedDB request) while the transaction is kept busy with cheap reads, and
 * settles inside one of those reads' success events: the caller's next request is then made while the
 * transaction is active (as Dexie's `Transaction.waitFor` does). Outside IndexedDB (no transaction) it just runs.
 */
function alive<T>(trans: DBCoreTransaction, work: () => Promise<T>): Promise<T> {
  const idb = trans as unknown as Partial<IDBTransaction>;
  if (typeof idb.objectStore !== 'function' || !idb.objectStoreNames || idb.objectStoreNames.length === 0) return work();
  const store = idb.objectStore(idb.objectStoreNames[0]!);
  return new Promise<T>((resolve, reject) => {
    let settle: (() => void) | undefined;
    const spin = (): void => {
      if (settle) {
        settle();
        return;
      }
      try {
        store.get(-Infinity).onsuccess = spin;
      } catch (err) {
        // The transaction ended meanwhile (aborted elsewhere): nothing more can be written in it.
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    work().then(
      (value) => (settle = () => resolve(value)),
      (err: unknown) => (settle = () => reject(err instanceof Error ? err : new Error(String(err)))),
    );
    spin();
  });
}

// ---- the middleware ----

type Row = Record<string, unknown>;

const searchSeparator = '\u001f';

function isRow(value: unknown): value is Row {
  return value !== null && typeof value === 'object';
}

function randomTag(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The plain range on one value, if `range` is an equality (the only lookups made on blind-indexed fields). */
function equalValue(range: DBCoreKeyRange): string | undefined {
  const lower: unknown = range.lower;
  // DBCoreRangeType.Equal (an ambient const enum, not importable as a value here).
  const equal = 1 as DBCoreRangeType;
  return range.type === equal && typeof lower === 'string' ? lower : undefined;
}

export interface EncryptionOptions {
  /**
   * False: new rows are written as given, sealed ones are still opened (config `encryptionAtRest.seal`, a
   * measuring switch for the benchmarks' "before"; docs/storage.md). Default true.
   */
  readonly seal?: boolean;
}

export function encryptionMiddleware(keys: DataKeys, options: EncryptionOptions = {}): Middleware<DBCore> {
  const sealing = options.seal ?? true;
  return {
    stack: 'dbcore',
    name: 'EncryptionAtRest',
    // Below Dexie's own middlewares (-1 and up) and the derived tables (10): everything above sees clear rows.
    level: -5,
    create(down) {
      /** dossierSearch: `dossierId|tag` → the folded name, for putting names back into keys. */
      const searchNames = new Map<string, string>();

      const sealRow = async (table: string, fields: readonly string[], value: unknown): Promise<unknown> => {
        if (!isRow(value)) return value;
        const out: Row = { ...value };
        for (const field of fields) {
          const plain = out[field];
          if (plain === undefined || isSealed(plain)) continue;
          out[field] = await sealValue(keys, `${table}.${field}`, plain);
        }
        return out;
      };

      const openRow = async (table: string, fields: readonly string[], value: unknown): Promise<unknown> => {
        if (!isRow(value)) return value;
        let out: Row | undefined;
        for (const field of fields) {
          const sealed = value[field];
          if (!isSealed(sealed)) continue;
          out ??= { ...value };
          out[field] = await openValue(keys, `${table}.${field}`, sealed);
        }
        return out ?? value;
      };

      // applicants
      const blindKey = (key: unknown): Promise<unknown> => (typeof key === 'string' ? blindIndex(keys, 'applicants.key', key) : Promise.resolve(key));
      const sealApplicant = async (value: unknown): Promise<unknown> => {
        if (!isRow(value) || isSealed(value[sealedApplicantField])) return value;
        const out: Row = { ...value };
        const clear: Row = {};
        for (const field of [...applicantIndexedFields, sealedApplicantField]) {
          if (value[field] === undefined) continue;
          clear[field] = value[field];
          if (field !== sealedApplicantField && typeof value[field] === 'string') out[field] = await blindIndex(keys, `applicants.${field}`, value[field]);
        }
        out[sealedApplicantField] = await sealValue(keys, 'applicants', clear);
        return out;
      };
      const openApplicant = async (value: unknown): Promise<unknown> => {
        if (!isRow(value) || !isSealed(value[sealedApplicantField])) return value;
        const clear = (await openValue(keys, 'applicants', value[sealedApplicantField])) as Row;
        const out: Row = { ...value };
        delete out[sealedApplicantField];
        return { ...out, ...clear };
      };

      // dossierSearch
      const sealSearchRow = async (value: unknown): Promise<unknown> => {
        if (!isRow(value) || typeof value.text !== 'string' || isSealed(value.name)) return value;
        const cut = value.text.lastIndexOf(searchSeparator);
        const name = value.text.slice(cut + 1);
        const tag = randomTag();
        searchNames.set(`${String(value.dossierId)}|${tag}`, name);
        return { ...value, text: value.text.slice(0, cut + 1) + tag, name: await sealValue(keys, 'dossierSearch.name', name) };
      };
      const openSearchRow = async (value: unknown): Promise<unknown> => {
        if (!isRow(value) || typeof value.text !== 'string' || !isSealed(value.name)) return value;
        const name = (await openValue(keys, 'dossierSearch.name', value.name)) as string;
        const cut = value.text.lastIndexOf(searchSeparator);
        searchNames.set(`${String(value.dossierId)}|${value.text.slice(cut + 1)}`, name);
        const out: Row = { ...value, text: value.text.slice(0, cut + 1) + name };
        delete out.name;
        return out;
      };
      /** Stored keys `[createdAt, codes…tag, id]` back to `[createdAt, codes…name, id]`, reading the rows not seen yet. */
      const openSearchKeys = async (table: DBCoreTable, trans: DBCoreTransaction, stored: unknown[]): Promise<unknown[]> => {
        const tagOf = (key: unknown): string | undefined => {
          if (!Array.isArray(key) || typeof key[1] !== 'string') return undefined;
          return `${String(key[2])}|${key[1].slice(key[1].lastIndexOf(searchSeparator) + 1)}`;
        };
        const unknownKeys = stored.filter((key) => {
          const tag = tagOf(key);
          return tag !== undefined && !searchNames.has(tag);
        });
        if (unknownKeys.length > 0) {
          const rows = await table.getMany({ trans, keys: unknownKeys });
          await alive(trans, () =>
            Promise.all(
              rows.map(async (row: unknown, i) => {
                if (isRow(row) && isSealed(row.name)) {
                  await openSearchRow(row);
                } else {
                  // A row from before encryption: its key still ends with the name itself.
                  const tag = tagOf(unknownKeys[i]) ?? '';
                  searchNames.set(tag, tag.slice(tag.indexOf('|') + 1));
                }
              }),
            ),
          );
        }
        return stored.map((key) => {
          const tag = tagOf(key);
          if (tag === undefined || !Array.isArray(key)) return key;
          const text = key[1] as string;
          const [createdAt, , dossierId] = key as unknown[];
          return [createdAt, text.slice(0, text.lastIndexOf(searchSeparator) + 1) + (searchNames.get(tag) ?? ''), dossierId];
        });
      };
      /** The stored keys of the search rows of these dossiers (by the unique `dossierId` index). */
      const searchKeysOfDossiers = async (table: DBCoreTable, trans: DBCoreTransaction, ids: unknown[]): Promise<unknown[]> => {
        const index = table.schema.indexes.find((i) => i.name === 'dossierId');
        if (!index) return [];
        const found = await Promise.all(ids.map((id) => table.query({ trans, values: false, query: { index, range: { type: 1, lower: id, upper: id, lowerOpen: false, upperOpen: false } } })));
        return found.flatMap((res) => res.result as unknown[]);
      };

      const tableOf = (name: string): DBCoreTable => {
        const table = down.table(name);
        const fields = sealedFields[name];
        const isApplicants = name === 'applicants';
        const isSearch = name === 'dossierSearch';
        if (!fields && !isApplicants && !isSearch) return table;

        const seal = (value: unknown): Promise<unknown> => (isApplicants ? sealApplicant(value) : isSearch ? sealSearchRow(value) : sealRow(name, fields ?? [], value));
        const open = (value: unknown): Promise<unknown> => (isApplicants ? openApplicant(value) : isSearch ? openSearchRow(value) : openRow(name, fields ?? [], value));
        const sealedIn = (value: unknown): boolean => isRow(value) && (isApplicants ? isSealed(value[sealedApplicantField]) : isSearch ? isSealed(value.name) : (fields ?? []).some((f) => isSealed(value[f])));
        // Nothing sealed among them (rows from before, or written while not sealing): no crypto, no wait.
        const openAll = (trans: DBCoreTransaction, values: unknown[]): Promise<unknown[]> => (values.some(sealedIn) ? alive(trans, () => Promise.all(values.map(open))) : Promise.resolve(values));

        /** A lookup on a blind-indexed field (or key) of `applicants`: the plain value becomes its HMAC. */
        const blindQuery = async (trans: DBCoreTransaction, query: DBCoreQueryRequest['query']): Promise<DBCoreQueryRequest['query']> => {
          if (!isApplicants) return query;
          const field = query.index.isPrimaryKey ? 'key' : (query.index.name ?? '');
          if (!(applicantIndexedFields as readonly string[]).includes(field)) return query;
          const plain = equalValue(query.range);
          if (plain === undefined) return query;
          const blinded = await alive(trans, () => blindIndex(keys, `applicants.${field}`, plain));
          return { ...query, range: { ...query.range, lower: blinded, upper: blinded } };
        };
        const blindKeys = (trans: DBCoreTransaction, plain: unknown[]): Promise<unknown[]> => (isApplicants ? alive(trans, () => Promise.all(plain.map(blindKey))) : Promise.resolve(plain));

        const mutate = async (req: DBCoreMutateRequest) => {
          switch (req.type) {
            case 'add':
            case 'put': {
              if (isSearch) {
                // One search row per dossier: the one it replaces has another tag, hence another key.
                const stale = await searchKeysOfDossiers(table, req.trans, req.values.map((v: unknown) => (isRow(v) ? v.dossierId : undefined)));
                if (stale.length > 0) await table.mutate({ type: 'delete', trans: req.trans, keys: stale });
              }
              const values = await alive(req.trans, () => Promise.all(req.values.map(seal)));
              // Keys come from the sealed values (applicants' and search rows' keys changed with them).
              const { keys: givenKeys, ...rest } = req;
              return table.mutate({ ...rest, values, ...(givenKeys && !isApplicants && !isSearch ? { keys: givenKeys } : {}) });
            }
            case 'delete': {
              if (isSearch) return table.mutate({ ...req, keys: await searchKeysOfDossiers(table, req.trans, req.keys.map((k: unknown): unknown => (Array.isArray(k) ? (k as unknown[])[2] : undefined))) });
              return table.mutate({ ...req, keys: await blindKeys(req.trans, req.keys) });
            }
            case 'deleteRange':
              return table.mutate(req);
          }
        };

        const wrapCursor = (cursor: DBCoreCursor): DBCoreCursor => {
          let opened: unknown;
          const wrapped: DBCoreCursor = {
            get trans() {
              return cursor.trans;
            },
            get key(): unknown {
              return cursor.key as unknown;
            },
            get primaryKey(): unknown {
              return cursor.primaryKey as unknown;
            },
            get value(): unknown {
              return opened;
            },
            get done() {
              return cursor.done;
            },
            continue: (key?: unknown) => (key === undefined ? cursor.continue() : cursor.continue(key)),
            continuePrimaryKey: (key: unknown, primaryKey: unknown) => cursor.continuePrimaryKey(key, primaryKey),
            advance: (count: number) => cursor.advance(count),
            start: (onNext: () => void) =>
              cursor.start(() => {
                const value: unknown = cursor.value;
                if (!sealedIn(value)) {
                  opened = value;
                  onNext();
                  return;
                }
                alive(cursor.trans, () => open(value)).then(
                  (value) => {
                    opened = value;
                    onNext();
                  },
                  (err: unknown) => cursor.fail(err instanceof Error ? err : new Error(String(err))),
                );
              }),
            stop: (value?: unknown) => cursor.stop(value),
            next: () => {
              let gotOne = 1;
              return wrapped.start(() => (gotOne-- ? wrapped.continue() : wrapped.stop())).then(() => wrapped);
            },
            fail: (err: Error) => cursor.fail(err),
          };
          return wrapped;
        };

        if (!sealing) {
          return {
            ...table,
            get: async (req) => (await openAll(req.trans, [await table.get(req)]))[0],
            getMany: async (req: DBCoreGetManyRequest) => openAll(req.trans, await table.getMany(req)),
            query: async (req) => {
              const res = await table.query(req);
              return req.values ? { ...res, result: await openAll(req.trans, res.result as unknown[]) } : res;
            },
            openCursor: async (req) => {
              const cursor = await table.openCursor(req);
              return cursor && req.values !== false ? wrapCursor(cursor) : cursor;
            },
          };
        }

        return {
          ...table,
          mutate,
          get: async (req) => {
            const [key] = await blindKeys(req.trans, [req.key]);
            const [value] = await openAll(req.trans, [await table.get({ ...req, key })]);
            return value;
          },
          getMany: async (req: DBCoreGetManyRequest) => openAll(req.trans, await table.getMany({ ...req, keys: await blindKeys(req.trans, req.keys) })),
          query: async (req) => {
            const res = await table.query({ ...req, query: await blindQuery(req.trans, req.query) });
            if (req.values) return { ...res, result: await openAll(req.trans, res.result as unknown[]) };
            if (isSearch) return { ...res, result: await openSearchKeys(table, req.trans, res.result as unknown[]) };
            return res;
          },
          openCursor: async (req) => {
            const cursor = await table.openCursor({ ...req, query: await blindQuery(req.trans, req.query) });
            return cursor && req.values !== false ? wrapCursor(cursor) : cursor;
          },
          count: async (req) => table.count({ ...req, query: await blindQuery(req.trans, req.query) }),
        };
      };

      return { ...down, table: tableOf };
    },
  };
}

// ---- rows written before encryption ----

/** syncMeta key: set once every row of this database went through the seal (docs/storage.md). */
const sealedAtMetaKey = 'encryption.sealedAt';

/**
 * Seals the rows an older version of the app wrote in clear: every row of the tables with sealed fields is
 * read (opened where already sealed) and written back through the middleware, in small transactions (file
 * chunks are up to 4 MiB each); `applicants` is rewritten whole, since its primary keys become blind indexes.
 * Done once per database (marked in syncMeta); `db` must have been opened with its data keys.
 */
export async function sealExistingRows(db: CounterDatabase, batch = 16): Promise<{ readonly rows: number }> {
  if (!db.sealsAtRest) return { rows: 0 };
  if ((await db.syncMeta.get(sealedAtMetaKey)) !== undefined) return { rows: 0 };
  let rows = 0;
  // dossierSearch follows: rewriting a dossier rewrites its search row (derived.ts), sealed on the way down.
  for (const name of Object.keys(sealedFields)) {
    const table = db.table(name);
    const keys = await table.toCollection().primaryKeys();
    for (let i = 0; i < keys.length; i += batch) {
      const slice = keys.slice(i, i + batch);
      await db.transaction('rw', table, async () => {
        const found = (await table.bulkGet(slice)).filter((row: unknown) => row !== undefined);
        await table.bulkPut(found);
        rows += found.length;
      });
    }
  }
  await db.transaction('rw', db.applicants, async () => {
    const known = await db.applicants.toArray();
    await db.applicants.clear();
    await db.applicants.bulkPut(known);
    rows += known.length;
  });
  await db.syncMeta.put({ key: sealedAtMetaKey, value: new Date().toISOString() });
  return { rows };
}

/** syncMeta key: a value sealed with this database's key, so a wrong key is told at start, not on a later read. */
const keyCheckMetaKey = 'encryption.keyCheck';
const keyCheckText = 'motcua counter database key check v1';

/**
 * At start: the data key must be the one this database was sealed with. The first start with a key leaves a
 * sealed check value; later starts open it. Another key gives DATA_KEY_MISMATCH before anything is shown.
 */
export async function checkDataKey(db: CounterDatabase, keys: DataKeys): Promise<void> {
  const held = (await db.syncMeta.get(keyCheckMetaKey))?.value;
  if (isSealed(held)) {
    const opened = await openValue(keys, `syncMeta.${keyCheckMetaKey}`, held);
    if (opened !== keyCheckText) throw new AppError('DATA_KEY_MISMATCH', { table: 'syncMeta' });
    return;
  }
  await db.syncMeta.put({ key: keyCheckMetaKey, value: await sealValue(keys, `syncMeta.${keyCheckMetaKey}`, keyCheckText) });
}
