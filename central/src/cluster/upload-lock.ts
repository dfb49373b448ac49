/**
 * Which tus lock the central uses (`--upload-lock memory|postgres`, `MOTCUA_CENTRAL_UPLOAD_LOCK`; issue 19):
 * `memory` is @tus/server's own lock, right for one process; `postgres` is pg-upload-lock.ts, needed as soon as
 * several centrals serve the same uploads. Default `postgres` in cluster mode, else `memory`.
 */
import { AppError } from '../../../shared/errors';
import type { Locker } from '@tus/server';
import { PgUploadLocker, type PgUploadLockerOptions } from './pg-upload-lock';

const uploadLockKinds = ['memory', 'postgres'] as const;
export type UploadLockKind = (typeof uploadLockKinds)[number];

export const uploadLockEnv = 'MOTCUA_CENTRAL_UPLOAD_LOCK';

export function isUploadLockKind(value: unknown): value is UploadLockKind {
  return typeof value === 'string' && (uploadLockKinds as readonly string[]).includes(value);
}

/**
 * The lock to use. `memory` in cluster mode is refused (two instances would both write one upload) unless the
 * test hooks are allowed: the negative-control scenario of the cluster test runs exactly that on purpose.
 */
export function chooseUploadLock(opts: { readonly requested: UploadLockKind | undefined; readonly cluster: boolean; readonly testHooks: boolean }): UploadLockKind {
  const kind = opts.requested ?? (opts.cluster ? 'postgres' : 'memory');
  if (kind === 'memory' && opts.cluster && !opts.testHooks) throw new AppError('CENTRAL_UPLOAD_LOCK_MEMORY_IN_CLUSTER');
  return kind;
}

/** The tus locker for `kind` (undefined = @tus/server's default MemoryLocker) and how to close it. */
export function createUploadLocker(
  kind: UploadLockKind,
  databaseUrl: string | undefined,
  options: PgUploadLockerOptions = {},
): { readonly locker: Locker | undefined; close(): Promise<void> } {
  if (kind === 'memory') return { locker: undefined, close: () => Promise.resolve() };
  if (!databaseUrl) throw new AppError('CENTRAL_UPLOAD_LOCK_NEEDS_POSTGRES');
  const locker = new PgUploadLocker(databaseUrl, options);
  return { locker, close: () => locker.close() };
}
