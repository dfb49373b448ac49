/**
 * The OpenAPI 3.1 document of the central, generated from the same zod schemas that validate the requests
 * (zod 4's `z.toJSONSchema`). Each route the server registers is listed in `apiRoutes`; the test checks
 * that the two agree, so the document cannot drift from the server.
 */
import { z } from 'zod';
import {
  adminDevicesResponseSchema,
  adminEnrollmentCodeRequestSchema,
  adminEnrollmentCodeResponseSchema,
  adminStatusRequestSchema,
  centralErrorSchema,
  changesResponseSchema,
  commitAckSchema,
  counterEventAckSchema,
  counterEventSchema,
  deviceRecordSchema,
  dossierCommitSchema,
  codeLeaseRequestSchema,
  codeLeaseResponseSchema,
  enrollRequestSchema,
  enrollResponseSchema,
  healthSchema,
  protocolVersion,
  readinessSchema,
  referenceDocumentSchema,
  statusChangeSchema,
} from '../../shared/sync/protocol';
import { auditUploadAckSchema, auditUploadSchema } from '../../shared/audit/chain';
import { newReleaseSchema, rolloutSchema, updatePolicySchema } from '../../shared/updates/release';
import { counterReportAckSchema, counterReportSchema, fleetQuerySchema, fleetResponseSchema } from '../../shared/sync/fleet';
import { auditEntriesQuerySchema } from './audit';
import { dongBoHoSoMCSchema } from './export';
import { changesQuerySchema } from './status';

type Auth = 'none' | 'device' | 'admin';

interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'HEAD' | 'DELETE';
  /** Fastify form, e.g. `/api/v1/dossiers/:id`. */
  readonly path: string;
  readonly summary: string;
  readonly auth: Auth;
  readonly body?: z.ZodType;
  readonly query?: z.ZodObject;
  /** The success answer: status and schema (undefined = no JSON body). */
  readonly response: { readonly status: number; readonly schema?: z.ZodType; readonly contentType?: string };
  /** A second answer that is not an error body (readiness: 503 with the same shape as its 200). */
  readonly otherResponse?: { readonly status: number; readonly description: string; readonly schema: z.ZodType };
}

const dossierView = z.object({
  ack: commitAckSchema,
  contentHash: z.string(),
  counterReceivedAt: z.string().nullable(),
  record: dossierCommitSchema,
  files: z.array(z.object({ sha256: z.string(), size: z.number(), componentCode: z.string(), name: z.string() })),
});
const adminDossierView = z.object({
  dossierId: z.string(),
  centralId: z.string(),
  code: z.string().nullable(),
  unitCode: z.string(),
  status: z.number(),
  appointmentAt: z.string().nullable(),
  history: z.array(statusChangeSchema),
});
const referenceVersion = z.object({ kind: z.string(), version: z.string(), publishedAt: z.string() });
const pdf = { contentType: 'application/pdf' } as const;

