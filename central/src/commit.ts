/**
 * The commit: a counter declares a dossier once all its files are uploaded. The central checks every file
 * (upload complete, SHA-256, PDF signatures), stores the bytes durably, then inserts the dossier and its
 * files in one transaction. Idempotent by dossier id + content hash.
 */
import { createHash } from 'node:crypto';
import { dossierCommitSchema, type CommitAck, type CommittedFile, type DossierCommit } from '../../shared/sync/protocol';
import { firstLeasableSequence } from '../../shared/domain/code-lease';
import { isProvisionalDossierCode, parseDossierCode } from '../../shared/domain/dossier-code';
import { issueCentralCode } from './code-leases';
import { commitContentHash } from './content-hash';
import type { Faults } from './faults';
import { contentKey, type FileStorage } from './file-store';
import { CentralHttpError, zodDetails } from './http-errors';
import type { CentralStore, DossierHead, StoredFile } from './store';
import { requireSameUnit } from './devices';
import { uploadIdFromUrl, uploadOwnerKey, type Uploads } from './uploads';
import type { DeviceRecord } from '../../shared/sync/protocol';

/** The outcome of checking one PDF's signatures; `problems` empty = that signature is good. */
export interface SignatureCheck {
  readonly valid: boolean;
  readonly signatures: ReadonlyArray<{ readonly problems: readonly string[] }>;
  /** Problems of the file as a whole (e.g. the last signature does not cover the end of the file). */
  readonly problems?: readonly string[];
}
export type SignatureVerifier = (pdf: Uint8Array) => SignatureCheck;

export interface CommitDeps {
  readonly store: CentralStore;
  readonly uploads: Uploads;
  readonly files: FileStorage;
  readonly verifySignatures: SignatureVerifier;
  readonly faults: Faults;
  /** The authenticated device making the call. */
  readonly device: DeviceRecord;
  readonly now?: () => Date;
  readonly log?: { warn(obj: object, msg: string): void };
}

export interface CommitAnswer {
  readonly status: 200 | 201;
  readonly ack: CommitAck;
}

export function ackOf(head: DossierHead, duplicate: boolean): CommitAck {
  const official = head.code !== null && !isProvisionalDossierCode(head.code) ? { code: head.code } : {};
  return { dossierId: head.id as CommitAck['dossierId'], centralId: head.centralId, receivedAt: head.centralReceivedAt, duplicate, ...official };
}

/** The answer for an id the central already holds: the first ack again, or a conflict. */
function answerExisting(head: DossierHead, contentHash: string): CommitAnswer {
  if (head.contentHash !== contentHash) {
    throw new CentralHttpError(409, 'CENTRAL_CONFLICT', { dossierId: head.id, centralId: head.centralId });
  }
  return { status: 200, ack: ackOf(head, true) };
}

export function parseCommit(pathId: string, body: unknown): DossierCommit {
  const parsed = dossierCommitSchema.safeParse(body);
  if (!parsed.success) throw new CentralHttpError(400, 'DOSSIER_INVALID', zodDetails(parsed.error));
  const commit = parsed.data;
  if (commit.id !== pathId) {
    throw new CentralHttpError(400, 'DOSSIER_INVALID', { reason: 'id-mismatch', pathId, bodyId: commit.id });
  }
  // The same file twice in one dossier is refused by the shared schema (files are keyed by dossier + sha256).
  return commit;
}

