/**
 * The back office's credential (issue 17, finding 10: never on a command line, where `ps` shows it, nor in the
 * log): `MOTCUA_CENTRAL_ADMIN_TOKEN`, or a file given with `--admin-token-file` (owner-only, like the data),
 * else `<dataDir>/admin-token`, generated on the first start (mode 0600). The log says where it is, never what.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors';

export const adminTokenFile = 'admin-token';
/** The environment variable holding the token itself. */
export const adminTokenEnv = 'MOTCUA_CENTRAL_ADMIN_TOKEN';

export interface AdminToken {
  readonly token: string;
  /** Where it came from: the option/environment, a file (given, or the data directory's), or generated just now. */
  readonly source: 'configured' | 'file' | 'generated';
  /** The file it was read from or written to (for `configured`, the data directory's, unused). */
  readonly filePath: string;
}

/**
 * A token file's contents, refused when a group or other users may read or write it (POSIX; on Windows the
 * installer's ACLs protect it). ENOENT is passed through for the caller to decide.
 */
export async function readAdminTokenFile(filePath: string): Promise<string> {
  const info = await stat(filePath);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    throw new AppError('CENTRAL_ADMIN_TOKEN_FILE_UNSAFE', { path: path.resolve(filePath), mode: (info.mode & 0o777).toString(8).padStart(4, '0') });
  }
  return (await readFile(filePath, 'utf8')).trim();
}

export async function loadAdminToken(dataDir: string, configured: string | undefined, tokenFile?: string): Promise<AdminToken> {
  const filePath = path.join(dataDir, adminTokenFile);
  if (configured) {
    if (configured.length < 16) throw new Error('the admin token must have at least 16 characters');
    return { token: configured, source: 'configured', filePath };
  }
  if (tokenFile) {
    const token = await readAdminTokenFile(tokenFile);
    if (token.length < 16) throw new Error(`the admin token in ${path.resolve(tokenFile)} must have at least 16 characters`);
    return { token, source: 'file', filePath: path.resolve(tokenFile) };
  }
  try {
    // The data directory's own file: its mode is checked with the whole directory (data-modes.ts).
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
