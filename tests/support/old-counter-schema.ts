/** Counter databases as an older app version left them, for the migration tests. */
import Dexie from 'dexie';
import { schemaV1, schemaV2, schemaV3, schemaV4, schemaV5, schemaV6, schemaV7, schemaV8 } from '../../renderer/src/db/database';

const shippedSchemas = [schemaV1, schemaV2, schemaV3, schemaV4, schemaV5, schemaV6, schemaV7, schemaV8];

/** A plain Dexie declaring the shipped schemas 1…`version` (tables and indexes only, no upgrade code); not opened. */
export function dexieAtVersion(name: string, version: number): Dexie {
  if (version < 1 || version > shippedSchemas.length) throw new Error(`no shipped schema version ${version}`);
  const db = new Dexie(name);
  shippedSchemas.slice(0, version).forEach((stores, i) => db.version(i + 1).stores(stores));
  return db;
}
