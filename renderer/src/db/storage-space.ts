/**
 * Free space for the queue. The counter may hold days of scanned dossiers; a full disk can corrupt
 * IndexedDB. The clerk is warned well before that (level 'low'), and new dossiers are refused while
 * there is too little room to save one safely (level 'critical') — what is saved stays safe.
 */
import { AppError } from '../../../shared/errors';

type SpaceLevel = 'ok' | 'low' | 'critical';

export interface StorageSpace {
  /** Bytes this app's storage uses. */
  readonly usage: number;
  /** What the browser lets this origin use (Chromium: a share of the disk). */
  readonly quota: number;
  /** The smaller of quota − usage and the disk's real free space when main reports it. */
  readonly free: number;
  readonly level: SpaceLevel;
}

export interface SpaceThresholds {
  /** Below this much free space, warn. */
  readonly lowBytes: number;
  /** …or below this share of the quota. */
  readonly lowShare: number;
  /** Below this, refuse new dossiers (a large scanned dossier is ~50–100 MB). */
  readonly criticalBytes: number;
}

const defaultSpaceThresholds: SpaceThresholds = { lowBytes: 2 * 1024 ** 3, lowShare: 0.1, criticalBytes: 500 * 1024 ** 2 };

export function judgeSpace(usage: number, quota: number, diskFree?: number, thresholds: SpaceThresholds = defaultSpaceThresholds): StorageSpace {
  const quotaFree = Math.max(0, quota - usage);
  const free = diskFree === undefined ? quotaFree : Math.min(quotaFree, diskFree);
  const level: SpaceLevel = free < thresholds.criticalBytes ? 'critical' : free < thresholds.lowBytes || (quota > 0 && free < quota * thresholds.lowShare) ? 'low' : 'ok';
  return { usage, quota, free, level };
}

/** The part of `navigator.storage` used here (absent in some test environments). */
export interface StorageEstimator {
  estimate(): Promise<{ usage?: number; quota?: number }>;
}

/** undefined when the platform cannot tell (no StorageManager): the caller then does not block. */
export async function checkStorageSpace(storage: StorageEstimator | undefined, diskFree?: () => Promise<number | undefined>, thresholds?: SpaceThresholds): Promise<StorageSpace | undefined> {
  if (!storage) return undefined;
  const estimate = await storage.estimate();
  if (estimate.quota === undefined) return undefined;
  const disk = await diskFree?.().catch(() => undefined);
  return judgeSpace(estimate.usage ?? 0, estimate.quota, disk, thresholds);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** Refuses new work when the space is critical (STORAGE_SPACE_LOW); passes when it cannot be measured. */
export function assertRoomForDossier(space: StorageSpace | undefined): void {
  if (space?.level === 'critical') throw new AppError('STORAGE_SPACE_LOW', { free: formatBytes(space.free) });
}
