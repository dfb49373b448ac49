/**
 * The per-device count of uploads in progress (central/src/uploads.ts, issue 17 finding 10): a slot is taken by a
 * new upload and freed when it completes; an upload that received nothing for the stale time no longer counts,
 * so a counter that abandoned a few is not blocked until the sweep removes them days later.
 */
import { describe, expect, it } from 'vitest';
import { UPLOAD_IN_PROGRESS_STALE_MS, UploadsInProgress } from '../../central/src/uploads';

describe('UploadsInProgress', () => {
  it('refuses a device at its limit, per device, and frees a slot on finish', () => {
    const uploads = new UploadsInProgress(2, UPLOAD_IN_PROGRESS_STALE_MS, () => 0);
    uploads.requireSlot('a');
    uploads.touch('a', 'u1');
    uploads.requireSlot('a');
    uploads.touch('a', 'u2');
    expect(() => uploads.requireSlot('a')).toThrow('429 CENTRAL_UPLOADS_BUSY');
    expect(() => uploads.requireSlot('b')).not.toThrow();
    uploads.finish('a', 'u1');
    expect(uploads.count('a')).toBe(1);
    expect(() => uploads.requireSlot('a')).not.toThrow();
  });

  it('forgets uploads idle for the stale time; bytes received keep one in progress', () => {
    let now = 0;
    const uploads = new UploadsInProgress(2, 60_000, () => now);
    uploads.touch('a', 'abandoned');
    uploads.touch('a', 'active');
    now = 50_000;
    uploads.touch('a', 'active');
    expect(() => uploads.requireSlot('a')).toThrow('CENTRAL_UPLOADS_BUSY');
    now = 60_000;
    expect(uploads.count('a')).toBe(1);
    expect(() => uploads.requireSlot('a')).not.toThrow();
    now = 110_000;
    expect(uploads.count('a')).toBe(0);
  });
});
