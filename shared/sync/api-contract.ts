/**
 * The central's HTTP API as one table, like the IPC contract (shared/ipc/contract.ts): every route the central
 * serves, with its method, path template, credential, request and response schemas and status codes.
 * The central registers its routes from it (central/src/routes.ts), its OpenAPI document is generated from it
 * (central/src/openapi.ts), and every client (the counter's sync, the CLI, tests, benches) builds paths with
 * `pathFor` — no central path is written anywhere else. The message schemas themselves stay in protocol.ts,
 * fleet.ts, shared/audit and shared/updates, next to their types.
 */
import { z } from 'zod';
import { auditEntriesQuerySchema, auditUploadAckSchema, auditUploadSchema } from '../audit/chain';
import { newReleaseSchema, rolloutSchema, updatePolicySchema } from '../updates/release';
import { counterReportAckSchema, counterReportSchema, fleetQuerySchema, fleetResponseSchema } from './fleet';
import { dongBoHoSoMCSchema } from './portal-export';
import {
  adminDevicesResponseSchema,
  adminEnrollmentCodeRequestSchema,
  adminEnrollmentCodeResponseSchema,
  adminStatusRequestSchema,
  changesQuerySchema,
  changesResponseSchema,
  codeLeaseRequestSchema,
  codeLeaseResponseSchema,
  commitAckSchema,
  counterEventAckSchema,
  counterEventSchema,
  deviceRecordSchema,
  dossierCommitSchema,
  enrollRequestSchema,
  enrollResponseSchema,
  healthSchema,
  readinessSchema,
  referenceDocumentSchema,
  statusChangeSchema,
} from './protocol';

/**
 * Who may call a route: `none`; `device` (`Authorization: Bearer mcd_…`, checked in the handler, which needs the
 * device record); `admin` (the back office token, checked before the handler by central/src/routes.ts);
 * `enrollment` (the one-time code in the body); `crash-token` (`?token=mcc_…`: Electron's crash uploader sends no
 * header, shared/sync/fleet.ts).
 */
export type RouteAuth = 'none' | 'device' | 'admin' | 'enrollment' | 'crash-token';

/** A body that is not JSON: a PDF, an installer, a page, a workbook — described by its media type. */
interface BinaryBody {
  readonly contentType: string;
}

export interface RouteAnswer {
  readonly status: number;
  readonly description?: string;
  /** JSON answer; absent with `binary` or for an empty answer (204, tus). */
  readonly schema?: z.ZodType;
  readonly binary?: BinaryBody;
}

export interface RouteContract {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'HEAD' | 'DELETE';
  /** Fastify form: `:name` for a path parameter. */
  readonly path: string;
  readonly auth: RouteAuth;
  readonly summary: string;
  readonly query?: z.ZodObject;
  /** JSON body, parsed by the handler (its refusal codes are domain codes: DOSSIER_INVALID, …). */
  readonly body?: z.ZodType;
  /** A non-JSON body (crash minidump, installer upload). */
  readonly rawBody?: BinaryBody;
  /** The success answers (first = the usual one); error answers are always `centralErrorSchema`. */
  readonly answers: readonly [RouteAnswer, ...RouteAnswer[]];
  /**
   * `tus`: served by @tus/server behind one catch-all route at the uploads prefix (central/src/uploads.ts), listed
   * here per tus method for the document and the clients. `test`: only with `faultControl` (tests), not documented.
   */
  readonly servedBy?: 'tus' | 'test';
}

// Answers only the central and its back office read; small enough to declare here.
const dossierViewSchema = z.object({
  ack: commitAckSchema,
  contentHash: z.string(),
  counterReceivedAt: z.string().nullable(),
  record: dossierCommitSchema,
  files: z.array(z.object({ sha256: z.string(), size: z.number(), componentCode: z.string(), name: z.string() })),
});
const adminDossierViewSchema = z.object({
  dossierId: z.string(),
  centralId: z.string(),
  code: z.string().nullable(),
  unitCode: z.string(),
  status: z.number(),
  appointmentAt: z.string().nullable(),
  history: z.array(statusChangeSchema),
});
const referenceVersionSchema = z.object({ kind: z.string(), version: z.string(), publishedAt: z.string() });
const pdf: BinaryBody = { contentType: 'application/pdf' };
const ok = (schema?: z.ZodType): RouteAnswer => ({ status: 200, ...(schema ? { schema } : {}) });
const created = (schema?: z.ZodType): RouteAnswer => ({ status: 201, ...(schema ? { schema } : {}) });

