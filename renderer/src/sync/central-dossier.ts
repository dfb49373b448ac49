/**
 * Issue 17: the counter asks the central for its own dossier (GET /api/v1/dossiers/:id, device credential,
 * scoped to the device's unit: another unit's dossier is a 404). Used to rebuild a form once the counter
 * has minimised its copy and no longer holds the applicant's details.
 */
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { dossierCommitSchema, type DossierCommit } from '../../../shared/sync/protocol';
import type { CentralClient } from './central-client';
import { pathFor } from '../../../shared/sync/api-contract';

const centralDossierSchema = z.object({ record: dossierCommitSchema });

/** The dossier record the central holds. AppError REPRINT_NEEDS_CENTRAL when unreachable, REPRINT_NOT_AT_CENTRAL on 404. */
export async function fetchCentralDossier(client: CentralClient, dossier: { readonly id: string; readonly code: string }, timeoutMs = 10_000): Promise<DossierCommit> {
  let response: Response;
  try {
    response = await client.request(pathFor('dossier', { id: dossier.id }), { timeoutMs });
  } catch {
    throw new AppError('REPRINT_NEEDS_CENTRAL', { code: dossier.code });
  }
  if (response.status === 404) throw new AppError('REPRINT_NOT_AT_CENTRAL', { code: dossier.code });
  // Refused credential, a proxy's page, a central error: the clerk can only retry once the link is right.
  if (response.status !== 200) throw new AppError('REPRINT_NEEDS_CENTRAL', { code: dossier.code, status: response.status });
  const parsed = centralDossierSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success || parsed.data.record.id !== dossier.id) throw new AppError('REPRINT_NEEDS_CENTRAL', { code: dossier.code, status: response.status });
  return parsed.data.record;
}
