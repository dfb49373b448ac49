/**
 * SANE through the real `scanimage` and SANE's `test` backend (sane-utils; `test` enabled in
 * /etc/sane.d/dll.conf — `.ci/run` does it). Its feeder holds 10 pages, then reports "out of documents".
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CaptureService, type CaptureItem } from '../../electron/services/capture/capture-service';
import { SaneSource } from '../../electron/services/capture/sane';
import { describeError } from '../../shared/i18n/error-messages';
import type { ScanSettings } from '../../shared/capture/capture';

const feeder: ScanSettings = { paperSource: 'feeder', colourMode: 'color', dpi: 200 };

async function collect(service: CaptureService, device: string, settings: ScanSettings) {
  const items: CaptureItem[] = [];
  const end = await service.runToEnd(device, settings, (item) => {
    items.push(item);
  });
  return { items, end };
}

describe('SANE test backend through scanimage', () => {
  it('lists the test devices with their feeder, colour modes and resolutions', async () => {
    const { devices, problems } = await new CaptureService([new SaneSource()]).listDevices();
    expect(problems).toEqual([]);
    const test0 = devices.find((d) => d.id === 'sane:test:0');
    expect(test0).toMatchObject({ kind: 'sane', paperSources: ['flatbed', 'feeder'], colourModes: ['color', 'gray'] });
    expect(test0?.resolutions).toContain(200);
  });

  it('a feeder batch gives 10 pages, streamed, then ends normally when the feeder runs out', async () => {
    const { items, end } = await collect(new CaptureService([new SaneSource()]), 'sane:test:0', feeder);
    expect(end.state).toBe('done');
    expect(end.error).toBeUndefined();
    expect(items).toHaveLength(10);
    for (const item of items) {
      expect(item.kind).toBe('page');
      if (item.kind !== 'page') continue;
      expect(item.info).toMatchObject({ mediaType: 'image/jpeg', dpi: 200, pageCount: 1 });
      expect(item.origin.deviceId).toBe('sane:test:0');
    }
    expect(items.map((i) => (i.kind === 'page' ? i.origin.name : ''))).toEqual(Array.from({ length: 10 }, (_, i) => `page-${String(i + 1).padStart(4, '0')}.jpg`));
  });

  it('the flatbed gives exactly one page; grey mode gives a one-component JPEG', async () => {
    const { items, end } = await collect(new CaptureService([new SaneSource()]), 'sane:test:0', { paperSource: 'flatbed', colourMode: 'gray', dpi: 150 });
    expect(end.state).toBe('done');
    expect(items).toHaveLength(1);
  });

  it('an empty feeder is reported in Vietnamese, with no pages', async () => {
    // The test backend's read answering NO_DOCS is what a real feeder without paper does.
    const { items, end } = await collect(new CaptureService([new SaneSource({ command: `${process.cwd()}/tests/support/scanimage-with.sh` })]), 'sane:test:0', feeder);
    expect(items).toHaveLength(0);
    expect(end.state).toBe('failed');
    expect(end.error?.code).toBe('CAPTURE_FEEDER_EMPTY');
    expect(describeError('vi', end.error?.code ?? 'INTERNAL', end.error?.details)).toBe('Khay nạp giấy của máy quét "test:0" không có giấy. Hãy đặt giấy vào khay rồi quét lại.');
  });

  it('a scanner that vanishes mid-batch keeps the pages already scanned', async () => {
    let child: ChildProcess | undefined;
    // Slow pages (read delay) so the batch is still running when the "cable is pulled" (SIGKILL).
    const source = new SaneSource({ command: `${process.cwd()}/tests/support/scanimage-with.sh`, onProcess: (c) => (child = c) });
    const service = new CaptureService([source]);
    const items: CaptureItem[] = [];
    const end = await service.runToEnd('sane:test:1', feeder, (item) => {
      items.push(item);
      if (items.length === 3) child?.kill('SIGKILL');
    });
    expect(end.state).toBe('failed');
    expect(end.error).toEqual({ code: 'CAPTURE_DEVICE_LOST', details: { device: 'test:1', pages: expect.any(Number) as number } });
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.length).toBeLessThan(10);
    expect(items.every((i) => i.kind === 'page')).toBe(true);
  });

  it('an unknown device is refused clearly', async () => {
    const { end } = await collect(new CaptureService([new SaneSource()]), 'sane:test:9', feeder);
    expect(end.error?.code).toBe('CAPTURE_DEVICE_NOT_FOUND');
  });

  it('scanimage missing gives CAPTURE_TOOL_MISSING, not a crash', async () => {
    const { devices, problems } = await new CaptureService([new SaneSource({ command: '/nonexistent/scanimage' })]).listDevices();
    expect(devices).toEqual([]);
    expect(problems).toEqual([{ code: 'CAPTURE_TOOL_MISSING', details: { tool: 'scanimage (sane-utils)' } }]);
  });

  it('scanimage is installed with the test backend enabled', () => {
    expect(execFileSync('scanimage', ['-L'], { encoding: 'utf8' })).toContain('test:0');
  });
});
