/**
 * A quick check of the queue at start-up: every dossier still to send has its record, its files and all
 * of their chunks. Damage is reported (sync log, the indicator) so IT hears of it while the counter is
 * still offline — never repaired by deleting anything. The SHA-256 of each file is checked again right
 * before it is sent (verifyStoredFile).
 */
import type { DossierId } from '../../../shared/domain/dossier';
import type { CounterDatabase, StoredDossier } from './database';

export interface IntegrityProblem {
  readonly dossierId: DossierId;
  readonly code: string;
  readonly issue: string;
}

/**
 * Dossiers checked per round: their records, files and chunk counts are each asked for in one go. Small enough
 * that a request from the UI waits behind one round, not behind 500 chunk counts (issue 20).
 */
const batchSize = 100;

export async function checkQueueIntegrity(db: CounterDatabase, options: { readonly pauseMs?: number } = {}): Promise<IntegrityProblem[]> {
  const problems: IntegrityProblem[] = [];
  // Keys only: the pending rows themselves are not needed.
  const pending = await db.outbox.where('state').anyOf(['waiting', 'uploading', 'committing']).primaryKeys();
  for (let start = 0; start < pending.length; start += batchSize) {
    // Between rounds, the database is left to others (the clerk's screens) for a moment.
    if (start > 0 && options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    const ids = pending.slice(start, start + batchSize);
    const dossiers = await db.dossiers.bulkGet(ids);
    const present = dossiers.filter((d): d is StoredDossier => d !== undefined);
    ids.forEach((id, i) => {
      if (!dossiers[i]) problems.push({ dossierId: id, code: id, issue: 'dossier record missing' });
    });
    const fileIds = present.flatMap((d) => d.components.flatMap((c) => c.fileIds));
    const files = new Map((await db.files.bulkGet(fileIds)).flatMap((f) => (f ? [[f.id, f] as const] : [])));
    const chunkCounts = new Map(
      await Promise.all([...files.values()].map(async (file) => [file.id, await db.fileChunks.where('[fileId+index]').between([file.id, 0], [file.id, Infinity]).count()] as const)),
    );
    for (const dossier of present) {
      dossier.components
        .flatMap((c) => c.fileIds)
        .forEach((fileId, index) => {
          const file = files.get(fileId);
          if (!file) problems.push({ dossierId: dossier.id, code: dossier.code, issue: `file ${index + 1} record missing` });
          else if (chunkCounts.get(file.id) !== file.chunkCount) problems.push({ dossierId: dossier.id, code: dossier.code, issue: `${file.name}: ${chunkCounts.get(file.id) ?? 0} of ${file.chunkCount} chunks` });
        });
    }
  }
  return problems;
}
