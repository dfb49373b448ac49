/**
 * The status feed and what writes to it: the back office (admin status changes) and the counters' events.
 * Every change is one row of `status_changes`, written in the transaction that makes it true.
 */
import { createHash } from 'node:crypto';
import {
  adminStatusRequestSchema,
  changesQuerySchema,
  changesResponseSchema,
  counterEventSchema,
  dossierStatusNames,
  type ChangesResponse,
  type CounterEvent,
  type CounterEventAck,
  type DossierCommit,
  type DossierStatus,
  type ResultFileRef,
  type StatusChange,
} from '../../shared/sync/protocol';
import { STOPPED_STATUS, stoppableStatuses } from '../../shared/domain/dossier-stop';
import { formatVietnamDate } from '../../shared/domain/time';
import { LEGAL_BASIS_2025, legalBasisOf } from '../../shared/domain/legal-basis';
import { notificationChannelNames } from '../../shared/domain/time-limit-rules';
import { receiveFile, type CommitDeps } from './commit';
import { canonicalJson } from './content-hash';
import { contentKey } from './storage/file-storage';
import { CentralHttpError, zodDetails } from './http-errors';
import type { CentralStore, DossierUnderLock, NewStatusChange, StoredDossier, StoredFile, StoredResultFile } from './store';
import { isUuid } from './store';
import { uploadIdFromUrl } from './uploads';


/**
 * What the back office may do from each status. 1 and 2 are the counter's (registration, the commit), 10 is
 * the counter's "result returned" event; 3, 7, 8 and 10 are final. Staying at 4 is allowed (a new note or
 * appointment while processing).
 */
const adminTransitions: Readonly<Record<DossierStatus, readonly DossierStatus[]>> = {
  1: [],
  2: [3, 4, 5, 6, 7, 8, 9],
  3: [],
  4: [3, 4, 5, 6, 7, 8, 9],
  5: [3, 4, 7, 8],
  6: [4, 7, 8, 9],
  7: [],
  8: [],
  9: [],
  10: [],
};

/** Statuses during which a counter may still issue an apology letter with a new appointment. */
const openStatuses: readonly DossierStatus[] = [2, 4, 5, 6];

function refuseTransition(dossierId: string, from: DossierStatus, to: DossierStatus, reason: string): never {
  throw new CentralHttpError(409, 'DOSSIER_STATUS_TRANSITION_INVALID', { dossierId, from, to, fromName: dossierStatusNames[from], toName: dossierStatusNames[to], reason });
}

// ------------------------------------------------------------------------------------------------ feed

export async function listChanges(store: CentralStore, query: unknown, unitCode: string | undefined, now = new Date()): Promise<ChangesResponse> {
  const parsed = changesQuerySchema.safeParse(query ?? {});
  if (!parsed.success) throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'query', ...zodDetails(parsed.error) });
  const { after, limit } = parsed.data;
  const page = await store.listChanges({ after, limit, ...(unitCode === undefined ? {} : { unitCode }) });
  const last = page.changes[page.changes.length - 1];
  return changesResponseSchema.parse({ changes: page.changes, cursor: last ? last.seq : after, hasMore: page.hasMore, serverTime: now.toISOString() });
}

// ------------------------------------------------------------------------------------------ back office

export interface AdminStatusDeps {
  readonly store: CentralStore;
  readonly files: CommitDeps['files'];
  readonly now?: () => Date;
}

/** `:id` of the admin routes: the dossier id (UUID) or its dossier code. */
export async function resolveDossier(store: CentralStore, idOrCode: string): Promise<StoredDossier> {
  const id = isUuid(idOrCode) ? idOrCode : await store.findDossierIdByCode(idOrCode);
  const dossier = id === undefined ? undefined : await store.findDossier(id);
  if (!dossier) throw new CentralHttpError(404, 'CENTRAL_NOT_FOUND', { dossier: idOrCode });
  return dossier;
}

function decodeResultPdf(name: string, contentBase64: string): Uint8Array {
  const bytes = new Uint8Array(Buffer.from(contentBase64, 'base64'));
  const header = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
  if (bytes.byteLength === 0 || header !== '%PDF-') {
    throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'result-not-pdf', file: name });
  }
  return bytes;
}

