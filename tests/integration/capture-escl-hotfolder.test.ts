/**
 * eSCL against the protocol-faithful test server (tests/support/escl-server.ts) over real HTTP, and the hot
 * folder on a real temporary directory, through the same CaptureService the app and the CLI use.
 */
import { mkdtemp, mkdir, readdir, rm, writeFile, appendFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureService, type CaptureItem } from '../../electron/services/capture/capture-service';
import { EsclSource } from '../../electron/services/capture/escl';
import { HotFolderSource } from '../../electron/services/capture/hot-folder';
import type { ScanSettings } from '../../shared/capture/capture';
import { describeError } from '../../shared/i18n/error-messages';
import { startEsclServer, type EsclTestServer } from '../support/escl-server';
import { makeJpeg } from '../support/images';
import { PDFDocument } from 'pdf-lib';
import { execFileSync } from 'node:child_process';

const feeder: ScanSettings = { paperSource: 'feeder', colourMode: 'color', dpi: 200 };

async function runJob(service: CaptureService, device: string, settings: ScanSettings, onItem?: (item: CaptureItem, all: CaptureItem[]) => Promise<void> | void) {
  const items: CaptureItem[] = [];
  const end = await service.runToEnd(device, settings, async (item) => {
    items.push(item);
    await onItem?.(item, items);
  });
  return { items, end };
}

describe('eSCL client against the test server', () => {
  let server: EsclTestServer;
  let service: CaptureService;
  let device: string;

  beforeAll(async () => {
    server = await startEsclServer({ feederPages: 3 });
    service = new CaptureService([new EsclSource([{ label: 'Máy quét tầng 1', url: server.url }], { maxRetryAfterSeconds: 1 })]);
    device = `escl:${server.url}`;
  });
  afterAll(() => server.close());

  it('lists the scanner from its capabilities', async () => {
    const { devices } = await service.listDevices();
    expect(devices).toEqual([
      { id: device, kind: 'escl', label: 'Máy quét tầng 1 — Test MFP eSCL', paperSources: ['flatbed', 'feeder'], colourModes: ['color', 'gray'], resolutions: [100, 200, 300] },
    ]);
  });

  it('a feeder job: 503 with Retry-After is waited out, pages arrive byte for byte, 404 ends the job', async () => {
    server.setScript({ feederPages: 3, busyBeforeEachPage: 1, retryAfterSeconds: 1, busyOnCreate: 1 });
    server.log.length = 0;
    const { items, end } = await runJob(service, device, feeder);
    expect(end).toMatchObject({ state: 'done', pagesSoFar: 3 });
    expect(items).toHaveLength(3);
    for (const item of items) if (item.kind === 'page') expect(Buffer.from(item.bytes).equals(Buffer.from(server.pageBytes))).toBe(true);
    const nextDocs = server.log.filter((l) => l.endsWith('/NextDocument'));
    // Per page: one 503 then the 200; then the 404 that ends the job.
    expect(nextDocs).toHaveLength(3 * 2 + 1);
    expect(server.log.filter((l) => l === 'POST /eSCL/ScanJobs')).toHaveLength(2);
    const settings = server.settings.at(-1) ?? '';
    expect(settings).toContain('<pwg:InputSource>Feeder</pwg:InputSource>');
    expect(settings).toContain('<scan:XResolution>200</scan:XResolution>');
    expect(settings).toContain('<scan:ColorMode>RGB24</scan:ColorMode>');
  });

  it('410 (cancelled at the device) keeps the pages received and says so', async () => {
    server.setScript({ feederPages: 5, cancelAfterPages: 2 });
    const { items, end } = await runJob(service, device, feeder);
    expect(items.filter((i) => i.kind === 'page')).toHaveLength(2);
    expect(end.state).toBe('failed');
    expect(end.error).toEqual({ code: 'CAPTURE_JOB_CANCELLED', details: { device: server.url, pages: 2 } });
  });

  it('an empty feeder: 404 with no page, and ScannerStatus says ScannerAdfEmpty', async () => {
    server.setScript({ feederPages: 0 });
    const { items, end } = await runJob(service, device, feeder);
    expect(items).toHaveLength(0);
    expect(end.error?.code).toBe('CAPTURE_FEEDER_EMPTY');
  });

  it('the clerk cancelling deletes the job at the device', async () => {
    server.setScript({ feederPages: 5, busyBeforeEachPage: 1, retryAfterSeconds: 1 });
    server.log.length = 0;
    const { jobId } = service.start(device, feeder);
    const first = await service.poll(jobId, 0, 5000);
    expect(first.items.length + (first.state === 'running' ? 0 : 1)).toBeGreaterThan(0);
    service.cancel(jobId);
    let poll = first;
    while (poll.state === 'running') poll = await service.poll(jobId, poll.next, 1000);
    expect(poll.state).toBe('cancelled');
    expect(server.log.some((l) => l.startsWith('DELETE /eSCL/ScanJobs/'))).toBe(true);
  });

  it('an unreachable scanner is left out of the list and refused when started', async () => {
    const offline = new CaptureService([new EsclSource([{ label: 'Tắt', url: 'http://127.0.0.1:9/eSCL' }], { requestTimeoutMs: 2000 })]);
    expect((await offline.listDevices()).devices).toEqual([]);
    const { end } = await runJob(offline, 'escl:http://127.0.0.1:9/eSCL', feeder);
    expect(end.error?.code).toBe('CAPTURE_SCANNER_UNREACHABLE');
  });
});

