/**
 * WIA 2.0 scanners on Windows through PowerShell and the WIA Automation COM library (WIA.DeviceManager),
 * which every Windows since Vista has. Built from Microsoft's documentation of the WIA property ids and
 * error codes; it cannot run on our Linux build machines, so only the script construction and the parsing of
 * its output are tested (docs/capture.md says so).
 *
 * The script prints one line per event: `DEVICE {json}`, `PAGE <path>` once a page file is written, and
 * `ERROR <hresult> <message>` before exiting non-zero.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { AppError } from '../../../shared/errors';
import type { CaptureDevice, ScanSettings } from '../../../shared/capture/capture';
import { PageQueue, type CaptureSource, type RawPage, type ScanRequest } from './source';

/** WIA property ids (wiadef.h) and values used below. */
const wiaProperty = {
  documentHandlingSelect: 3088, // WIA_DPS_DOCUMENT_HANDLING_SELECT: FEEDER 1, FLATBED 2, DUPLEX 4
  pages: 3096, // WIA_DPS_PAGES: 0 = all in the feeder
  currentIntent: 6146, // WIA_IPS_CUR_INTENT: COLOR 1, GRAYSCALE 2
  xResolution: 6147,
  yResolution: 6148,
} as const;

/** WIA Automation's JPEG format id (wiaFormatJPEG). */
const wiaFormatJpeg = '{B96B3CAE-0728-11D3-9D7B-0000F81EF32E}';

/** HRESULTs from the WIA error-code table and what the clerk is told. */
const wiaErrors: Readonly<Record<string, 'CAPTURE_FEEDER_EMPTY' | 'CAPTURE_PAPER_JAM' | 'CAPTURE_DEVICE_BUSY' | 'CAPTURE_DEVICE_LOST' | 'CAPTURE_COVER_OPEN' | 'CAPTURE_DEVICE_NOT_FOUND'>> = {
  '0x80210003': 'CAPTURE_FEEDER_EMPTY', // WIA_ERROR_PAPER_EMPTY
  '0x80210002': 'CAPTURE_PAPER_JAM', // WIA_ERROR_PAPER_JAM
  '0x80210006': 'CAPTURE_DEVICE_BUSY', // WIA_ERROR_BUSY
  '0x8021000D': 'CAPTURE_DEVICE_BUSY', // WIA_ERROR_DEVICE_LOCKED
  '0x80210005': 'CAPTURE_DEVICE_LOST', // WIA_ERROR_OFFLINE
  '0x8021000A': 'CAPTURE_DEVICE_LOST', // WIA_ERROR_DEVICE_COMMUNICATION
  '0x80210009': 'CAPTURE_DEVICE_LOST', // WIA_ERROR_ITEM_DELETED
  '0x80210016': 'CAPTURE_COVER_OPEN', // WIA_ERROR_COVER_OPEN
  '0x80210015': 'CAPTURE_DEVICE_NOT_FOUND', // WIA_S_NO_DEVICE_AVAILABLE
};

/**
 * A PowerShell single-quoted literal: nothing inside is interpreted, a quote is doubled. PowerShell takes
 * U+2018, U+2019, U+201A and U+201B as single quotes too, so they are doubled as well.
 */