export async function applyAdminStatus(deps: AdminStatusDeps, idOrCode: string, body: unknown): Promise<StatusChange> {
  const parsed = adminStatusRequestSchema.safeParse(body);
  if (!parsed.success) throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'admin-status', ...zodDetails(parsed.error) });
  const request = parsed.data;
  const dossier = await resolveDossier(deps.store, idOrCode);
  const to = request.status;
  if (to === 5 && request.supplementItems.length === 0) {
    throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'supplement-items-required', status: 5 });
  }
  if (request.resultFiles.length > 0 && to !== 9 && to !== 3) {
    throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'result-files-only-with-status-9-or-3', status: to });
  }
  // Checked here too so a refused request stores no file; checked again under the row lock below.
  if (!adminTransitions[dossier.status].includes(to)) {
    refuseTransition(dossier.id, dossier.status, to, to === 10 ? 'status 10 is set by the counter when it hands over the result' : 'not allowed');
  }

  const stored: StoredResultFile[] = [];
  for (const file of request.resultFiles) {
    const bytes = decodeResultPdf(file.name, file.contentBase64);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const storagePath = contentKey('results', sha256);
    await deps.files.put(storagePath, bytes);
    stored.push({ name: file.name, mediaType: 'application/pdf', size: bytes.byteLength, sha256, storagePath });
  }
  const resultFiles: ResultFileRef[] = stored.map(({ name, mediaType, size, sha256 }) => ({ name, mediaType, size, sha256 }));
  const at = (deps.now?.() ?? new Date()).toISOString();

  const outcome = await deps.store.writeStatusChange({
    dossierId: dossier.id,
    resultFiles: stored,
    decide: (current) => {
      if (!adminTransitions[current.status].includes(to)) refuseTransition(dossier.id, current.status, to, 'not allowed');
      const change: NewStatusChange = {
        status: to,
        at,
        actor: request.actor,
        department: request.department,
        note: request.note || dossierStatusNames[to],
        supplementItems: request.supplementItems,
        ...(request.newAppointmentAt === undefined ? {} : { newAppointmentAt: request.newAppointmentAt }),
        resultFiles,
        source: 'admin',
      };
      return change;
    },
  });
  if (!outcome.written) throw new Error('an admin change cannot be a repeat');
  return outcome.change;
}

// --------------------------------------------------------------------------------------- counter events

export type CounterEventDeps = Pick<CommitDeps, 'store' | 'uploads' | 'files' | 'verifySignatures' | 'log' | 'device'> & { readonly now?: () => Date };

export interface CounterEventAnswer {
  readonly status: 200 | 201;
  readonly ack: CounterEventAck;
}

/** Upload URLs are where the bytes were, not what the event is (as for the commit's content hash). */
function eventContentHash(event: CounterEvent): string {
  const content = event.kind === 'supplement-received' ? { ...event, files: event.files.map(({ uploadUrl: _u, ...f }) => f) } : event;
  return createHash('sha256').update(canonicalJson(JSON.parse(JSON.stringify(content)) as never)).digest('hex');
}

function answerKnown(known: { eventId: string; dossierId: string; contentHash: string; seq: number }, dossierId: string, contentHash: string): CounterEventAnswer {
  if (known.dossierId !== dossierId || known.contentHash !== contentHash) {
    throw new CentralHttpError(409, 'CENTRAL_CONFLICT', { eventId: known.eventId, reason: 'event-id-reused' });
  }
  return { status: 200, ack: { eventId: known.eventId, seq: known.seq, duplicate: true } };
}

export function parseCounterEvent(pathEventId: string, body: unknown): CounterEvent {
  const parsed = counterEventSchema.safeParse(body);
  if (!parsed.success) throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'counter-event', ...zodDetails(parsed.error) });
  if (parsed.data.eventId !== pathEventId) {
    throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'event-id-mismatch', pathEventId, bodyEventId: parsed.data.eventId });
  }
  return parsed.data;
}

/**
 * `dossier` is already resolved and checked to belong to the caller's unit. Idempotent by event id: a repeat
 * gets the first ack with `duplicate: true`; the same id with other content is a 409.
 */
