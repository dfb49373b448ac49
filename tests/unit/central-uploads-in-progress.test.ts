/**
 * The per-device count of uploads in progress (central/src/uploads.ts, issue 17 finding 10): a slot is taken by a
 * new upload and freed when it completes; an upload that received nothing for the stale time (the upload idle
 * timeout) no longer counts, so a counter that abandoned a few is not blocked until the sweep removes them days later.
 */
import { describe, expect, it } from 'vitest';
import { UploadsInProgress } from '../../central/src/uploads';

describe('UploadsInProgress', () => {
  it('refuses a device at its limit, per device, and frees a slot on finish', () => {
    const uploads = new UploadsInProgress(2, 120_000, () => 0);
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

  it('keeps an upload whose PATCH is still open in progress, however long it lasts', () => {
    let now = 0;
    const uploads = new UploadsInProgress(1, 60_000, () => now);
    uploads.touch('a', 'slow-link');
    uploads.touch('a', 'slow-link', true);
    now = 600_000;
    expect(() => uploads.requireSlot('a')).toThrow('CENTRAL_UPLOADS_BUSY');
    uploads.patchEnded('a', 'slow-link');
    // Ended just now: still in progress (the counter resumes it), until idle for the stale time.
    expect(uploads.count('a')).toBe(1);
    now = 660_000;
    expect(uploads.count('a')).toBe(0);
    // An end with no open PATCH (another device's id, a rejected request) changes nothing.
    uploads.patchEnded('a', 'slow-link');
    expect(uploads.count('a')).toBe(0);
  });
});