const apiRoutes: readonly ApiRoute[] = [
  { method: 'GET', path: '/api/v1/health', summary: 'Connectivity probe (the counter parses exactly this shape)', auth: 'none', response: { status: 200, schema: healthSchema } },
  // Issue 19: readiness for a load balancer (central/src/cluster/readiness.ts).
  { method: 'GET', path: '/api/v1/ready', summary: 'Readiness: the database and the file storage answer (200), else 503 naming the failed check', auth: 'none', response: { status: 200, schema: readinessSchema }, otherResponse: { status: 503, description: 'Not ready: the failed check is named', schema: readinessSchema } },
  { method: 'POST', path: '/api/v1/devices/enroll', summary: 'Trade a one-time enrollment code for a device credential', auth: 'none', body: enrollRequestSchema, response: { status: 201, schema: enrollResponseSchema } },
  { method: 'POST', path: '/api/v1/code-leases', summary: 'Lease blocks of dossier numbers per (agency, day) to the calling counter (issue 15)', auth: 'device', body: codeLeaseRequestSchema, response: { status: 200, schema: codeLeaseResponseSchema } },
  { method: 'GET', path: '/api/v1/devices/self', summary: 'This device’s record (also a cheap credential check)', auth: 'device', response: { status: 200, schema: deviceRecordSchema } },
  { method: 'POST', path: '/api/v1/uploads', summary: 'tus 1.0 upload creation (Upload-Length, Upload-Metadata); bound to the creating device', auth: 'device', response: { status: 201 } },
  { method: 'HEAD', path: '/api/v1/uploads/:uploadId', summary: 'tus: current offset of an upload', auth: 'device', response: { status: 200 } },
  { method: 'PATCH', path: '/api/v1/uploads/:uploadId', summary: 'tus: append bytes at Upload-Offset', auth: 'device', response: { status: 204 } },
  { method: 'DELETE', path: '/api/v1/uploads/:uploadId', summary: 'tus termination', auth: 'device', response: { status: 204 } },
  { method: 'PUT', path: '/api/v1/dossiers/:id', summary: 'Commit a dossier whose files are uploaded (idempotent by id + content hash)', auth: 'device', body: dossierCommitSchema, response: { status: 201, schema: commitAckSchema } },
  { method: 'GET', path: '/api/v1/dossiers/:id', summary: 'Read back a dossier of this device’s unit', auth: 'device', response: { status: 200, schema: dossierView } },
  { method: 'GET', path: '/api/v1/dossiers/:id/files/:sha256', summary: 'A received file, byte for byte', auth: 'device', response: { status: 200, ...pdf } },
  { method: 'PUT', path: '/api/v1/dossiers/:id/events/:eventId', summary: 'A counter event (supplement received, result returned, apology issued); idempotent by eventId', auth: 'device', body: counterEventSchema, response: { status: 201, schema: counterEventAckSchema } },
  { method: 'GET', path: '/api/v1/dossiers/:id/results/:sha256', summary: 'A result document attached by the back office', auth: 'device', response: { status: 200, ...pdf } },
  { method: 'GET', path: '/api/v1/changes', summary: 'Status changes of this device’s unit after a cursor, oldest first', auth: 'device', query: changesQuerySchema, response: { status: 200, schema: changesResponseSchema } },
  { method: 'GET', path: '/api/v1/reference/:kind', summary: 'Reference data: catalog, calendar or trust-anchors (ETag; If-None-Match → 304)', auth: 'device', response: { status: 200, schema: referenceDocumentSchema } },
  { method: 'POST', path: '/api/v1/admin/enrollment-codes', summary: 'Issue a one-time enrollment code for a unit and counter', auth: 'admin', body: adminEnrollmentCodeRequestSchema, response: { status: 201, schema: adminEnrollmentCodeResponseSchema } },
  { method: 'GET', path: '/api/v1/admin/devices', summary: 'Every enrolled device', auth: 'admin', response: { status: 200, schema: adminDevicesResponseSchema } },
  { method: 'POST', path: '/api/v1/admin/devices/:deviceId/revoke', summary: 'Revoke a device (its next call answers 401 DEVICE_REVOKED)', auth: 'admin', response: { status: 200, schema: deviceRecordSchema } },
  { method: 'POST', path: '/api/v1/admin/dossiers/:id/status', summary: 'Move a dossier along the national statuses (id or dossier code)', auth: 'admin', body: adminStatusRequestSchema, response: { status: 201, schema: statusChangeSchema } },
  { method: 'GET', path: '/api/v1/admin/dossiers/:id', summary: 'A dossier’s status and processing history (id or dossier code)', auth: 'admin', response: { status: 200, schema: adminDossierView } },
  { method: 'GET', path: '/api/v1/admin/dossiers/:id/export', summary: 'The dossier in the national portal’s DongBoHoSoMC shape', auth: 'admin', response: { status: 200, schema: dongBoHoSoMCSchema } },
  { method: 'PUT', path: '/api/v1/admin/reference/:kind', summary: 'Replace the catalog or the calendar (validated; the last good copy is kept otherwise)', auth: 'admin', body: z.unknown(), response: { status: 200, schema: referenceVersion } },
  { method: 'GET', path: '/api/v1/openapi.json', summary: 'This document', auth: 'none', response: { status: 200 } },
  // Issue 17, finding 9: counters' hash-chained audit logs (central/src/audit.ts).
  { method: 'POST', path: '/api/v1/audit-entries', summary: 'Audit log entries of this device, verified on receipt (a break answers 409 AUDIT_CHAIN_BROKEN and is kept)', auth: 'device', body: auditUploadSchema, response: { status: 200, schema: auditUploadAckSchema } },
  { method: 'GET', path: '/api/v1/admin/audit/breaks', summary: 'Every audit chain break recorded, all devices', auth: 'admin', response: { status: 200 } },
  { method: 'GET', path: '/api/v1/admin/audit/devices/:deviceId', summary: 'A device’s audit log at the central: entries held, head, breaks', auth: 'admin', response: { status: 200 } },
  { method: 'GET', path: '/api/v1/admin/audit/devices/:deviceId/entries', summary: 'A device’s audit entries after a seq (for motcua audit verify)', auth: 'admin', query: auditEntriesQuerySchema, response: { status: 200 } },
  // Issue 16, item 5: counter updates (central/src/releases.ts).
  { method: 'GET', path: '/api/v1/updates/latest.yml', summary: 'The newest release whose rollout includes this counter, as electron-updater’s latest.yml (204 when none)', auth: 'device', response: { status: 200, contentType: 'text/yaml' } },
  { method: 'GET', path: '/api/v1/updates/files/:version/:name', summary: 'A release’s installer or blockmap (Range requests: a cut download resumes)', auth: 'device', response: { status: 200, contentType: 'application/octet-stream' } },
  { method: 'PUT', path: '/api/v1/admin/releases/:version/files/:name', summary: 'Upload an installer or blockmap (raw body, application/octet-stream); answers its size and sha512', auth: 'admin', response: { status: 201 } },
  { method: 'GET', path: '/api/v1/admin/releases', summary: 'Every release (newest first) and the update policy', auth: 'admin', response: { status: 200 } },
  { method: 'POST', path: '/api/v1/admin/releases', summary: 'Register an uploaded release with its publisher signature and rollout (the stored file is hashed again)', auth: 'admin', body: newReleaseSchema, response: { status: 201 } },
  { method: 'PUT', path: '/api/v1/admin/releases/:version/rollout', summary: 'Change a release’s rollout (percentage, units)', auth: 'admin', body: rolloutSchema, response: { status: 200 } },
  { method: 'GET', path: '/api/v1/admin/update-policy', summary: 'The oldest counter version allowed to send', auth: 'admin', response: { status: 200, schema: updatePolicySchema } },
  { method: 'PUT', path: '/api/v1/admin/update-policy', summary: 'Set the oldest counter version allowed to send (null = any)', auth: 'admin', body: updatePolicySchema, response: { status: 200, schema: updatePolicySchema } },
  // Issue 16: counter reports, the fleet view, crash reports (central/src/fleet.ts, crash-reports.ts).
  { method: 'PUT', path: '/api/v1/devices/self/report', summary: 'This counter’s latest report: version, backlog, last error, clock, certificate expiry, OS (≤ 8 KiB)', auth: 'device', body: counterReportSchema, response: { status: 200, schema: counterReportAckSchema } },
  { method: 'POST', path: '/api/v1/crash-reports', summary: 'Electron crashReporter upload (multipart/form-data, upload_file_minidump; `?token=` crash-upload token; ≤ 5 MiB); answers the report id as text', auth: 'none', response: { status: 201, contentType: 'text/plain' } },
  { method: 'GET', path: '/api/v1/admin/fleet', summary: 'Every counter with its latest report; filters offlineDays, backlogOver, outdated, unit', auth: 'admin', query: fleetQuerySchema, response: { status: 200, schema: fleetResponseSchema } },
  { method: 'GET', path: '/api/v1/admin/fleet.xlsx', summary: 'The fleet view as an XLSX workbook (same filters)', auth: 'admin', query: fleetQuerySchema, response: { status: 200, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } },
  { method: 'GET', path: '/api/v1/admin/devices/:deviceId/crash-reports', summary: 'Crash reports received from a device, newest first', auth: 'admin', response: { status: 200 } },
  { method: 'GET', path: '/admin/fleet', summary: 'The fleet page (HTML; the admin token is typed into it)', auth: 'none', response: { status: 200, contentType: 'text/html' } },
  { method: 'GET', path: '/admin/fleet.js', summary: 'The fleet page’s script', auth: 'none', response: { status: 200, contentType: 'text/javascript' } },
  { method: 'GET', path: '/admin/fleet.css', summary: 'The fleet page’s style sheet', auth: 'none', response: { status: 200, contentType: 'text/css' } },
];