export function psQuote(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`;
}

function wiaListScript(): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    '$manager = New-Object -ComObject WIA.DeviceManager',
    'foreach ($info in $manager.DeviceInfos) {',
    '  if ($info.Type -ne 1) { continue }', // 1 = ScannerDeviceType
    "  $name = $info.Properties.Item('Name').Value",
    "  Write-Output ('DEVICE ' + (@{ id = $info.DeviceID; name = $name } | ConvertTo-Json -Compress))",
    '}',
  ].join('\n');
}

/** The scan script for one batch: every value the clerk or config chose goes in as a quoted literal. */
export function wiaScanScript(deviceId: string, settings: ScanSettings, outDir: string): string {
  const handling = settings.paperSource === 'flatbed' ? 2 : settings.paperSource === 'feeder' ? 1 : 1 + 4;
  const intent = settings.colourMode === 'color' ? 1 : 2;
  const maxPages = settings.paperSource === 'flatbed' ? 1 : (settings.maxPages ?? 0);
  return [
    "$ErrorActionPreference = 'Stop'",
    `$deviceId = ${psQuote(deviceId)}`,
    `$outDir = ${psQuote(outDir)}`,
    `$maxPages = ${maxPages}`,
    'function Set-Prop($props, $id, $value) { foreach ($p in $props) { if ($p.PropertyID -eq $id) { $p.Value = $value; return } } }',
    'try {',
    '  $manager = New-Object -ComObject WIA.DeviceManager',
    '  $info = $null',
    '  foreach ($d in $manager.DeviceInfos) { if ($d.DeviceID -eq $deviceId) { $info = $d } }',
    "  if ($null -eq $info) { Write-Output 'ERROR 0x80210015 device not found'; exit 2 }",
    '  $device = $info.Connect()',
    `  Set-Prop $device.Properties ${wiaProperty.documentHandlingSelect} ${handling}`,
    `  Set-Prop $device.Properties ${wiaProperty.pages} ${settings.paperSource === 'flatbed' ? 1 : 0}`,
    '  $item = $device.Items.Item(1)',
    `  Set-Prop $item.Properties ${wiaProperty.currentIntent} ${intent}`,
    `  Set-Prop $item.Properties ${wiaProperty.xResolution} ${settings.dpi}`,
    `  Set-Prop $item.Properties ${wiaProperty.yResolution} ${settings.dpi}`,
    '  $n = 0',
    '  while ($true) {',
    '    try {',
    `      $image = $item.Transfer(${psQuote(wiaFormatJpeg)})`,
    '    } catch {',
    '      $code = \'0x{0:X8}\' -f $_.Exception.HResult',
    // The feeder running out after at least one page is the normal end of a batch.
    "      if ($code -eq '0x80210003' -and $n -gt 0) { break }",
    "      Write-Output ('ERROR ' + $code + ' ' + $_.Exception.Message); exit 3",
    '    }',
    '    $n++',
    "    $file = Join-Path $outDir ('page-{0:D4}.jpg' -f $n)",
    '    $image.SaveFile($file)',
    "    Write-Output ('PAGE ' + $file)",
    `    if (${settings.paperSource === 'flatbed' ? '$true' : '$false'} -or ($maxPages -gt 0 -and $n -ge $maxPages)) { break }`,
    '  }',
    '} catch {',
    "  Write-Output ('ERROR ' + ('0x{0:X8}' -f $_.Exception.HResult) + ' ' + $_.Exception.Message); exit 3",
    '}',
  ].join('\n');
}

/** powershell.exe arguments running a script given as -EncodedCommand (UTF-16LE base64: no quoting issues). */
export function powershellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')];
}

export type WiaLine = { kind: 'device'; id: string; name: string } | { kind: 'page'; path: string } | { kind: 'error'; hresult: string; message: string } | { kind: 'other'; text: string };

export function parseWiaLine(line: string): WiaLine {
  const text = line.trim();
  if (text.startsWith('DEVICE ')) {
    try {
      const value = JSON.parse(text.slice(7)) as { id?: unknown; name?: unknown };
      if (typeof value.id === 'string') return { kind: 'device', id: value.id, name: typeof value.name === 'string' ? value.name : value.id };
    } catch {
      // fall through: not one of our lines
    }
  }
  if (text.startsWith('PAGE ')) return { kind: 'page', path: text.slice(5) };
  const error = /^ERROR (0x[0-9A-Fa-f]{8})\s*(.*)$/.exec(text);
  if (error?.[1]) return { kind: 'error', hresult: `0x${error[1].slice(2).toUpperCase()}`, message: error[2] ?? '' };
  return { kind: 'other', text };
}

export function wiaError(hresult: string, message: string, device: string, pages: number): AppError {
  const code = wiaErrors[hresult];
  if (!code) return new AppError('CAPTURE_SCANNER_ERROR', { device, reason: `${hresult} ${message}`.trim() });
  return code === 'CAPTURE_PAPER_JAM' || code === 'CAPTURE_DEVICE_LOST' ? new AppError(code, { device, pages }) : new AppError(code, { device });
}

export class WiaSource implements CaptureSource {
  readonly kind = 'wia' as const;

  constructor(private readonly powershell = 'powershell.exe') {}

  private run(script: string, onLine: (line: WiaLine) => void): Promise<number | null> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.powershell, powershellArgs(script), { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
      readline.createInterface({ input: child.stdout }).on('line', (l) => onLine(parseWiaLine(l)));
      child.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new AppError('CAPTURE_TOOL_MISSING', { tool: 'PowerShell (WIA)' }) : err));
      child.once('close', resolve);
    });
  }

  async listDevices(): Promise<CaptureDevice[]> {
    const devices: CaptureDevice[] = [];
    await this.run(wiaListScript(), (line) => {
      if (line.kind === 'device') devices.push({ id: `wia:${line.id}`, kind: 'wia', label: line.name, paperSources: ['flatbed', 'feeder', 'feeder-duplex'], colourModes: ['color', 'gray'], resolutions: [150, 200, 300, 600] });
    });
    return devices;
  }

  scan({ deviceId, settings }: ScanRequest): AsyncIterable<RawPage> {
    const queue = new PageQueue<RawPage>();
    void (async () => {
      // The id arrives from the renderer and goes into a PowerShell script: only an id WIA itself listed is
      // accepted, whatever quoting could be fooled by (PowerShell also ends a '…' string at U+2018/U+2019/U+201A/U+201B).
      const listed = await this.listDevices();
      if (!listed.some((d) => d.id === `wia:${deviceId}`)) throw new AppError('CAPTURE_DEVICE_NOT_LISTED', { device: deviceId });
      const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-wia-'));
      let pages = 0;
      let failure: AppError | null = null;
      let pickUp: Promise<void> = Promise.resolve();
      try {
        await this.run(wiaScanScript(deviceId, settings, dir), (line) => {
          if (line.kind === 'page') {
            pickUp = pickUp.then(async () => {
              pages++;
              queue.push({ name: path.basename(line.path), bytes: new Uint8Array(await readFile(line.path)) });
            });
          } else if (line.kind === 'error') failure = wiaError(line.hresult, line.message, deviceId, pages);
        });
        await pickUp;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      if (failure) queue.fail(failure);
      else queue.end();
    })().catch((err: unknown) => queue.fail(err));
    return queue;
  }
}
