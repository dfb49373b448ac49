/**
 * SANE scanners through `scanimage` (Debian's sane-utils). Batch mode writes one file per page and, with
 * `--batch-print`, names each file on stdout only once it is complete — so each line is a page to pick up
 * while the feeder keeps running. The exit status and stderr tell why a batch stopped.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { AppError } from '../../../shared/errors';
import type { CaptureDevice, ColourMode, PaperSource, ScanSettings } from '../../../shared/capture/capture';
import { PageQueue, pickResolution, type CaptureSource, type RawPage, type ScanRequest } from './source';

const run = promisify(execFile);

export interface SaneSourceOptions {
  /** The scanimage binary (default: `scanimage` on PATH). */
  readonly command?: string;
  /** Only these devices are offered (SANE names, e.g. `genesys:libusb:001:004`); all when absent. */
  readonly devices?: readonly string[];
  /** Seen by tests, to make a scanner vanish mid-batch (SIGKILL) like a pulled cable. */
  readonly onProcess?: (child: ChildProcess) => void;
  /** Where batch files are written while a scan runs (default: the OS temp dir). */
  readonly tempDir?: string;
  /** Extra backend options per device, from configuration. */
  readonly deviceOptions?: Readonly<Record<string, readonly string[]>>;
}

/** The options of one device that matter to us, as `scanimage -A` lists them. */
export interface SaneDeviceOptions {
  /** Value names of `--source`, as the backend spells them (e.g. "Flatbed", "ADF Duplex"). */
  readonly sources: readonly string[];
  readonly modes: readonly string[];
  /** Discrete resolutions, or a range. */
  readonly resolutions: { readonly kind: 'list'; readonly values: readonly number[] } | { readonly kind: 'range'; readonly min: number; readonly max: number } | null;
  /** Largest scan width/height in mm (`-x`/`-y`), when the backend lets them be set. */
  readonly maxWidthMm: number | null;
  readonly maxHeightMm: number | null;
}

// LC_ALL=C: the messages parsed below are scanimage's English ones, whatever the PC's locale.
const childEnv = (): NodeJS.ProcessEnv => ({ ...process.env, LC_ALL: 'C', LANGUAGE: 'C' });

/** `scanimage -f '%d|%v|%m|%t%n'` output → devices (names may contain ':' but never '|'). */
export function parseSaneDeviceList(stdout: string): { name: string; label: string }[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes('|'))
    .map((line) => {
      const [name = '', vendor = '', model = '', type = ''] = line.split('|');
      return { name, label: [vendor, model, type ? `(${type})` : ''].filter(Boolean).join(' ') };
    })
    .filter((d) => d.name.length > 0);
}

/** Parses the device-specific part of `scanimage -d <dev> -A`. Inactive options are skipped. */
export function parseSaneOptions(stdout: string): SaneDeviceOptions {
  const option = (flag: string): string | null => {
    const re = new RegExp(`^\\s*${flag.replace(/-/g, '\\-')}[ =](.+?)\\s*$`, 'm');
    const match = re.exec(stdout);
    if (!match?.[1] || /\[inactive\]\s*$/.test(match[1])) return null;
    return match[1].replace(/\s*\[[^\]]*\]\s*$/, '');
  };
  const list = (flag: string): string[] => {
    const value = option(flag);
    return value ? value.split('|').map((v) => v.trim()).filter(Boolean) : [];
  };
  let resolutions: SaneDeviceOptions['resolutions'] = null;
  const res = option('--resolution');
  if (res) {
    const range = /^(\d+)\.\.(\d+)\s*dpi/.exec(res);
    if (range) resolutions = { kind: 'range', min: Number(range[1]), max: Number(range[2]) };
    else {
      const values = res.replace(/dpi.*$/, '').split('|').map(Number).filter((n) => Number.isFinite(n) && n > 0);
      if (values.length) resolutions = { kind: 'list', values };
    }
  }
  const maxMm = (flag: string): number | null => {
    const value = option(flag);
    const match = value ? /\.\.([\d.]+)\s*mm/.exec(value) : null;
    return match ? Number(match[1]) : null;
  };
  return { sources: list('--source'), modes: list('--mode'), resolutions, maxWidthMm: maxMm('-x'), maxHeightMm: maxMm('-y') };
}

const isFeeder = (s: string) => /adf|feeder|automatic document/i.test(s);
const isDuplex = (s: string) => /duplex/i.test(s);