/** Checks one committed file against its upload and stores its bytes; throws the 422 that applies. */
export async function receiveFile(deps: Pick<CommitDeps, 'uploads' | 'files' | 'verifySignatures' | 'device'>, file: CommittedFile): Promise<StoredFile> {
  const uploadId = uploadIdFromUrl(file.uploadUrl);
  const found = await deps.uploads.status(uploadId);
  // Another device's upload is, for this device, no upload at all.
  const status = found.state !== 'missing' && found.metadata[uploadOwnerKey] !== deps.device.deviceId ? ({ state: 'missing' } as const) : found;
  if (status.state === 'missing') {
    throw new CentralHttpError(422, 'CENTRAL_UPLOAD_INCOMPLETE', { file: file.name, sha256: file.sha256, uploadId, reason: 'missing' });
  }
  if (status.state === 'incomplete') {
    throw new CentralHttpError(422, 'CENTRAL_UPLOAD_INCOMPLETE', {
      file: file.name,
      sha256: file.sha256,
      uploadId,
      reason: 'incomplete',
      offset: status.offset,
      ...(status.size === undefined ? {} : { size: status.size }),
    });
  }
  let bytes: Uint8Array;
  try {
    bytes = await deps.uploads.read(uploadId);
  } catch (err) {
    // Removed between the status check and the read: by a concurrent commit of the same dossier.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new CentralHttpError(422, 'CENTRAL_UPLOAD_INCOMPLETE', { file: file.name, sha256: file.sha256, uploadId, reason: 'missing' });
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== file.sha256 || bytes.byteLength !== file.size) {
    throw new CentralHttpError(422, 'CENTRAL_FILE_HASH_MISMATCH', {
      file: file.name,
      uploadId,
      expectedSha256: file.sha256,
      actualSha256: actual,
      expectedSize: file.size,
      actualSize: bytes.byteLength,
    });
  }
  let check: SignatureCheck;
  try {
    check = deps.verifySignatures(bytes);
  } catch (err) {
    throw new CentralHttpError(422, 'CENTRAL_SIGNATURE_INVALID', {
      file: file.name,
      sha256: file.sha256,
      problems: `cannot verify: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
  const problems = [...new Set([...(check.problems ?? []), ...check.signatures.flatMap((s, i) => s.problems.map((p) => `#${i + 1}: ${p}`))])];
  // The verifier's verdict decides; its problem list also carries non-fatal notes (e.g. a third-party
  // signature with signing-time), which are reported but do not reject a valid file.
  if (!check.valid || check.signatures.length === 0) {
    throw new CentralHttpError(422, 'CENTRAL_SIGNATURE_INVALID', {
      file: file.name,
      sha256: file.sha256,
      signatures: check.signatures.length,
      problems: problems.join('; ') || (check.signatures.length === 0 ? 'no signature' : 'invalid'),
    });
  }
  const storagePath = contentKey('files', file.sha256);
  await deps.files.put(storagePath, bytes);
  return { sha256: file.sha256, componentCode: file.componentCode, name: file.name, size: bytes.byteLength, storagePath };
}

/**
 * A leased-scheme code (a Decision-20 identifier, or a QCVN one at 9001 and above) that another dossier already
 * holds — a counter restored from an old disk image, say — is replaced like a provisional number: the agency
 * (its prefix) is returned. Old fixed-block codes (QCVN, below 9001) are taken as they come, as before.
 */
async function prefixIfTaken(store: CentralStore, commit: DossierCommit): Promise<string | undefined> {
  const parsed = parseDossierCode(commit.code);
  if (parsed.agencyIdForm === 'qcvn-102' && parsed.sequence < firstLeasableSequence(parsed.agencyId)) return undefined;
  const holder = await store.findDossierIdByCode(commit.code);
  return holder !== undefined && holder !== commit.id ? parsed.agencyId : undefined;
}

export async function commitDossier(deps: CommitDeps, pathId: string, body: unknown): Promise<CommitAnswer> {
  if (deps.faults.take('commit-500')) throw new CentralHttpError(500, 'CENTRAL_SERVER_ERROR', { fault: 'commit-500' });

  const commit = parseCommit(pathId, body);
  requireSameUnit(deps.device, commit.receivingUnit.code, commit.id);
  const contentHash = commitContentHash(commit);

  // A repeat of a commit that already succeeded needs no uploads: answer it first (its uploads may be gone).
  const known = await deps.store.findDossier(commit.id);
  if (known) return answerExisting(known, contentHash);

  const stored: StoredFile[] = [];
  try {
    // One file at a time: a dossier may hold hundreds of MB, never all in memory at once.
    for (const file of commit.files) stored.push(await receiveFile(deps, file));
  } catch (err) {
    // A concurrent identical commit may have stored the dossier and dropped the uploads meanwhile.
    if (err instanceof CentralHttpError && err.code === 'CENTRAL_UPLOAD_INCOMPLETE') {
      const now = await deps.store.findDossier(commit.id);
      if (now) return answerExisting(now, contentHash);
    }
    throw err;
  }

  const receivedAt = (deps.now?.() ?? new Date()).toISOString();
  // A provisional number (TAM-…, given offline without a leased number) is replaced by an official code of the
  // day the counter received the dossier. A number issued here for a commit that then loses a race is a gap.
  const replacedPrefix = isProvisionalDossierCode(commit.code) ? (commit.codePrefix ?? commit.receivingUnit.code) : await prefixIfTaken(deps.store, commit);
  const code = replacedPrefix === undefined ? commit.code : await issueCentralCode(deps.store, replacedPrefix, new Date(commit.receivedAt));
  const outcome = await deps.store.insertDossier({
    id: commit.id,
    code,
    ...(replacedPrefix === undefined ? {} : { provisionalCode: commit.code }),
    contentHash,
    record: commit,
    unitCode: commit.receivingUnit.code,
    ...(commit.decidingAgency === undefined ? {} : { decidingAgency: commit.decidingAgency }),
    deviceId: deps.device.deviceId,
    counterReceivedAt: commit.receivedAt,
    appointmentAt: commit.appointmentAt,
    centralReceivedAt: receivedAt,
    files: stored,
    // The feed's first entry for this dossier, in the same transaction as the dossier itself.
    received: {
      status: 2,
      at: receivedAt,
      actor: `Quầy ${commit.counterNo}`,
      department: commit.receivingUnit.name,
      note: 'Đã tiếp nhận hồ sơ',
      supplementItems: [],
      resultFiles: [],
      source: 'commit',
    },
  });
  if (!outcome.inserted) return answerExisting(outcome.dossier, contentHash);

  // The bytes now live under files/; the tus copies are no longer needed.
  for (const file of commit.files) {
    const uploadId = uploadIdFromUrl(file.uploadUrl);
    await deps.uploads.remove(uploadId).catch((err: unknown) => deps.log?.warn({ err, uploadId }, 'could not remove a committed upload'));
  }

  if (deps.faults.take('commit-lost-ack')) {
    throw new CentralHttpError(500, 'CENTRAL_SERVER_ERROR', { fault: 'commit-lost-ack' });
  }
  return { status: 201, ack: ackOf(outcome.dossier, false) };
}