export const centralApi = {
  health: { method: 'GET', path: '/api/v1/health', auth: 'none', summary: 'Connectivity probe (the counter parses exactly this shape)', answers: [ok(healthSchema)] },
  // Issue 19: readiness for a load balancer (central/src/cluster/readiness.ts); health stays liveness only.
  ready: {
    method: 'GET', path: '/api/v1/ready', auth: 'none',
    summary: 'Readiness: the database and the file storage answer (200), else 503 naming the failed check',
    answers: [ok(readinessSchema), { status: 503, description: 'Not ready: the failed check is named', schema: readinessSchema }],
  },
  openApi: { method: 'GET', path: '/api/v1/openapi.json', auth: 'none', summary: 'This document', answers: [ok()] },

  // ------------------------------------------------------------------------------------ devices
  enroll: {
    method: 'POST', path: '/api/v1/devices/enroll', auth: 'enrollment', summary: 'Trade a one-time enrollment code for a device credential',
    body: enrollRequestSchema, answers: [created(enrollResponseSchema)],
  },
  deviceSelf: { method: 'GET', path: '/api/v1/devices/self', auth: 'device', summary: 'This device’s record (also a cheap credential check)', answers: [ok(deviceRecordSchema)] },
  counterReport: {
    method: 'PUT', path: '/api/v1/devices/self/report', auth: 'device',
    summary: 'This counter’s latest report: version, backlog, last error, clock, certificate expiry, OS (≤ 8 KiB)',
    body: counterReportSchema, answers: [ok(counterReportAckSchema)],
  },
  crashReport: {
    method: 'POST', path: '/api/v1/crash-reports', auth: 'crash-token',
    summary: 'Electron crashReporter upload (multipart/form-data, upload_file_minidump; `?token=` crash-upload token; ≤ 5 MiB); answers the report id as text',
    rawBody: { contentType: 'multipart/form-data' }, answers: [{ status: 201, binary: { contentType: 'text/plain' } }],
  },
  codeLeases: {
    method: 'POST', path: '/api/v1/code-leases', auth: 'device', summary: 'Lease blocks of dossier numbers per (agency, day) to the calling counter (issue 15)',
    body: codeLeaseRequestSchema, answers: [ok(codeLeaseResponseSchema)],
  },

  // ------------------------------------------------------------------------------------ tus uploads
  uploadCreate: { method: 'POST', path: '/api/v1/uploads', auth: 'device', summary: 'tus 1.0 upload creation (Upload-Length, Upload-Metadata); bound to the creating device', answers: [created()], servedBy: 'tus' },
  uploadOffset: { method: 'HEAD', path: '/api/v1/uploads/:uploadId', auth: 'device', summary: 'tus: current offset of an upload', answers: [ok()], servedBy: 'tus' },
  uploadAppend: { method: 'PATCH', path: '/api/v1/uploads/:uploadId', auth: 'device', summary: 'tus: append bytes at Upload-Offset', answers: [{ status: 204 }], servedBy: 'tus' },
  uploadTerminate: { method: 'DELETE', path: '/api/v1/uploads/:uploadId', auth: 'device', summary: 'tus termination', answers: [{ status: 204 }], servedBy: 'tus' },

  // ------------------------------------------------------------------------------------ dossiers
  commitDossier: {
    method: 'PUT', path: '/api/v1/dossiers/:id', auth: 'device', summary: 'Commit a dossier whose files are uploaded (idempotent by id + content hash)',
    body: dossierCommitSchema, answers: [created(commitAckSchema), { status: 200, description: 'Committed before: the first answer again', schema: commitAckSchema }],
  },
  dossier: { method: 'GET', path: '/api/v1/dossiers/:id', auth: 'device', summary: 'Read back a dossier of this device’s unit', answers: [ok(dossierViewSchema)] },
  dossierFile: { method: 'GET', path: '/api/v1/dossiers/:id/files/:sha256', auth: 'device', summary: 'A received file, byte for byte', answers: [{ status: 200, binary: pdf }] },
  counterEvent: {
    method: 'PUT', path: '/api/v1/dossiers/:id/events/:eventId', auth: 'device',
    summary: 'A counter event (supplement received, result returned, apology issued, dossier stopped); idempotent by eventId',
    body: counterEventSchema, answers: [created(counterEventAckSchema), { status: 200, description: 'Received before: the first answer again', schema: counterEventAckSchema }],
  },
  resultFile: { method: 'GET', path: '/api/v1/dossiers/:id/results/:sha256', auth: 'device', summary: 'A result document attached by the back office', answers: [{ status: 200, binary: pdf }] },
  changes: {
    method: 'GET', path: '/api/v1/changes', auth: 'device', summary: 'Status changes of this device’s unit after a cursor, oldest first',
    query: changesQuerySchema, answers: [ok(changesResponseSchema)],
  },
  reference: {
    method: 'GET', path: '/api/v1/reference/:kind', auth: 'device', summary: 'Reference data: catalog, calendar or trust-anchors (ETag; If-None-Match → 304)',
    answers: [ok(referenceDocumentSchema), { status: 304, description: 'Unchanged since the ETag sent' }],
  },
  // Issue 17, finding 9: counters' hash-chained audit logs (central/src/audit.ts).
  auditEntries: {
    method: 'POST', path: '/api/v1/audit-entries', auth: 'device',
    summary: 'Audit log entries of this device, verified on receipt (a break answers 409 AUDIT_CHAIN_BROKEN and is kept)',
    body: auditUploadSchema, answers: [ok(auditUploadAckSchema)],
  },

  // ------------------------------------------------------------------------------------ counter updates (issue 16)
  updateManifest: {
    method: 'GET', path: '/api/v1/updates/latest.yml', auth: 'device',
    summary: 'The newest release whose rollout includes this counter, as electron-updater’s latest.yml (204 when none)',
    answers: [{ status: 200, binary: { contentType: 'text/yaml' } }, { status: 204, description: 'No release for this counter' }],
  },
  updateFile: {
    method: 'GET', path: '/api/v1/updates/files/:version/:name', auth: 'device', summary: 'A release’s installer or blockmap (Range requests: a cut download resumes)',
    answers: [{ status: 200, binary: { contentType: 'application/octet-stream' } }, { status: 206, description: 'The range asked for', binary: { contentType: 'application/octet-stream' } }],
  },

  // ------------------------------------------------------------------------------------ back office
  adminEnrollmentCodes: {
    method: 'POST', path: '/api/v1/admin/enrollment-codes', auth: 'admin', summary: 'Issue a one-time enrollment code for a unit and counter',
    body: adminEnrollmentCodeRequestSchema, answers: [created(adminEnrollmentCodeResponseSchema)],
  },
  adminDevices: { method: 'GET', path: '/api/v1/admin/devices', auth: 'admin', summary: 'Every enrolled device', answers: [ok(adminDevicesResponseSchema)] },
  adminRevokeDevice: {
    method: 'POST', path: '/api/v1/admin/devices/:deviceId/revoke', auth: 'admin', summary: 'Revoke a device (its next call answers 401 DEVICE_REVOKED)',
    answers: [ok(deviceRecordSchema)],
  },
  adminDeviceCrashReports: { method: 'GET', path: '/api/v1/admin/devices/:deviceId/crash-reports', auth: 'admin', summary: 'Crash reports received from a device, newest first', answers: [ok()] },
  adminDossierStatus: {
    method: 'POST', path: '/api/v1/admin/dossiers/:id/status', auth: 'admin', summary: 'Move a dossier along the national statuses (id or dossier code)',
    body: adminStatusRequestSchema, answers: [created(statusChangeSchema)],
  },
  adminDossier: { method: 'GET', path: '/api/v1/admin/dossiers/:id', auth: 'admin', summary: 'A dossier’s status and processing history (id or dossier code)', answers: [ok(adminDossierViewSchema)] },
  adminDossierExport: { method: 'GET', path: '/api/v1/admin/dossiers/:id/export', auth: 'admin', summary: 'The dossier in the national portal’s DongBoHoSoMC shape', answers: [ok(dongBoHoSoMCSchema)] },
  adminReference: {
    method: 'PUT', path: '/api/v1/admin/reference/:kind', auth: 'admin', summary: 'Replace the catalog or the calendar (validated; the last good copy is kept otherwise)',
    body: z.unknown(), answers: [ok(referenceVersionSchema)],
  },
  adminAuditBreaks: { method: 'GET', path: '/api/v1/admin/audit/breaks', auth: 'admin', summary: 'Every audit chain break recorded, all devices', answers: [ok()] },
  adminAuditDevice: { method: 'GET', path: '/api/v1/admin/audit/devices/:deviceId', auth: 'admin', summary: 'A device’s audit log at the central: entries held, head, breaks', answers: [ok()] },
  adminAuditEntries: {
    method: 'GET', path: '/api/v1/admin/audit/devices/:deviceId/entries', auth: 'admin', summary: 'A device’s audit entries after a seq (for motcua audit verify)',
    query: auditEntriesQuerySchema, answers: [ok()],
  },
  adminReleaseFile: {
    method: 'PUT', path: '/api/v1/admin/releases/:version/files/:name', auth: 'admin',
    summary: 'Upload an installer or blockmap (raw body, application/octet-stream); answers its size and sha512',
    rawBody: { contentType: 'application/octet-stream' }, answers: [created()],
  },
  adminReleases: { method: 'GET', path: '/api/v1/admin/releases', auth: 'admin', summary: 'Every release (newest first) and the update policy', answers: [ok()] },
  adminRegisterRelease: {
    method: 'POST', path: '/api/v1/admin/releases', auth: 'admin',
    summary: 'Register an uploaded release with its publisher signature and rollout (the stored file is hashed again)',
    body: newReleaseSchema, answers: [created(), { status: 200, description: 'Registered before with the same content' }],
  },
  adminReleaseRollout: {
    method: 'PUT', path: '/api/v1/admin/releases/:version/rollout', auth: 'admin', summary: 'Change a release’s rollout (percentage, units)',
    body: rolloutSchema, answers: [ok()],
  },
  adminUpdatePolicy: { method: 'GET', path: '/api/v1/admin/update-policy', auth: 'admin', summary: 'The oldest counter version allowed to send', answers: [ok(updatePolicySchema)] },
  adminSetUpdatePolicy: {
    method: 'PUT', path: '/api/v1/admin/update-policy', auth: 'admin', summary: 'Set the oldest counter version allowed to send (null = any)',
    body: updatePolicySchema, answers: [ok(updatePolicySchema)],
  },
  adminFleet: {
    method: 'GET', path: '/api/v1/admin/fleet', auth: 'admin', summary: 'Every counter with its latest report; filters offlineDays, backlogOver, outdated, unit',
    query: fleetQuerySchema, answers: [ok(fleetResponseSchema)],
  },
  adminFleetXlsx: {
    method: 'GET', path: '/api/v1/admin/fleet.xlsx', auth: 'admin', summary: 'The fleet view as an XLSX workbook (same filters)',
    query: fleetQuerySchema, answers: [{ status: 200, binary: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }],
  },
  // The fleet page: static, no data; the admin token is typed into it (central/src/fleet-page.ts).
  fleetPage: { method: 'GET', path: '/admin/fleet', auth: 'none', summary: 'The fleet page (HTML; the admin token is typed into it)', answers: [{ status: 200, binary: { contentType: 'text/html' } }] },
  fleetPageScript: { method: 'GET', path: '/admin/fleet.js', auth: 'none', summary: 'The fleet page’s script', answers: [{ status: 200, binary: { contentType: 'text/javascript' } }] },
  fleetPageStyle: { method: 'GET', path: '/admin/fleet.css', auth: 'none', summary: 'The fleet page’s style sheet', answers: [{ status: 200, binary: { contentType: 'text/css' } }] },

  // ------------------------------------------------------------------------------------ tests only (`faultControl`)
  testFaults: { method: 'GET', path: '/api/v1/test/faults', auth: 'none', summary: 'The fault plan in force (tests)', answers: [ok()], servedBy: 'test' },
  testSetFaults: { method: 'PUT', path: '/api/v1/test/faults', auth: 'none', summary: 'Replace the fault plan (tests)', answers: [ok()], servedBy: 'test' },
  testSetClock: { method: 'PUT', path: '/api/v1/test/clock', auth: 'none', summary: 'Shift the central’s clock by `{ offsetMs }` (tests)', answers: [ok()], servedBy: 'test' },
} as const satisfies Record<string, RouteContract>;

