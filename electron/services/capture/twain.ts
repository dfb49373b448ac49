/**
 * TWAIN scanners on Windows through NAPS2's console program (NAPS2.Console.exe), when the installer has put
 * NAPS2 on the PC: TWAIN data sources need a 32/64-bit native host and a message loop, which NAPS2 provides.
 * Arguments follow NAPS2's AutomatedScanningOptions (`--noprofile --driver twain --device … --source
 * glass|feeder|duplex --dpi … --bitdepth color|gray --pagesize a4 -o <file>`); with an image output and
 * `$(nnnn)` in the name, every page becomes its own JPEG. NAPS2 writes the files when the batch ends, so
 * TWAIN pages arrive together, not one by one. Not run here (no Windows): only argument construction and
 * output parsing are tested.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../../shared/errors';
import type { CaptureDevice, ScanSettings } from '../../../shared/capture/capture';
import type { CaptureSource, RawPage, ScanRequest } from './source';

const run = promisify(execFile);

export const defaultNaps2Console = 'C:\\Program Files\\NAPS2\\NAPS2.Console.exe';

function naps2ListArgs(): string[] {
  return ['--listdevices', '--driver', 'twain'];
}

export function naps2ScanArgs(device: string, settings: ScanSettings, outDir: string): string[] {
  const source = settings.paperSource === 'flatbed' ? 'glass' : settings.paperSource === 'feeder' ? 'feeder' : 'duplex';
  return [
    '--noprofile',
    '--driver',
    'twain',
    '--device',
    device,
    '--source',
    source,
    '--dpi',
    String(settings.dpi),
    '--bitdepth',
    settings.colourMode === 'color' ? 'color' : 'gray',
    '--pagesize',
    'a4',
    '--jpegquality',
    '85',
    '-o',
    path.join(outDir, 'page-$(nnnn).jpg'),
    '--force',
    '--verbose',
  ];
}

/** `--listdevices` prints one device name per line. */
export function parseNaps2DeviceList(stdout: string): string[] {
  return stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/**
 * NAPS2's console reports problems as English sentences (its ConsoleResources); these patterns are our
 * reading of them, unverified on a real scanner.
 */
export function naps2Failure(output: string, device: string, pages: number): AppError | null {
  if (/no scanned pages|no pages|out of paper|feeder.*empty|paper empty/i.test(output)) return pages === 0 ? new AppError('CAPTURE_FEEDER_EMPTY', { device }) : null;
  if (/paper jam|jammed/i.test(output)) return new AppError('CAPTURE_PAPER_JAM', { device, pages });
  if (/busy|in use/i.test(output)) return new AppError('CAPTURE_DEVICE_BUSY', { device });
  if (/device.*not found|no device|offline|not connected|disconnected/i.test(output)) return pages === 0 ? new AppError('CAPTURE_DEVICE_NOT_FOUND', { device }) : new AppError('CAPTURE_DEVICE_LOST', { device, pages });
  if (/error|exception/i.test(output)) return new AppError('CAPTURE_SCANNER_ERROR', { device, reason: output.trim().split(/\r?\n/).pop() ?? 'NAPS2' });
  return null;
}

export class TwainSource implements CaptureSource {
  readonly kind = 'twain' as const;

  constructor(private readonly naps2 = defaultNaps2Console) {}

  private async exec(args: string[]): Promise<string> {
    try {
      const { stdout, stderr } = await run(this.naps2, args, { windowsHide: true, timeout: 30 * 60_000, maxBuffer: 4 * 1024 * 1024 });
      return stdout + stderr;
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
      if (e.code === 'ENOENT') throw new AppError('CAPTURE_TOOL_MISSING', { tool: 'NAPS2 (TWAIN)' });
      return `${e.stdout ?? ''}${e.stderr ?? ''}\nerror`;
    }
  }

  async listDevices(): Promise<CaptureDevice[]> {
    return parseNaps2DeviceList(await this.exec(naps2ListArgs())).map((name) => ({
      id: `twain:${name}`,
      kind: 'twain' as const,
      label: name,
      paperSources: ['flatbed', 'feeder', 'feeder-duplex'],
      colourModes: ['color', 'gray'],
      resolutions: [150, 200, 300, 600],
    }));
  }

  async *scan({ deviceId, settings }: ScanRequest): AsyncIterable<RawPage> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-twain-'));
    try {
      const output = await this.exec(naps2ScanArgs(deviceId, settings, dir));
      const files = (await readdir(dir)).filter((f) => /\.jpe?g$/i.test(f)).sort();
      for (const file of files) yield { name: file, bytes: new Uint8Array(await readFile(path.join(dir, file))) };
      const failure = naps2Failure(output, deviceId, files.length);
      if (failure) throw failure;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