export async function applyCounterEvent(deps: CounterEventDeps, dossier: StoredDossier, event: CounterEvent): Promise<CounterEventAnswer> {
  const contentHash = eventContentHash(event);
  const known = await deps.store.findCounterEvent(event.eventId);
  if (known) return answerKnown(known, dossier.id, contentHash);

  const record = dossier.record as Partial<DossierCommit>;
  const department = record.receivingUnit?.name ?? '';
  const at = event.at;

  let added: StoredFile[] = [];
  if (event.kind === 'supplement-received') {
    if (dossier.status !== 5) refuseTransition(dossier.id, dossier.status, 4, 'a supplement is received only while status 5 (supplement requested)');
    const existing = new Set(dossier.files.map((f) => f.sha256));
    added = [];
    for (const file of event.files) {
      // A file the dossier already holds needs no upload again (e.g. the repeat after a lost ack).
      if (existing.has(file.sha256)) continue;
      added.push(await receiveFile(deps, file));
    }
  }

  const decide = (current: DossierUnderLock): NewStatusChange => {
    const base = { at, actor: event.clerk, department, supplementItems: [], resultFiles: [], source: 'counter' as const };
    switch (event.kind) {
      case 'supplement-received':
        if (current.status !== 5) refuseTransition(dossier.id, current.status, 4, 'a supplement is received only while status 5');
        return { ...base, status: 4, note: `Đã nhận hồ sơ bổ sung (${event.files.length} tệp)`, newAppointmentAt: event.newAppointmentAt };
      case 'result-returned':
        if (current.status !== 9) refuseTransition(dossier.id, current.status, 10, 'a result is returned only once it is ready (status 9)');
        return {
          ...base,
          status: 10,
          note: `Đã trả kết quả cho ${event.receivedBy} (${event.method === 'post' ? 'qua bưu chính' : 'tại quầy'})`,
        };
      case 'apology-issued':
        if (!openStatuses.includes(current.status)) refuseTransition(dossier.id, current.status, current.status, 'no apology letter once the dossier is closed');
        // Decree 118/2025 Art. 19.6: a 2025 dossier's appointment moves at most once (2018 dossiers: no such rule).
        if (legalBasisOf(event) === LEGAL_BASIS_2025 && current.apologiesIssued > 0) {
          throw new CentralHttpError(409, 'EXTENSION_ALREADY_USED', { dossierId: dossier.id, deadline: current.appointmentAt ? formatVietnamDate(new Date(current.appointmentAt)) : '' });
        }
        return {
          ...base,
          status: current.status,
          note: `Thư xin lỗi, hẹn lại: ${event.reason}${event.notifiedVia ? ` (đã báo người nộp qua: ${notificationChannelNames[event.notifiedVia]})` : ''}`,
          newAppointmentAt: event.newAppointmentAt,
        };
      case 'dossier-stopped':
        // Decree 118 Art. 21: from the receipt until the decision; once decided (9, 10) or closed, too late.
        if (!stoppableStatuses.includes(current.status)) refuseTransition(dossier.id, current.status, STOPPED_STATUS, 'a dossier is stopped only between its receipt and the decision');
        return { ...base, status: STOPPED_STATUS, note: `Dừng giải quyết theo yêu cầu của người nộp (Mẫu 05): ${event.reason}` };
    }
  };

  let outcome;
  try {
    outcome = await deps.store.writeStatusChange({
      dossierId: dossier.id,
      decide,
      addedFiles: added,
      event: { eventId: event.eventId, kind: event.kind, contentHash, body: event },
    });
  } catch (err) {
    // The same event id sent at the same moment for another dossier: the primary key decided; answer as a repeat.
    const raced = (err as { code?: string }).code === '23505' ? await deps.store.findCounterEvent(event.eventId) : undefined;
    if (raced) return answerKnown(raced, dossier.id, contentHash);
    throw err;
  }
  if (!outcome.written) return answerKnown(outcome.event, dossier.id, contentHash);

  if (event.kind === 'supplement-received') {
    for (const file of event.files) {
      const uploadId = uploadIdFromUrl(file.uploadUrl);
      await deps.uploads.remove(uploadId).catch((err: unknown) => deps.log?.warn({ err, uploadId }, 'could not remove a received upload'));
    }
  }
  return { status: 201, ack: { eventId: event.eventId, seq: outcome.change.seq, duplicate: false } };
}