const toJson = (schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const openApiPath = (path: string): string => path.replace(/:([A-Za-z]+)/g, '{$1}');

export function buildOpenApi(serverUrl?: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorResponse = { description: 'Error (centralErrorSchema)', content: { 'application/json': { schema: toJson(centralErrorSchema, 'output') } } };
  for (const route of apiRoutes) {
    const params = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const queryShape = route.query ? (toJson(route.query, 'input').properties as Record<string, unknown>) : {};
    const query = Object.entries(queryShape).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));
    const operation: Record<string, unknown> = {
      summary: route.summary,
      ...(route.auth === 'none' ? { security: [] } : { security: [{ [route.auth === 'admin' ? 'adminToken' : 'deviceCredential']: [] }] }),
      ...(params.length + query.length ? { parameters: [...params, ...query] } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toJson(route.body, 'input') } } } } : {}),
      responses: {
        [String(route.response.status)]: {
          description: 'Success',
          ...(route.response.schema
            ? { content: { 'application/json': { schema: toJson(route.response.schema, 'output') } } }
            : route.response.contentType
              ? { content: { [route.response.contentType]: { schema: { type: 'string', format: 'binary' } } } }
              : {}),
        },
        ...(route.otherResponse
          ? { [String(route.otherResponse.status)]: { description: route.otherResponse.description, content: { 'application/json': { schema: toJson(route.otherResponse.schema, 'output') } } } }
          : {}),
        '4XX': errorResponse,
        '5XX': errorResponse,
      },
    };
    (paths[openApiPath(route.path)] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'motcua central', version: String(protocolVersion), description: 'The counter ↔ central protocol (shared/sync/protocol.ts). See docs/central-api.md.' },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: {
        deviceCredential: { type: 'http', scheme: 'bearer', description: 'Device credential `mcd_…` from POST /api/v1/devices/enroll' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'The back office token (MOTCUA_CENTRAL_ADMIN_TOKEN, --admin-token-file, or <dataDir>/admin-token)' },
      },
    },
    paths,
  };
}
