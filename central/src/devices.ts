/**
 * Counter devices: an installer trades a one-time enrollment code (issued by the back office) for a device
 * credential; every later call carries it as `Authorization: Bearer mcd_…`. The central stores codes and
 * credentials only as SHA-256, and can revoke a device at any time.
 */
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import {
  adminEnrollmentCodeRequestSchema,
  deviceCredentialSchema,
  enrollRequestSchema,
  type AdminEnrollmentCodeResponse,
  type DeviceRecord,
  type EnrollResponse,
} from '../../shared/sync/protocol';
import { bearerToken } from './admin-token';
import { CentralHttpError, zodDetails } from './http-errors';
import type { CentralStore } from './store';

const sha256Text = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** No 0/O or 1/I: a code is read aloud or typed from paper. 32 symbols × 12 = 60 bits. */
const codeAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newEnrollmentCode(): string {
  const chars = Array.from({ length: 12 }, () => codeAlphabet[randomInt(codeAlphabet.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}

/** `mcd_` + 32 random bytes in base64url (43 characters). */
const newDeviceCredential = (): string => `mcd_${randomBytes(32).toString('base64url')}`;

function counterTaken(holder: DeviceRecord): CentralHttpError {
  return new CentralHttpError(409, 'ENROLLMENT_COUNTER_TAKEN', {
    unit: holder.unit.code,
    unitName: holder.unit.name,
    counter: holder.counterNo,
    holder: holder.deviceName,
    holderId: holder.deviceId,
    since: holder.enrolledAt,
  });
}

export async function issueEnrollmentCode(store: CentralStore, body: unknown, now = new Date()): Promise<AdminEnrollmentCodeResponse> {
  const parsed = adminEnrollmentCodeRequestSchema.safeParse(body);
  if (!parsed.success) throw new CentralHttpError(400, 'CENTRAL_REJECTED', { reason: 'enrollment-code-request', ...zodDetails(parsed.error) });
  // Refused at once when the counter is taken, so IT learns it before walking to the PC (enroll checks again).
  const holder = await store.activeDeviceFor(parsed.data.unit.code, parsed.data.counterNo);
  if (holder) throw counterTaken(holder);
  const code = newEnrollmentCode();
  const expiresAt = new Date(now.getTime() + parsed.data.validHours * 3_600_000).toISOString();
  await store.insertEnrollmentCode({ codeHash: sha256Text(code), unit: parsed.data.unit, counterNo: parsed.data.counterNo, issuedAt: now.toISOString(), expiresAt });
  return { enrollmentCode: code, unit: parsed.data.unit, counterNo: parsed.data.counterNo, expiresAt };
}

export async function enroll(store: CentralStore, body: unknown, now = new Date()): Promise<EnrollResponse> {
  const parsed = enrollRequestSchema.safeParse(body);
  if (!parsed.success) throw new CentralHttpError(400, 'ENROLLMENT_CODE_INVALID', { reason: 'malformed', ...zodDetails(parsed.error) });
  const credential = newDeviceCredential();
  const outcome = await store.enrollDevice({
    codeHash: sha256Text(parsed.data.enrollmentCode),
    deviceId: randomUUID(),
    deviceName: parsed.data.deviceName,
    credentialHash: sha256Text(credential),
    at: now.toISOString(),
    ...(parsed.data.expect ? { expect: parsed.data.expect } : {}),
  });
  if (!outcome.enrolled) {
    if (outcome.reason === 'counter-taken') throw counterTaken(outcome.holder);
    if (outcome.reason === 'unit-mismatch') {
      const expected = parsed.data.expect ?? {};
      throw new CentralHttpError(409, 'ENROLLMENT_UNIT_MISMATCH', {
        codeUnit: `${outcome.code.unit.name} (${outcome.code.unit.code})`,
        codeCounter: outcome.code.counterNo,
        expectedUnit: expected.unitCode ?? outcome.code.unit.code,
        expectedCounter: expected.counterNo ?? outcome.code.counterNo,
      });
    }
    throw new CentralHttpError(403, 'ENROLLMENT_CODE_INVALID', { reason: outcome.reason });
  }
  return { device: outcome.device, credential };
}

/** The device behind an `Authorization` header: 401 DEVICE_UNAUTHENTICATED (absent, malformed, unknown) or DEVICE_REVOKED. */
export async function authenticateDevice(store: CentralStore, authorization: string | string[] | undefined): Promise<DeviceRecord> {
  const token = bearerToken(authorization);
  if (!token) throw new CentralHttpError(401, 'DEVICE_UNAUTHENTICATED', { reason: 'missing' });
  if (!deviceCredentialSchema.safeParse(token).success) throw new CentralHttpError(401, 'DEVICE_UNAUTHENTICATED', { reason: 'malformed' });
  const device = await store.findDeviceByCredentialHash(sha256Text(token));
  if (!device) throw new CentralHttpError(401, 'DEVICE_UNAUTHENTICATED', { reason: 'unknown' });
  if (device.revokedAt !== null) throw new CentralHttpError(401, 'DEVICE_REVOKED', { deviceId: device.deviceId, revokedAt: device.revokedAt });
  return device;
}

/** A device acts only on its own unit's dossiers. */
export function requireSameUnit(device: DeviceRecord, unitCode: string, dossierId: string): void {
  if (device.unit.code !== unitCode) {
    throw new CentralHttpError(403, 'DEVICE_FORBIDDEN', { dossierId, deviceUnit: device.unit.code });
  }
}