export type CentralRouteId = keyof typeof centralApi;
export const centralRouteIds = Object.keys(centralApi) as CentralRouteId[];

/** `'/a/:id/b/:sha256'` → `'id' | 'sha256'`. */
type PathParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;
export type RouteParams<Id extends CentralRouteId> = { readonly [Name in PathParamNames<(typeof centralApi)[Id]['path']>]: string };

/**
 * The path of a route, its parameters percent-encoded: `pathFor('dossierFile', { id, sha256 })`. Relative to the
 * central's base URL; a query string is the caller's to append.
 */
export function pathFor<Id extends CentralRouteId>(id: Id, ...params: PathParamNames<(typeof centralApi)[Id]['path']> extends never ? [] : [RouteParams<Id>]): string {
  const values = (params[0] ?? {}) as Readonly<Record<string, string>>;
  return centralApi[id].path.replace(/:([A-Za-z0-9]+)/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`pathFor('${id}'): parameter ${name} missing`);
    return encodeURIComponent(value);
  });
}

/** The tus uploads prefix the central mounts @tus/server at (every tus route's path begins with it). */
export const uploadsPrefix = pathFor('uploadCreate');
/** Where the counter's tus client creates uploads; the trailing slash is what counters have always sent. */
export const tusEndpointPath = `${uploadsPrefix}/`;
/** Back-office routes begin with this (the central answers them without CORS, by the raw URL). */
export const adminPathPrefix = '/api/v1/admin/';
