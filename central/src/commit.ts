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
import { contentKey, isNotFound, type FileStorage } from './storage/file-storage';
import { CentralHttpError, zodDetails } from './http-errors';
import type { CentralStore, DossierHead, StoredFile } from './store';
import { requireSameUnit } from './devices';
import { uploadIdFromUrl, uploadOwnerKey, type Uploads } from './uploads';
import { SignatureCheckUnavailable } from './signatures/pool';
import type { DeviceRecord } from '../../shared/sync/protocol';

/** The outcome of checking one PDF's signatures; `problems` empty = that signature is good. */
export interface SignatureCheck {
  readonly valid: boolean;
  readonly signatures: ReadonlyArray<{ readonly problems: readonly string[] }>;
  /** Problems of the file as a whole (e.g. the last signature does not cover the end of the file). */
  readonly problems?: readonly string[];
}
/** Synchronous on the calling thread, or asynchronous in a worker thread (signatures/pool.ts, the default). */
export type SignatureVerifier = (pdf: Uint8Array) => SignatureCheck | Promise<SignatureCheck>;

export interface CommitDeps {
  readonly store: CentralStore;
  readonly uploads: Uploads;
  readonly files: FileStorage;
  readonly verifySignatures: SignatureVerifier;
  readonly faults: Faults;
  /** The authenticated device making the call. */
  readonly device: DeviceRecord;
  readonly now?: () => Date;
  readonly log?: { warn(obj: object, msg: string): void; debug?(obj: object, msg: string): void };
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

function parseCommit(pathId: string, body: unknown): DossierCommit {
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
export async function receiveFile(deps: Pick<CommitDeps, 'uploads' | 'files' | 'verifySignatures' | 'device' | 'log'>, file: CommittedFile): Promise<StoredFile> {
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
  let read: ReadUpload;
  try {
    read = await readUpload(await deps.uploads.openRead(uploadId), file.size, status.size);
  } catch (err) {
    // Removed between the status check and the read: by a concurrent commit of the same dossier.
    if (!isNotFound(err)) throw err;
    throw new CentralHttpError(422, 'CENTRAL_UPLOAD_INCOMPLETE', { file: file.name, sha256: file.sha256, uploadId, reason: 'missing' });
  }
  const { bytes } = read;
  if (read.sha256 !== file.sha256 || read.size !== file.size) {
    throw new CentralHttpError(422, 'CENTRAL_FILE_HASH_MISMATCH', {
      file: file.name,
      uploadId,
      expectedSha256: file.sha256,
      actualSha256: read.sha256,
      expectedSize: file.size,
      actualSize: read.size,
    });
  }
  let check: SignatureCheck;
  // Debug lines: the order of a check against other requests is visible in the log (central-signature-workers.test.ts).
  deps.log?.debug?.({ sha256: file.sha256, size: bytes.byteLength }, 'signature check started');
  try {
    check = await deps.verifySignatures(bytes);
  } catch (err) {
    // The check did not run (a worker died): the central's fault, not the file's — 500, the counter retries.
    if (err instanceof SignatureCheckUnavailable) throw err;
    throw new CentralHttpError(422, 'CENTRAL_SIGNATURE_INVALID', {
      file: file.name,
      sha256: file.sha256,
      problems: `cannot verify: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
  deps.log?.debug?.({ sha256: file.sha256, valid: check.valid }, 'signature check finished');
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
  // The MD5 taken while reading the upload: the store refuses the bytes if they changed since (S3: Content-MD5).
  await deps.files.put(storagePath, bytes, { md5Base64: read.md5Base64 });
  return { sha256: file.sha256, componentCode: file.componentCode, name: file.name, size: bytes.byteLength, storagePath };
}

interface ReadUpload {
  /** The bytes, when the upload was exactly the declared size; empty otherwise (it is refused by its size). */
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly sha256: string;
  readonly md5Base64: string;
}

/**
 * Reads an upload as a stream, hashing as it comes (SHA-256 for the commit's check, MD5 for the store's). The
 * signature check needs the whole PDF, so the bytes are kept — up to the declared size and no further: an upload
 * of another length than declared is hashed to its end but never held, so one commit holds at most one file of
 * at most `--max-upload-mb` (200 MB by default) at a time, and the central at most `--commit-concurrency` of them.
 */
async function readUpload(stream: AsyncIterable<Uint8Array>, declaredSize: number, uploadSize: number): Promise<ReadUpload> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  // Nothing is held for an upload whose length (bounded by tus's maxSize) already differs from the declared size.
  let held: Uint8Array | undefined = declaredSize === uploadSize ? new Uint8Array(declaredSize) : undefined;
  let size = 0;
  for await (const chunk of stream) {
    sha256.update(chunk);
    md5.update(chunk);
    if (held && size + chunk.byteLength <= declaredSize) held.set(chunk, size);
    else held = undefined;
    size += chunk.byteLength;
  }
  return { bytes: held && size === declaredSize ? held : new Uint8Array(0), size, sha256: sha256.digest('hex'), md5Base64: md5.digest('base64') };
}

/**
 * The prefix of the official code the central issues in place of the code the counter sent, or undefined when
 * the counter's code stands (issue 17, finding 1; docs/dossier-code.md "Whose numbers a counter may use"):
 * - a provisional TAM-… number is replaced (issue 15);
 * - an official code stands only if a block leased to THIS device holds its number, or it is an old fixed-block
 *   QCVN code (below 9001) of the device's own unit and counter — a dossier received before leases. Any other
 *   code (another unit's prefix, a number leased to another counter or to no one) is replaced, not refused: the
 *   counter takes the new code from the ack as it does for a provisional number, so nothing is stuck or lost,
 *   and a code can never shadow another dossier's;
 * - a code another dossier already holds is replaced (a counter restored from an old disk image).
 * The agency of a replaced official code is kept: it is the deciding agency's, which a counter may number for.
 */
async function replacementPrefix(deps: Pick<CommitDeps, 'store' | 'device' | 'log'>, commit: DossierCommit): Promise<string | undefined> {
  if (isProvisionalDossierCode(commit.code)) return commit.codePrefix ?? commit.receivingUnit.code;
  const parsed = parseDossierCode(commit.code);
  const day = `${parsed.year}-${String(parsed.month).padStart(2, '0')}-${String(parsed.day).padStart(2, '0')}`;
  const oldFixedBlock = parsed.agencyIdForm === 'qcvn-102' && parsed.series === undefined && parsed.sequence < firstLeasableSequence(parsed.agencyId);
  const ownOldCode = oldFixedBlock && parsed.agencyId === deps.device.unit.code && parsed.counterNo === deps.device.counterNo;
  const leasedHere = !oldFixedBlock && (await deps.store.codeLeaseHolderOf(parsed.agencyId, day, parsed.sequence))?.deviceId === deps.device.deviceId;
  if (!ownOldCode && !leasedHere) {
    deps.log?.warn({ dossierId: commit.id, code: commit.code, deviceId: deps.device.deviceId }, 'a committed code is not one this device may use; replaced');
    return parsed.agencyId;
  }
  const holder = await deps.store.findDossierIdByCode(commit.code);
  return holder !== undefined && holder !== commit.id ? parsed.agencyId : undefined;
}

/** PostgreSQL's unique_violation on dossiers.code: a concurrent commit took the same code first. */
function isCodeTaken(err: unknown): boolean {
  const pg = err as { code?: unknown; constraint?: unknown; message?: unknown };
  return pg.code === '23505' && (pg.constraint === 'dossiers_code_key' || (typeof pg.message === 'string' && pg.message.includes('dossiers_code_key')));
}

export async function commitDossier(deps: CommitDeps, pathId: string, body: unknown): Promise<CommitAnswer> {
  if (deps.faults.take('commit-500')) throw new CentralHttpError(500, 'CENTRAL_SERVER_ERROR', { fault: 'commit-500' });

  const commit = parseCommit(pathId, body);
  requireSameUnit(deps.device, commit.receivingUnit.code, commit.id);
  const contentHash = commitContentHash(commit);

  // A repeat of a commit that already succeeded needs no uploads: answer it first (its uploads may be gone).
  const known = await deps.store.findDossier(commit.id);
  // Another unit's dossier is, for this device, no dossier at all: nothing about it (not even its centralId) is told.
  if (known && known.unitCode !== deps.device.unit.code) throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { dossierId: commit.id });
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
  let replacedPrefix = await replacementPrefix(deps, commit);
  // The counter number on record is the enrolled device's, whatever the body says (finding 1: one PC per counter).
  const record: DossierCommit = commit.counterNo === deps.device.counterNo ? commit : { ...commit, counterNo: deps.device.counterNo };
  const insert = async () => {
    const code = replacedPrefix === undefined ? commit.code : await issueCentralCode(deps.store, replacedPrefix, new Date(commit.receivedAt));
    return deps.store.insertDossier({
      id: commit.id,
      code,
      ...(replacedPrefix === undefined ? {} : { provisionalCode: commit.code }),
      contentHash,
      record,
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
        actor: `Quầy ${record.counterNo}`,
        department: commit.receivingUnit.name,
        note: 'Đã tiếp nhận hồ sơ',
        supplementItems: [],
        resultFiles: [],
        source: 'commit',
      },
    });
  };
  let outcome;
  try {
    outcome = await insert();
  } catch (err) {
    // Two commits with the same code at once: the unique index lets one in; the other gets a new code.
    if (replacedPrefix !== undefined || !isCodeTaken(err)) throw err;
    replacedPrefix = parseDossierCode(commit.code).agencyId;
    outcome = await insert();
  }
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
