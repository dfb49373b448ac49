/**
 * The check every cluster scenario ends with, over everything acknowledged so far in the run:
 *
 * - nothing lost: every dossier a central acknowledged (201, or 200 for a repeat) is in the database — on the
 *   primary and, while there is one, on the synchronous standby — with exactly the files it was committed with;
 * - nothing duplicated: no dossier the test did not send, one central id per dossier, one "received" feed entry
 *   per dossier, no repeated central id;
 * - every object re-hashed identical: each file row's object read back from the bucket whole, its SHA-256 and
 *   size those of the row (which are those the counter sent);
 * - the feed complete and in order: paged through the balancer (any instance answers any page), strictly
 *   increasing sequence numbers, exactly the database's entries for the unit, one "received" per dossier.
 *
 * Commits that were sent but never acknowledged (cut by a crash) may or may not have landed: they are allowed to be
 * present (`mayExist`), never required — a counter re-sends them and gets the first answer.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { changesResponseSchema } from '../../../shared/sync/protocol';
import { pathFor } from '../../../shared/sync/api-contract';

interface ExpectedFile {
  readonly sha256: string;
  readonly size: number;
}

export interface ExpectedDossier {
  readonly dossierId: string;
  readonly files: readonly ExpectedFile[];
  /** The scenario that committed it (for messages). */
  readonly scenario: string;
}

export interface VerifyInput {
  /** Named connection strings: the primary (through HAProxy) and, while there is one, the standby. */
  readonly databases: readonly { readonly name: string; readonly url: string }[];
  readonly s3: S3Client;
  readonly filesBucket: string;
  /** Where to read the feed (the balancer) and as which device. */
  readonly feed: { readonly url: string; readonly credential: string };
  readonly expected: readonly ExpectedDossier[];
  /** Dossier ids sent but never acknowledged: allowed in the database, not required. */
  readonly mayExist: ReadonlySet<string>;
}

export interface VerifyReport {
  readonly dossiers: number;
  readonly objects: number;
  readonly rehashedMiB: number;
  readonly feedEntries: number;
  /** Sent-but-unacknowledged dossiers that did land (their retry would get 200). */
  readonly landedUnacknowledged: number;
  readonly ms: number;
}

const MiB = 1024 * 1024;

