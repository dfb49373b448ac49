/**
 * Issue 16: crash reports from the counters' Electron crash reporter (Crashpad). Crashpad POSTs
 * `multipart/form-data` — the minidump as `upload_file_minidump`, fields `prod`, `ver`, `process_type`, `guid`,
 * `_productName`, `_version` and the `extra` annotations the app set — gzip-compressed by default
 * (`Content-Encoding: gzip`), and reads the answer body as the report id. It can send no header of ours, so
 * the device is found by the crash-upload token in the URL (`?token=mcc_…`, shared/sync/fleet.ts).
 *
 * A minidump holds a copy of process memory, which may include what was on screen: it is stored owner-only
 * under `<dataDir>/crash-reports/` and only its fields go into the database. Refused: no or unknown token
 * (401), a body over the cap (413), no `upload_file_minidump` or one without the `MDMP` signature (400).
 */
import { randomUUID } from 'node:crypto';
import { writeFileDurably } from '../../shared-node/durable-file';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { crashUploadTokenSchema } from '../../shared/sync/fleet';
import { OWNER_ONLY_DIR_MODE, OWNER_ONLY_FILE_MODE } from './data-modes';
import { CentralHttpError } from './http-errors';
import type { SqlFleetStore } from './fleet';

/** A gzip body may not inflate past this (a small upload must not become a huge one in memory). */
const maxInflatedCrashReportBytes = 32 * 1024 * 1024;
/** Text fields kept per report, and their length: annotations are short (Crashpad: keys < 40, values ≤ 127). */
const maxFields = 64;
const maxFieldChars = 256;

export interface CrashReportInput {
  readonly token: unknown;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  readonly body: Buffer;
}

export interface StoredCrashReport {
  readonly id: string;
  readonly deviceId: string;
  readonly size: number;
  readonly storagePath: string;
}

function inflate(body: Buffer, encoding: string | undefined): Buffer {
  const coding = (encoding ?? 'identity').trim().toLowerCase();
  if (coding === 'identity' || coding === '') return body;
  if (coding !== 'gzip') throw new CentralHttpError(415, 'CENTRAL_REJECTED', { reason: 'content-encoding', encoding: coding });
  try {
    return gunzipSync(body, { maxOutputLength: maxInflatedCrashReportBytes });
  } catch (err) {
    const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || (err instanceof RangeError);
    throw new CentralHttpError(tooLarge ? 413 : 400, 'CENTRAL_REJECTED', { reason: tooLarge ? 'crash-report-too-large' : 'crash-report-gzip' });
  }
}

/** Receives one upload: checks the token and the dump, stores the file, records the fields. */
export async function receiveCrashReport(
  deps: { readonly fleet: SqlFleetStore; readonly dataDir: string; readonly now: () => Date },
  input: CrashReportInput,
): Promise<StoredCrashReport> {
  const token = crashUploadTokenSchema.safeParse(input.token);
  if (!token.success) throw new CentralHttpError(401, 'DEVICE_UNAUTHENTICATED', { reason: 'crash-token' });
  const device = await deviceFor(deps.fleet, token.data);
  if (!input.contentType?.toLowerCase().startsWith('multipart/form-data')) {
    throw new CentralHttpError(415, 'CENTRAL_REJECTED', { reason: 'content-type', expected: 'multipart/form-data' });
  }
  const raw = inflate(input.body, input.contentEncoding);
  let form: FormData;
  try {
    // undici's multipart parser (Node's own fetch), reached through a Response.
    form = await new Response(new Uint8Array(raw), { headers: { 'content-type': input.contentType } }).formData();
  } catch {
    throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'crash-report-multipart' });
  }
  const dump = form.get('upload_file_minidump');
  if (dump === null || typeof dump === 'string') throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'crash-report-no-minidump' });
  const bytes = new Uint8Array(await dump.arrayBuffer());
  // Every minidump begins with the signature 'MDMP' (MINIDUMP_HEADER.Signature).
  if (bytes.length < 32 || bytes[0] !== 0x4d || bytes[1] !== 0x44 || bytes[2] !== 0x4d || bytes[3] !== 0x50) {
    throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'crash-report-not-a-minidump' });
  }
  const fields: Record<string, string> = {};
  form.forEach((value, name) => {
    if (typeof value !== 'string' || Object.keys(fields).length >= maxFields) return;
    fields[name.slice(0, 64)] = value.slice(0, maxFieldChars);
  });
  const id = randomUUID();
  const storagePath = path.join('crash-reports', `${id}.dmp`);
  const target = path.join(deps.dataDir, storagePath);
  await writeFileDurably(target, bytes, OWNER_ONLY_FILE_MODE, OWNER_ONLY_DIR_MODE);
  await deps.fleet.recordCrashReport({
    id,
    deviceId: device.deviceId,
    receivedAt: deps.now().toISOString(),
    product: fields.prod ?? fields._productName ?? '',
    version: fields.ver ?? fields._version ?? '',
    processType: fields.process_type ?? '',
    size: bytes.length,
    storagePath,
    fields,
  });
  return { id, deviceId: device.deviceId, size: bytes.length, storagePath };
}

async function deviceFor(fleet: SqlFleetStore, token: string): Promise<{ deviceId: string }> {
  const device = await fleet.deviceForCrashToken(token);
  if (!device) throw new CentralHttpError(401, 'DEVICE_UNAUTHENTICATED', { reason: 'crash-token-unknown' });
  return device;
}
