/**
 * Which tus lock the central uses (central/src/cluster/upload-lock.ts) and why the default in-memory one cannot
 * serve a cluster: @tus/server's MemoryLocker excludes requests of one process only — two processes, each with
 * its own, both "hold" one upload. This is the unit-level negative control of issue 19's shared lock; the
 * PostgreSQL lock that does exclude them is tests/integration/pg-upload-lock.test.ts.
 */
import { MemoryLocker } from '@tus/server';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { chooseUploadLock, createUploadLocker } from '../../central/src/cluster/upload-lock';
import { uploadLockKey } from '../../central/src/cluster/pg-upload-lock';
import { jobLockKey } from '../../central/src/cluster/elect';

describe('the in-memory tus lock (negative control)', () => {
  it('excludes two requests of one process: the second asks the first to release and waits for it', async () => {
    const locker = new MemoryLocker({ acquireLockTimeout: 2_000 });
    const first = locker.newLock('upload-1');
    let firstAsked = 0;
    await first.lock(new AbortController().signal, () => {
      firstAsked += 1;
      void first.unlock();
    });
    await locker.newLock('upload-1').lock(new AbortController().signal, () => undefined);
    expect(firstAsked).toBeGreaterThan(0);
  });

  it('does NOT exclude two processes: each with its own MemoryLocker, both hold the same upload and neither is asked to let go', async () => {
    const processA = new MemoryLocker({ acquireLockTimeout: 2_000 });
    const processB = new MemoryLocker({ acquireLockTimeout: 2_000 });
    const asked: string[] = [];
    await processA.newLock('upload-1').lock(new AbortController().signal, () => void asked.push('A'));
    await processB.newLock('upload-1').lock(new AbortController().signal, () => void asked.push('B'));
    // Both resolved: two PATCHes would write the same upload at once.
    expect(asked).toEqual([]);
  });
});

describe('choosing the upload lock (--upload-lock, MOTCUA_CENTRAL_UPLOAD_LOCK)', () => {
  it('defaults to memory for one process and to postgres in cluster mode', () => {
    expect(chooseUploadLock({ requested: undefined, cluster: false, testHooks: false })).toBe('memory');
    expect(chooseUploadLock({ requested: undefined, cluster: true, testHooks: false })).toBe('postgres');
    expect(chooseUploadLock({ requested: 'postgres', cluster: false, testHooks: false })).toBe('postgres');
  });

  it('refuses memory in cluster mode unless the test hooks are allowed (the negative-control scenario)', () => {
    expect(() => chooseUploadLock({ requested: 'memory', cluster: true, testHooks: false })).toThrow(AppError);
    expect(() => chooseUploadLock({ requested: 'memory', cluster: true, testHooks: false })).toThrow('CENTRAL_UPLOAD_LOCK_MEMORY_IN_CLUSTER');
    expect(chooseUploadLock({ requested: 'memory', cluster: true, testHooks: true })).toBe('memory');
  });

  it('refuses the postgres lock without a PostgreSQL server', () => {
    expect(() => createUploadLocker('postgres', undefined)).toThrow('CENTRAL_UPLOAD_LOCK_NEEDS_POSTGRES');
    expect(createUploadLocker('memory', undefined).locker).toBeUndefined();
  });

  it('lock keys are stable 64-bit values, distinct for distinct uploads and apart from job keys', () => {
    const id = '0123456789abcdef0123456789abcdef';
    expect(uploadLockKey(id)).toBe(uploadLockKey(id));
    expect(BigInt.asIntN(64, uploadLockKey(id))).toBe(uploadLockKey(id));
    const keys = new Set(Array.from({ length: 10_000 }, (_, i) => uploadLockKey(i.toString(16).padStart(32, '0'))));
    expect(keys.size).toBe(10_000);
    expect(jobLockKey(id)).not.toBe(uploadLockKey(id));
  });
});