/** Throws with every problem found (not just the first), or resolves with what was checked. */
export async function verifyCluster(input: VerifyInput): Promise<VerifyReport> {
  const started = performance.now();
  const problems: string[] = [];
  const expectedById = new Map(input.expected.map((d) => [d.dossierId, d]));
  if (expectedById.size !== input.expected.length) problems.push('the test itself expects one dossier twice');
  let landedUnacknowledged = 0;
  const objectRows = new Map<string, { sha256: string; size: number }>();

  for (const database of input.databases) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const dossiers = await client.query<{ id: string; central_id: string }>('SELECT id::text AS id, central_id FROM dossiers');
      const present = new Set(dossiers.rows.map((r) => r.id));
      const lost = input.expected.filter((d) => !present.has(d.dossierId));
      if (lost.length) problems.push(`${database.name}: ${lost.length} acknowledged dossier(s) missing: ${lost.map((d) => `${d.dossierId} (${d.scenario})`).join(', ')}`);
      const unexpected = dossiers.rows.filter((r) => !expectedById.has(r.id) && !input.mayExist.has(r.id));
      if (unexpected.length) problems.push(`${database.name}: ${unexpected.length} dossier(s) nobody sent: ${unexpected.map((r) => r.id).join(', ')}`);
      if (new Set(dossiers.rows.map((r) => r.central_id)).size !== dossiers.rows.length) problems.push(`${database.name}: a central id given twice`);
      landedUnacknowledged = Math.max(landedUnacknowledged, dossiers.rows.filter((r) => input.mayExist.has(r.id) && !expectedById.has(r.id)).length);

      const received = await client.query<{ dossier_id: string; n: number }>(
        `SELECT dossier_id::text AS dossier_id, count(*)::int AS n FROM status_changes WHERE source = 'commit' GROUP BY dossier_id`,
      );
      const receivedCount = new Map(received.rows.map((r) => [r.dossier_id, r.n]));
      for (const dossier of dossiers.rows) {
        const n = receivedCount.get(dossier.id) ?? 0;
        if (n !== 1) problems.push(`${database.name}: dossier ${dossier.id} has ${n} "received" feed entries, not 1`);
      }

      const files = await client.query<{ dossier_id: string; sha256: string; size: string; storage_path: string }>(
        'SELECT dossier_id::text AS dossier_id, sha256, size::text AS size, storage_path FROM dossier_files',
      );
      const filesByDossier = new Map<string, string[]>();
      for (const row of files.rows) {
        filesByDossier.set(row.dossier_id, [...(filesByDossier.get(row.dossier_id) ?? []), `${row.sha256}:${row.size}`]);
        objectRows.set(row.storage_path, { sha256: row.sha256, size: Number(row.size) });
      }
      for (const dossier of input.expected) {
        if (!present.has(dossier.dossierId)) continue;
        const want = dossier.files.map((f) => `${f.sha256}:${f.size}`).sort();
        const have = (filesByDossier.get(dossier.dossierId) ?? []).sort();
        if (want.join() !== have.join()) problems.push(`${database.name}: dossier ${dossier.dossierId} (${dossier.scenario}) has files [${have.join(', ')}], committed [${want.join(', ')}]`);
      }
    } finally {
      await client.end();
    }
  }

  // Every object a row refers to, read back whole and hashed as it streams.
  let rehashedBytes = 0;
  for (const [key, row] of objectRows) {
    try {
      const object = await input.s3.send(new GetObjectCommand({ Bucket: input.filesBucket, Key: key }));
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of object.Body as Readable) {
        const bytes = chunk as Buffer;
        hash.update(bytes);
        size += bytes.byteLength;
      }
      rehashedBytes += size;
      const sha256 = hash.digest('hex');
      if (sha256 !== row.sha256 || size !== row.size) problems.push(`object ${key}: ${size} bytes hashing to ${sha256}, its row says ${row.size} bytes, ${row.sha256}`);
    } catch (err) {
      problems.push(`object ${key}: ${err instanceof Error ? `${err.name} ${err.message}` : String(err)}`);
    }
  }

  // The feed through the balancer, in small pages so that consecutive pages come from different instances.
  const seqs: number[] = [];
  const receivedInFeed = new Map<string, number>();
  let after = 0;
  for (let page = 0; page < 10_000; page++) {
    const res = await fetch(new URL(`${pathFor('changes')}?after=${after}&limit=25`, input.feed.url), {
      headers: { authorization: `Bearer ${input.feed.credential}` },
    });
    if (res.status !== 200) {
      problems.push(`feed page after ${after}: ${res.status} ${await res.text()}`);
      break;
    }
    const answer = changesResponseSchema.parse(await res.json());
    for (const change of answer.changes) {
      seqs.push(change.seq);
      if (change.status === 2) receivedInFeed.set(change.dossierId, (receivedInFeed.get(change.dossierId) ?? 0) + 1);
    }
    after = answer.cursor;
    if (!answer.hasMore) break;
  }
  if (!seqs.every((seq, i) => i === 0 || seq > (seqs[i - 1] ?? Number.POSITIVE_INFINITY))) problems.push(`feed not strictly increasing: ${seqs.join(',')}`);
  for (const dossier of input.expected) {
    const n = receivedInFeed.get(dossier.dossierId) ?? 0;
    if (n !== 1) problems.push(`feed: dossier ${dossier.dossierId} (${dossier.scenario}) appears ${n} times as received, not once`);
  }
  const primary = input.databases[0];
  if (primary) {
    const client = new pg.Client({ connectionString: primary.url });
    await client.connect();
    try {
      const total = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM status_changes');
      if (total.rows[0]?.n !== seqs.length) problems.push(`feed: ${seqs.length} entries through the balancer, ${total.rows[0]?.n} in the database`);
    } finally {
      await client.end();
    }
  }

  if (problems.length) throw new Error(`cluster check failed:\n  - ${problems.join('\n  - ')}`);
  return {
    dossiers: input.expected.length,
    objects: objectRows.size,
    rehashedMiB: Number((rehashedBytes / MiB).toFixed(1)),
    feedEntries: seqs.length,
    landedUnacknowledged,
    ms: Math.round(performance.now() - started),
  };
}
