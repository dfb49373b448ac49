/**
 * A dossier's commit: the record the central stores (files by their upload URLs, the copy signatures, the
 * digitisation), checked against the protocol's schema before it leaves, sent as an idempotent PUT keyed by the
 * dossier id — a commit the central already holds is answered with the same acknowledgement.
 */
import { isProvisionalDossierCode } from '../../../shared/domain/dossier-code';
import { commitAckSchema, dossierCommitSchema, protocolVersion } from '../../../shared/sync/protocol';
import type { CommitAck, DossierCommit } from '../../../shared/sync/protocol';
import type { CounterDatabase, StoredDossier, StoredFile } from '../db/database';
import { AttemptFailure, Stopped, failureFromStatus, parseJson, wire } from './attempt';
import type { CentralClient } from './central-client';
import { pathFor } from '../../../shared/sync/api-contract';

interface CommitContext {
  readonly client: CentralClient;
  readonly now: () => Date;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly stopping: () => boolean;
  /** The central answered: its round trip, for the link's last contact. */
  readonly onContact: (sentAt: number, receivedAt: number) => void;
}

/** The files of the dossier as accepted (components' file ids); later supplement files are not part of the commit. */
export async function dossierFiles(db: CounterDatabase, dossier: StoredDossier): Promise<StoredFile[]> {
  const all = await db.files.where('dossierId').equals(dossier.id).toArray();
  const ids = new Set(dossier.components.flatMap((c) => c.fileIds));
  return ids.size > 0 ? all.filter((f) => ids.has(f.id)) : all;
}

export async function commitDossier(ctx: CommitContext, dossier: StoredDossier, files: readonly StoredFile[], uploadUrls: ReadonlyMap<string, string>): Promise<CommitAck> {
  // A repeat must be the same content as the first commit: the central compares content hashes and answers a
  // different one with CENTRAL_CONFLICT. Once the counter adopted the central's official code (`provisionalCode`
  // keeps the one it sent), a repeat — the acknowledgement's write lost to a crash — still sends the code it sent.
  const sentCode = dossier.provisionalCode ?? dossier.code;
  const candidate: DossierCommit = {
    protocolVersion,
    id: dossier.id,
    code: sentCode,
    // A provisional number is replaced by the central with a code beginning with this identifier.
    ...(dossier.codePrefix !== undefined && isProvisionalDossierCode(sentCode) ? { codePrefix: dossier.codePrefix } : {}),
    receivingUnit: { code: dossier.unit.code, name: dossier.unit.name },
    counterNo: dossier.counterNo,
    procedure: { code: dossier.procedure.code, name: dossier.procedure.name },
    applicant: dossier.applicant,
    receivedAt: dossier.receivedAt,
    appointmentAt: dossier.appointmentAt,
    ...(dossier.receptionDuties ? { receptionDuties: dossier.receptionDuties } : {}),
    files: files.map((f) => ({
      componentCode: f.componentCode,
      name: f.name,
      mediaType: f.mediaType,
      size: f.size,
      sha256: f.sha256,
      uploadUrl: uploadUrls.get(f.sha256) ?? '',
      pageCount: f.pageCount,
      revocationEvidence: [...(f.revocationEvidence ?? [])],
    })),
    ...(dossier.copySignatures ? { copySignatures: dossier.copySignatures.map((r) => ({ ...r, components: [...r.components] })) } : {}),
    ...(dossier.digitization ? { digitization: dossier.digitization } : {}),
  };
  const parsed = dossierCommitSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new AttemptFailure(wire('DOSSIER_INVALID', { issue: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 500) }), 'terminal');
  }
  const sentAt = ctx.now().getTime();
  let response: Response;
  try {
    response = await ctx.client.request(pathFor('commitDossier', { id: dossier.id }), { method: 'PUT', json: parsed.data, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  } catch (err) {
    if (ctx.stopping()) throw new Stopped();
    throw new AttemptFailure(wire('CENTRAL_UNREACHABLE', { reason: err instanceof Error ? err.message : String(err) }), 'retry', true);
  }
  const receivedAt = ctx.now().getTime();
  const text = await response.text().catch(() => '');
  if (response.status === 200 || response.status === 201) {
    const ack = commitAckSchema.safeParse(parseJson(text));
    if (!ack.success || ack.data.dossierId !== dossier.id) {
      throw new AttemptFailure(wire('CENTRAL_NOT_A_CENTRAL', { status: response.status }), 'retry');
    }
    ctx.onContact(sentAt, receivedAt);
    return ack.data;
  }
  throw failureFromStatus(response.status, text);
}