describe('hot folder', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'motcua-hot-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('takes complete files only, refuses bad ones with Vietnamese messages, and archives every file', async () => {
    const folder = path.join(root, 'scans');
    await mkdir(folder);
    const page = await makeJpeg({ widthPx: 400, heightPx: 560, dpi: 200, seed: 3 });
    await writeFile(path.join(folder, 'scan-001.jpg'), page);
    // A decompression bomb: a valid JPEG whose frame header claims 30000 × 30000 pixels.
    const bomb = Buffer.from(page);
    const sof = bomb.findIndex((b, i) => b === 0xff && (bomb[i + 1] === 0xc0 || bomb[i + 1] === 0xc2));
    bomb.writeUInt16BE(30000, sof + 5);
    bomb.writeUInt16BE(30000, sof + 7);
    await writeFile(path.join(folder, 'bomb.jpg'), bomb);
    await writeFile(path.join(folder, 'cut.jpg'), page.subarray(0, Math.floor(page.length / 2)));
    await writeFile(path.join(folder, 'note.txt'), 'không phải ảnh');
    // An encrypted PDF made by qpdf (AES-256, user password "mk").
    const plain = await PDFDocument.create();
    plain.addPage();
    await writeFile(path.join(root, 'plain.pdf'), await plain.save());
    execFileSync('qpdf', ['--encrypt', 'mk', 'owner-mk', '256', '--', path.join(root, 'plain.pdf'), path.join(folder, 'locked.pdf')]);
    await writeFile(path.join(folder, 'empty.jpg'), Buffer.alloc(0));
    await writeFile(path.join(folder, 'still-copying.jpg.part'), page);

    const service = new CaptureService([new HotFolderSource([{ label: 'Thư mục máy quét', path: folder, pollMs: 50 }])]);
    const { items, end } = await runJob(service, `hot-folder:${folder}`, { ...feeder, stopWhenIdle: true });
    expect(end.state).toBe('done');
    const byName = Object.fromEntries(items.map((i) => [i.kind === 'page' ? i.origin.name : i.name, i]));
    expect(byName['scan-001.jpg']).toMatchObject({ kind: 'page', info: { mediaType: 'image/jpeg', widthPx: 400, heightPx: 560, dpi: 200 } });
    const message = (name: string) => {
      const item = byName[name];
      return item?.kind === 'rejected' ? describeError('vi', item.error.code, item.error.details) : `not rejected: ${name}`;
    };
    expect(message('bomb.jpg')).toBe('Ảnh "bomb.jpg" quá lớn (30000 × 30000 điểm ảnh) nên không được mở, để tránh treo máy. Hãy quét lại ở độ phân giải 200–300 dpi.');
    expect(message('cut.jpg')).toBe('Ảnh "cut.jpg" bị cắt cụt (tệp chưa ghi xong hoặc bị lỗi). Hãy quét lại trang này.');
    expect(message('note.txt')).toBe('Tệp "note.txt" không phải ảnh JPEG, PNG, TIFF hay tệp PDF nên không đưa vào bàn làm việc được. Hãy chọn đúng tệp (văn bản Word, Excel… hãy in ra PDF trước).');
    expect(message('locked.pdf')).toBe('Tệp PDF "locked.pdf" có mật khẩu. Hãy xin bản không khóa hoặc in ra rồi quét lại.');
    expect(message('empty.jpg')).toBe('Tệp "empty.jpg" rỗng (0 byte). Hãy quét hoặc chọn lại tệp.');
    expect(byName['still-copying.jpg.part']).toBeUndefined();
    expect((await readdir(folder)).sort()).toEqual(['da-nhan', 'still-copying.jpg.part']);
    expect((await readdir(path.join(folder, 'da-nhan'))).sort()).toEqual(['bomb.jpg', 'cut.jpg', 'empty.jpg', 'locked.pdf', 'note.txt', 'scan-001.jpg']);
  });

  it('a file still growing is not taken until its size is stable', async () => {
    const folder = path.join(root, 'growing');
    await mkdir(folder);
    const page = await makeJpeg({ widthPx: 300, heightPx: 420, dpi: 200, seed: 4 });
    const target = path.join(folder, 'slow.jpg');
    await writeFile(target, page.subarray(0, 1000));
    const service = new CaptureService([new HotFolderSource([{ label: 'Chậm', path: folder, pollMs: 100, stablePolls: 3 }])]);
    const { jobId } = service.start(`hot-folder:${folder}`, feeder);
    // The writer appends the rest a piece at a time, each before the file could look stable.
    for (let at = 1000; at < page.length; at += 4000) {
      await appendFile(target, page.subarray(at, Math.min(page.length, at + 4000)));
      const poll = await service.poll(jobId, 0, 0);
      expect(poll.items).toHaveLength(0);
      await new Promise((r) => setTimeout(r, 60));
    }
    let poll = await service.poll(jobId, 0, 5000);
    while (poll.items.length === 0) poll = await service.poll(jobId, 0, 5000);
    service.cancel(jobId);
    expect(poll.items[0]).toMatchObject({ kind: 'page', info: { widthPx: 300, heightPx: 420 } });
  });

  it('an unreadable folder is a clear error', async () => {
    const missing = path.join(root, 'khong-co');
    const service = new CaptureService([new HotFolderSource([{ label: 'Mất', path: missing, archivePath: path.join(root, 'archive-x'), pollMs: 50 }])]);
    const { end } = await runJob(service, `hot-folder:${missing}`, feeder);
    expect(end.error?.code).toBe('CAPTURE_HOT_FOLDER_UNREADABLE');
    expect(describeError('vi', end.error?.code ?? 'INTERNAL', end.error?.details)).toContain(`Không đọc được thư mục nhận ảnh quét "${missing}" (ENOENT)`);
    if (process.getuid?.() !== 0) {
      // Permission denied is only testable as a non-root user (root reads anything).
      const locked = path.join(root, 'locked');
      await mkdir(locked);
      await chmod(locked, 0o000);
      const lockedService = new CaptureService([new HotFolderSource([{ label: 'Khóa', path: locked, archivePath: path.join(root, 'archive-y'), pollMs: 50 }])]);
      expect((await runJob(lockedService, `hot-folder:${locked}`, feeder)).end.error?.code).toBe('CAPTURE_HOT_FOLDER_UNREADABLE');
    }
  });
});
