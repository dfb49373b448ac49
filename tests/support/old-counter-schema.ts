/** Counter databases as an older app version left them, for the migration tests. */
import Dexie from 'dexie';
import { schemaV1, schemaV2, schemaV3, schemaV4, schemaV5, schemaV6, schemaV7, schemaV8, schemaV10 } from '../../renderer/src/db/schema-versions';

/** The shipped schemas by version number (9 is reserved for another branch: versions may have gaps). */
const shippedSchemas: ReadonlyMap<number, Readonly<Record<string, string>>> = new Map<number, Readonly<Record<string, string>>>([
  [1, schemaV1],
  [2, schemaV2],
  [3, schemaV3],
  [4, schemaV4],
  [5, schemaV5],
  [6, schemaV6],
  [7, schemaV7],
  [8, schemaV8],
  [10, schemaV10],
]);

/** A plain Dexie declaring the shipped schemas up to `version` (tables and indexes only, no upgrade code); not opened. */
export function dexieAtVersion(name: string, version: number): Dexie {
  if (!shippedSchemas.has(version)) throw new Error(`no shipped schema version ${version}`);
  const db = new Dexie(name);
  for (const [n, stores] of shippedSchemas) if (n <= version) db.version(n).stores(stores);
  return db;
}