/** Which backend value names give each of our paper sources. */
function saneSourceValue(options: SaneDeviceOptions, wanted: PaperSource): string | null {
  if (options.sources.length === 0) return null;
  switch (wanted) {
    case 'flatbed':
      return options.sources.find((s) => /flatbed|platen|glass|normal/i.test(s)) ?? null;
    case 'feeder':
      return options.sources.find((s) => isFeeder(s) && !isDuplex(s)) ?? null;
    case 'feeder-duplex':
      return options.sources.find((s) => isDuplex(s)) ?? null;
  }
}

function saneModeValue(options: SaneDeviceOptions, wanted: ColourMode): string | null {
  return options.modes.find((m) => (wanted === 'color' ? /colou?r/i.test(m) : /gr[ae]y/i.test(m))) ?? null;
}

function offeredPaperSources(options: SaneDeviceOptions): PaperSource[] {
  if (options.sources.length === 0) return ['flatbed'];
  return (['flatbed', 'feeder', 'feeder-duplex'] as const).filter((s) => saneSourceValue(options, s) !== null);
}

function offeredResolutions(options: SaneDeviceOptions): number[] {
  const common = [150, 200, 300, 400, 600];
  const r = options.resolutions;
  if (!r) return [];
  return r.kind === 'list' ? [...r.values] : common.filter((v) => v >= r.min && v <= r.max);
}

/** The scanimage arguments for one batch. Exported for its unit test. */
export function saneScanArgs(device: string, options: SaneDeviceOptions, settings: ScanSettings, batchPattern: string): string[] {
  const args = ['-d', device, '--format=jpeg', `--batch=${batchPattern}`, '--batch-print'];
  const source = saneSourceValue(options, settings.paperSource);
  if (options.sources.length > 0) {
    if (!source) throw new AppError('CAPTURE_SCANNER_ERROR', { device, reason: `no paper source "${settings.paperSource}"` });
    args.push('--source', source);
  }
  const mode = saneModeValue(options, settings.colourMode);
  if (mode) args.push('--mode', mode);
  if (options.resolutions) {
    const dpi = options.resolutions.kind === 'list' ? pickResolution(options.resolutions.values, settings.dpi) : Math.min(Math.max(settings.dpi, options.resolutions.min), options.resolutions.max);
    args.push('--resolution', String(dpi));
  }
  // A4 (210 × 297 mm), or the whole bed when it is smaller: many backends default to a smaller area.
  if (options.maxWidthMm !== null) args.push('-x', String(Math.min(210, options.maxWidthMm)));
  if (options.maxHeightMm !== null) args.push('-y', String(Math.min(297, options.maxHeightMm)));
  // A flatbed has no "out of documents": without a count, batch mode would scan the glass forever.
  const count = settings.paperSource === 'flatbed' ? Math.min(settings.maxPages ?? 1, 1) : settings.maxPages;
  if (count !== undefined) args.push(`--batch-count=${count}`);
  return args;
}

/** SANE_Status values (sane.h), which scanimage also uses as its exit status. */
const saneStatus = { DEVICE_BUSY: 3, JAMMED: 6, NO_DOCS: 7, COVER_OPEN: 8, IO_ERROR: 9, ACCESS_DENIED: 11 } as const;

/**
 * Why a batch ended, from scanimage's exit and stderr, given how many pages were picked up. Null when the
 * batch simply ended (including "out of documents" after at least one page: the feeder was emptied).
 */
export function saneOutcome(exit: { code: number | null; signal: NodeJS.Signals | null }, stderr: string, pages: number, device: string): AppError | null {
  const statusMatch = /scanner status = (\d+)/.exec(stderr);
  const code = exit.code ?? -1;
  const said = (re: RegExp) => re.test(stderr);
  if (exit.signal) return new AppError('CAPTURE_DEVICE_LOST', { device, pages });
  if (said(/open of device .* failed/i)) {
    return said(/busy/i) ? new AppError('CAPTURE_DEVICE_BUSY', { device }) : new AppError('CAPTURE_DEVICE_NOT_FOUND', { device });
  }
  const status = code !== 0 ? code : statusMatch ? Number(statusMatch[1]) : 0;
  if (said(/out of documents/i) || status === saneStatus.NO_DOCS) return pages === 0 ? new AppError('CAPTURE_FEEDER_EMPTY', { device }) : null;
  if (said(/jammed/i) || status === saneStatus.JAMMED) return new AppError('CAPTURE_PAPER_JAM', { device, pages });
  if (said(/cover.*open/i) || status === saneStatus.COVER_OPEN) return new AppError('CAPTURE_COVER_OPEN', { device });
  if (said(/device busy/i) || status === saneStatus.DEVICE_BUSY) return new AppError('CAPTURE_DEVICE_BUSY', { device });
  if (said(/I\/O/i) || status === saneStatus.IO_ERROR) return new AppError('CAPTURE_DEVICE_LOST', { device, pages });
  if (code !== 0) {
    const reason = stderr.split('\n').filter((l) => l.startsWith('scanimage:')).pop()?.replace(/^scanimage:\s*/, '') ?? `exit ${code}`;
    return new AppError('CAPTURE_SCANNER_ERROR', { device, reason });
  }
  return null;
}

