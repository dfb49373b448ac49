/**
 * "Sign offline, time-stamp later": before a dossier's first upload, each file whose last signature has no
 * RFC 3161 signature time-stamp gets one from the configured TSA (main makes the HTTP call), written into
 * the reserved /Contents in place — the signed bytes do not change — and the stored file is replaced. A TSA
 * that cannot be reached leaves the file as it is (PAdES B-B); the sync engine sends it anyway.
 */
import { signatureNeedsTimestamp, timestampPdfSignature } from '../../../shared/pdf/timestamp-pdf';
import type { CounterDatabase, StoredDossier, StoredFile } from '../db/database';
import { readFileBytes, replaceFileContent } from '../db/dossiers';
import type { MainClient } from '../platform/main-client';

export function createTimestampUpgrade(db: CounterDatabase, main: MainClient) {
  return async (_dossier: StoredDossier, files: readonly StoredFile[]): Promise<void> => {
    const { anchorsDer } = await main.call('trust:anchors', {});
    for (const file of files) {
      const bytes = await readFileBytes(db, file.id);
      if (!signatureNeedsTimestamp(bytes).at(-1)) continue;
      const upgraded = await timestampPdfSignature(bytes, async (query) => (await main.call('tsa:request', { query })).reply, { trustAnchorsDer: anchorsDer });
      await replaceFileContent(db, file.id, upgraded, 'signature-timestamp');
    }
  };
}
