/**
 * A quick check of the queue at start-up: every dossier still to send has its record, its files and all
 * of their chunks. Damage is reported (sync log, the indicator) so IT hears of it while the counter is
 * still offline — never repaired by deleting anything. The SHA-256 of each file is checked again right
 * before it is sent (verifyStoredFile).
 */
import type { DossierId } from '../../../shared/domain/dossier';
import type { CounterDatabase } from './database';
import { isPending } from './queue';

export interface IntegrityProblem {
  readonly dossierId: DossierId;
  readonly code: string;
  readonly issue: string;
}

export async function checkQueueIntegrity(db: CounterDatabase): Promise<IntegrityProblem[]> {
  const problems: IntegrityProblem[] = [];
  const pending = await db.outbox.filter((row) => isPending(row.state)).toArray();
  for (const row of pending) {
    const dossier = await db.dossiers.get(row.dossierId);
    if (!dossier) {
      problems.push({ dossierId: row.dossierId, code: row.dossierId, issue: 'dossier record missing' });
      continue;
    }
    const files = await db.files.bulkGet(dossier.components.flatMap((c) => c.fileIds));
    for (const [index, file] of files.entries()) {
      if (!file) {
        problems.push({ dossierId: dossier.id, code: dossier.code, issue: `file ${index + 1} record missing` });
        continue;
      }
      const chunks = await db.fileChunks.where('[fileId+index]').between([file.id, 0], [file.id, Infinity]).primaryKeys();
      if (chunks.length !== file.chunkCount) problems.push({ dossierId: dossier.id, code: dossier.code, issue: `${file.name}: ${chunks.length} of ${file.chunkCount} chunks` });
    }
  }
  return problems;
}
