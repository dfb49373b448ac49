/**
 * The back office's credential: `MOTCUA_CENTRAL_ADMIN_TOKEN`, or one generated on the first start into
 * `<dataDir>/admin-token` (mode 0600) and printed once, so IT staff can use the CLI against this central.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const adminTokenFile = 'admin-token';

export interface AdminToken {
  readonly token: string;
  /** Where it came from: the option/environment, the data-dir file, or generated just now. */
  readonly source: 'configured' | 'file' | 'generated';
  readonly filePath: string;
}

export async function loadAdminToken(dataDir: string, configured: string | undefined): Promise<AdminToken> {
  const filePath = path.join(dataDir, adminTokenFile);
  if (configured) {
    if (configured.length < 16) throw new Error('the admin token must have at least 16 characters');
    return { token: configured, source: 'configured', filePath };
  }
  try {
    const token = (await readFile(filePath, 'utf8')).trim();
    if (token.length >= 16) return { token, source: 'file', filePath };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = `mca_${randomBytes(32).toString('base64url')}`;
  await writeFile(filePath, `${token}\n`, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file.
  await chmod(filePath, 0o600);
  return { token, source: 'generated', filePath };
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Constant-time comparison (of digests, so lengths need not match). */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return match?.[1];
}
