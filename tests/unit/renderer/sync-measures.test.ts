// Small pure parts of the sync side: clock readings, measured throughput, free-space levels, durations.
import { describe, expect, it } from 'vitest';
import { judgeSpace, assertRoomForDossier, checkStorageSpace } from '../../../renderer/src/db/storage-space';
import { formatDuration } from '../../../renderer/src/features/sync/format';
import { measureOffset } from '../../../renderer/src/sync/clock';
import { createThroughputMeter } from '../../../renderer/src/sync/throughput';

const GB = 1024 ** 3;
const MB = 1024 ** 2;

describe('measureOffset', () => {
  it('compares the central’s stamp with the midpoint of the request', () => {
    const sent = Date.parse('2026-11-23T02:00:00.000Z');
    const reading = measureOffset('2026-11-23T02:10:00.500Z', sent, sent + 1_000);
    expect(reading).toEqual({ centralTime: '2026-11-23T02:10:00.500Z', counterTime: '2026-11-23T02:00:00.500Z', offsetMs: 600_000, roundTripMs: 1_000 });
    expect(measureOffset('not a time', sent, sent)).toBeUndefined();
  });
});

describe('throughput meter', () => {
  it('measures bytes over the time spent sending, ignoring pauses longer than the window', () => {
    let t = 0;
    const meter = createThroughputMeter(() => t, 30_000);
    meter.record(1_000_000);
    expect(meter.bytesPerSecond()).toBeUndefined();
    for (let i = 1; i <= 10; i++) {
      t = i * 1_000;
      meter.record(250_000);
    }
    expect(meter.bytesPerSecond()).toBe(250_000);
    // An hour offline, then sending resumes at a quarter of the speed: the old rate does not linger.
    t = 3_600_000;
    meter.record(100_000);
    expect(meter.bytesPerSecond()).toBe(250_000);
    for (let i = 1; i <= 4; i++) {
      t = 3_600_000 + i * 2_000;
      meter.record(125_000);
    }
    expect(meter.bytesPerSecond()).toBe(62_500);
  });
});

describe('storage space', () => {
  it('warns well before full and refuses new dossiers only when critical', () => {
    expect(judgeSpace(10 * GB, 100 * GB).level).toBe('ok');
    expect(judgeSpace(91 * GB, 100 * GB).level).toBe('low');
    expect(judgeSpace(1 * GB, 2.5 * GB).level).toBe('low');
    expect(judgeSpace(99.7 * GB, 100 * GB).level).toBe('critical');
    // The disk's real free space (from main) wins when smaller than the browser's quota.
    expect(judgeSpace(1 * GB, 100 * GB, 300 * MB)).toMatchObject({ level: 'critical', free: 300 * MB });
    expect(() => assertRoomForDossier(judgeSpace(99.9 * GB, 100 * GB))).toThrow(expect.objectContaining({ code: 'STORAGE_SPACE_LOW' }));
    expect(() => assertRoomForDossier(judgeSpace(1 * GB, 100 * GB))).not.toThrow();
    expect(() => assertRoomForDossier(undefined)).not.toThrow();
  });

  it('reads navigator.storage.estimate()', async () => {
    expect(await checkStorageSpace({ estimate: () => Promise.resolve({ usage: 5 * GB, quota: 6 * GB }) })).toMatchObject({ free: 1 * GB, level: 'low' });
    expect(await checkStorageSpace(undefined)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('rounds up and speaks the clerk’s language', () => {
    expect(formatDuration(12, 'vi')).toBe('12 giây');
    expect(formatDuration(61, 'vi')).toBe('2 phút');
    expect(formatDuration(3 * 3600 + 600, 'vi')).toBe('3 giờ 10 phút');
    expect(formatDuration(7200, 'en')).toBe('2 h');
  });
});