export class SaneSource implements CaptureSource {
  readonly kind = 'sane' as const;
  private readonly command: string;

  constructor(private readonly options: SaneSourceOptions = {}) {
    this.command = options.command ?? 'scanimage';
  }

  private async exec(args: string[]): Promise<string> {
    try {
      const { stdout } = await run(this.command, args, { env: childEnv(), timeout: 60_000, maxBuffer: 4 * 1024 * 1024 });
      return stdout;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('CAPTURE_TOOL_MISSING', { tool: 'scanimage (sane-utils)' });
      throw err;
    }
  }

  async deviceOptions(device: string): Promise<SaneDeviceOptions> {
    try {
      return parseSaneOptions(await this.exec(['-d', device, '-A']));
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('CAPTURE_DEVICE_NOT_FOUND', { device }, { cause: err });
    }
  }

  async listDevices(): Promise<CaptureDevice[]> {
    const found = parseSaneDeviceList(await this.exec(['-f', '%d|%v|%m|%t%n']));
    const wanted = this.options.devices ? found.filter((d) => this.options.devices?.includes(d.name)) : found;
    const devices: CaptureDevice[] = [];
    for (const d of wanted) {
      const opts = await this.deviceOptions(d.name).catch(() => null);
      if (!opts) continue;
      devices.push({
        id: `sane:${d.name}`,
        kind: 'sane',
        label: `${d.label} — ${d.name}`,
        paperSources: offeredPaperSources(opts),
        colourModes: (['color', 'gray'] as const).filter((m) => saneModeValue(opts, m) !== null),
        resolutions: offeredResolutions(opts),
      });
    }
    return devices;
  }

  scan(request: ScanRequest): AsyncIterable<RawPage> {
    const queue = new PageQueue<RawPage>();
    void this.runBatch(request, queue).catch((err: unknown) => queue.fail(err));
    return queue;
  }

  private async runBatch({ deviceId, settings, signal }: ScanRequest, queue: PageQueue<RawPage>): Promise<void> {
    const options = await this.deviceOptions(deviceId);
    const dir = await mkdtemp(path.join(this.options.tempDir ?? os.tmpdir(), 'motcua-sane-'));
    const args = [...saneScanArgs(deviceId, options, settings, path.join(dir, 'page-%04d.jpg')), ...(this.options.deviceOptions?.[deviceId] ?? [])];
    const child = spawn(this.command, args, { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.options.onProcess?.(child);
    const onAbort = () => child.kill('SIGTERM');
    signal.addEventListener('abort', onAbort, { once: true });

    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      // Keep the tail only: a long batch prints two lines per page.
      stderr = (stderr + chunk).slice(-8192);
    });
    let pages = 0;
    // Files are read strictly in the order scanimage names them.
    let pickUp: Promise<void> = Promise.resolve();
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const file = line.trim();
      if (!file) return;
      pickUp = pickUp.then(async () => {
        const bytes = new Uint8Array(await readFile(file));
        pages++;
        queue.push({ name: path.basename(file), bytes });
        await rm(file, { force: true });
      });
    });

    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new AppError('CAPTURE_TOOL_MISSING', { tool: 'scanimage (sane-utils)' }) : err));
      child.once('close', (code, sig) => resolve({ code, signal: sig }));
    }).finally(() => signal.removeEventListener('abort', onAbort));
    try {
      await pickUp;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const failure = signal.aborted ? null : saneOutcome(exit, stderr, pages, deviceId);
    if (failure) queue.fail(failure);
    else queue.end();
  }
}
