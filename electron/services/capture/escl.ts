/**
 * eSCL ("AirScan", Mopria): driverless network scanning over HTTP with XML bodies. The flow real clients
 * follow: GET ScannerCapabilities → POST ScanJobs (201 + Location) → GET <job>/NextDocument until 404
 * (end of job), waiting on 503 as Retry-After says, stopping on 410 (the job was cancelled or aborted at the
 * device); DELETE <job> cancels; ScannerStatus tells an empty feeder from an ended job.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { AppError } from '../../../shared/errors';
import type { CaptureDevice, ColourMode, PaperSource, ScanSettings } from '../../../shared/capture/capture';
import { pickResolution, sleep, type CaptureSource, type RawPage, type ScanRequest } from './source';

export interface EsclScannerConfig {
  readonly label: string;
  /** The eSCL root, e.g. `http://192.168.1.20/eSCL` (from the device's mDNS `rs` record). */
  readonly url: string;
}

export interface EsclCapabilities {
  readonly makeAndModel: string;
  readonly platen: EsclInputCaps | null;
  readonly adfSimplex: EsclInputCaps | null;
  readonly adfDuplex: EsclInputCaps | null;
}

interface EsclInputCaps {
  readonly colorModes: readonly string[];
  readonly resolutions: readonly number[];
  readonly formats: readonly string[];
}

export interface EsclStatus {
  readonly state: string;
  readonly adfState: string | null;
}

export interface EsclClientOptions {
  /** Longest wait honoured from one Retry-After (seconds); a device asking more is asked again sooner. */
  readonly maxRetryAfterSeconds?: number;
  /** 503 answers tolerated in a row before the scanner is declared stuck. */
  readonly maxBusyRetries?: number;
  readonly requestTimeoutMs?: number;
}

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, trimValues: true });
const arrayOf = <T>(value: T | T[] | undefined | null): T[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
type XmlNode = Record<string, unknown>;
const node = (value: unknown): XmlNode => (value && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : {});
const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

function inputCaps(value: unknown): EsclInputCaps | null {
  const caps = node(value);
  if (Object.keys(caps).length === 0) return null;
  const profiles = arrayOf(node(caps.SettingProfiles).SettingProfile).map(node);
  const colorModes = new Set<string>();
  const resolutions = new Set<number>();
  const formats = new Set<string>();
  for (const profile of profiles) {
    for (const m of arrayOf(node(profile.ColorModes).ColorMode)) colorModes.add(text(m));
    const supported = node(profile.SupportedResolutions);
    for (const r of arrayOf(node(supported.DiscreteResolutions).DiscreteResolution)) {
      const x = Number(text(node(r).XResolution));
      if (x > 0) resolutions.add(x);
    }
    const formatNode = node(profile.DocumentFormats);
    for (const f of [...arrayOf(formatNode.DocumentFormat), ...arrayOf(formatNode.DocumentFormatExt)]) formats.add(text(f));
  }
  return { colorModes: [...colorModes], resolutions: [...resolutions].sort((a, b) => a - b), formats: [...formats] };
}

export function parseEsclCapabilities(xml: string): EsclCapabilities {
  const root = node(node(parser.parse(xml)).ScannerCapabilities);
  const adf = node(root.Adf);
  return {
    makeAndModel: text(root.MakeAndModel),
    platen: inputCaps(node(root.Platen).PlatenInputCaps),
    adfSimplex: inputCaps(adf.AdfSimplexInputCaps),
    adfDuplex: inputCaps(adf.AdfDuplexInputCaps ?? (adf.AdfSimplexInputCaps && /Duplex/.test(JSON.stringify(adf.AdfOptions ?? '')) ? adf.AdfSimplexInputCaps : undefined)),
  };
}

export function parseEsclStatus(xml: string): EsclStatus {
  const root = node(node(parser.parse(xml)).ScannerStatus);
  const adf = text(root.AdfState);
  return { state: text(root.State), adfState: adf || null };
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: false, suppressEmptyNode: true });

/** The ScanSettings document for a job (A4 region in 1/300 inch, JPEG so the PDF embeds it untouched). */
export function esclScanSettingsXml(settings: ScanSettings, caps: EsclCapabilities): string {
  const input = settings.paperSource === 'flatbed' ? caps.platen : settings.paperSource === 'feeder' ? caps.adfSimplex : caps.adfDuplex;
  const dpi = pickResolution(input?.resolutions ?? [], settings.dpi);
  const colorMode = esclColorMode(input?.colorModes ?? [], settings.colourMode);
  const body = {
    '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
    'scan:ScanSettings': {
      '@xmlns:scan': 'http://schemas.hp.com/imaging/escl/2011/05/03',
      '@xmlns:pwg': 'http://www.pwg.org/schemas/2010/12/sm',
      'pwg:Version': '2.0',
      'scan:Intent': 'Document',
      'pwg:ScanRegions': {
        'pwg:ScanRegion': {
          'pwg:ContentRegionUnits': 'escl:ThreeHundredthsOfInches',
          'pwg:XOffset': 0,
          'pwg:YOffset': 0,
          'pwg:Width': 2480,
          'pwg:Height': 3508,
        },
      },
      'pwg:InputSource': settings.paperSource === 'flatbed' ? 'Platen' : 'Feeder',
      ...(settings.paperSource === 'feeder-duplex' ? { 'scan:Duplex': 'true' } : {}),
      'scan:ColorMode': colorMode,
      'scan:XResolution': dpi,
      'scan:YResolution': dpi,
      'pwg:DocumentFormat': 'image/jpeg',
      'scan:DocumentFormatExt': 'image/jpeg',
    },
  };
  return builder.build(body);
}

function esclColorMode(offered: readonly string[], wanted: ColourMode): string {
  const preferred = wanted === 'color' ? ['RGB24', 'RGB48'] : ['Grayscale8', 'Grayscale16'];
  return preferred.find((m) => offered.includes(m)) ?? preferred[0] ?? 'RGB24';
}

function paperSources(caps: EsclCapabilities): PaperSource[] {
  return [...(caps.platen ? ['flatbed' as const] : []), ...(caps.adfSimplex ? ['feeder' as const] : []), ...(caps.adfDuplex ? ['feeder-duplex' as const] : [])];
}

/** Seconds to wait from a Retry-After header (seconds or an HTTP date), bounded. */
export function retryAfterMs(header: string | null, maxSeconds: number, now = Date.now()): number {
  if (!header) return 1000;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header.trim()) : (Date.parse(header) - now) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return 1000;
  return Math.min(seconds, maxSeconds) * 1000;
}

export class EsclSource implements CaptureSource {
  readonly kind = 'escl' as const;
  private readonly maxRetryAfterSeconds: number;
  private readonly maxBusyRetries: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly scanners: readonly EsclScannerConfig[],
    options: EsclClientOptions = {},
  ) {
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 10;
    this.maxBusyRetries = options.maxBusyRetries ?? 60;
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  private base(url: string): string {
    return url.replace(/\/+$/, '');
  }

  private async request(url: string, device: string, init: RequestInit = {}, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      return await fetch(url, { ...init, redirect: 'error', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw new AppError('CAPTURE_SCANNER_UNREACHABLE', { device }, { cause });
    }
  }

  async capabilities(url: string): Promise<EsclCapabilities> {
    const response = await this.request(`${this.base(url)}/ScannerCapabilities`, url);
    if (!response.ok) throw new AppError('CAPTURE_SCANNER_ERROR', { device: url, reason: `ScannerCapabilities HTTP ${response.status}` });
    return parseEsclCapabilities(await response.text());
  }

  async status(url: string): Promise<EsclStatus> {
    const response = await this.request(`${this.base(url)}/ScannerStatus`, url);
    if (!response.ok) throw new AppError('CAPTURE_SCANNER_ERROR', { device: url, reason: `ScannerStatus HTTP ${response.status}` });
    return parseEsclStatus(await response.text());
  }

  async listDevices(): Promise<CaptureDevice[]> {
    const devices: CaptureDevice[] = [];
    for (const scanner of this.scanners) {
      // An unreachable network scanner is left out of the list, not an error for the others.
      const caps = await this.capabilities(scanner.url).catch(() => null);
      if (!caps) continue;
      const inputs = [caps.platen, caps.adfSimplex, caps.adfDuplex].filter((c): c is EsclInputCaps => c !== null);
      const modes = new Set(inputs.flatMap((c) => c.colorModes));
      devices.push({
        id: `escl:${scanner.url}`,
        kind: 'escl',
        label: `${scanner.label}${caps.makeAndModel ? ` — ${caps.makeAndModel}` : ''}`,
        paperSources: paperSources(caps),
        colourModes: [...(modes.has('RGB24') || modes.has('RGB48') ? ['color' as const] : []), ...(modes.has('Grayscale8') || modes.has('Grayscale16') ? ['gray' as const] : [])],
        resolutions: [...new Set(inputs.flatMap((c) => c.resolutions))].sort((a, b) => a - b),
      });
    }
    return devices;
  }

  async *scan({ deviceId: url, settings, signal }: ScanRequest): AsyncIterable<RawPage> {
    // The id arrives from the renderer: only a configured scanner's address is ever contacted (no SSRF).
    if (!this.scanners.some((s) => this.base(s.url) === this.base(url))) throw new AppError('CAPTURE_DEVICE_NOT_LISTED', { device: url });
    const base = this.base(url);
    const caps = await this.capabilities(url);
    const created = await this.createJob(base, url, esclScanSettingsXml(settings, caps), signal);
    const jobUrl = new URL(created, base + '/').toString();
    let pages = 0;
    let busy = 0;
    let finished = false;
    try {
      while (!signal.aborted) {
        if (settings.maxPages !== undefined && pages >= settings.maxPages) break;
        const response = await this.request(`${jobUrl.replace(/\/+$/, '')}/NextDocument`, url, {}, signal);
        if (response.status === 200) {
          busy = 0;
          pages++;
          const type = response.headers.get('content-type') ?? '';
          const extension = type.includes('png') ? 'png' : type.includes('pdf') ? 'pdf' : 'jpg';
          yield { name: `escl-page-${String(pages).padStart(4, '0')}.${extension}`, bytes: new Uint8Array(await response.arrayBuffer()) };
          continue;
        }
        await response.body?.cancel();
        if (response.status === 503) {
          // The scanner is still producing the next page (or warming up): wait as it asks.
          if (++busy > this.maxBusyRetries) throw new AppError('CAPTURE_DEVICE_BUSY', { device: url });
          await sleep(retryAfterMs(response.headers.get('retry-after'), this.maxRetryAfterSeconds), signal);
          continue;
        }
        if (response.status === 404) {
          finished = true;
          if (pages === 0 && settings.paperSource !== 'flatbed') {
            const status = await this.status(url).catch(() => null);
            if (status?.adfState === 'ScannerAdfEmpty') throw new AppError('CAPTURE_FEEDER_EMPTY', { device: url });
          }
          return;
        }
        if (response.status === 410) {
          finished = true;
          throw new AppError('CAPTURE_JOB_CANCELLED', { device: url, pages });
        }
        throw new AppError('CAPTURE_SCANNER_ERROR', { device: url, reason: `NextDocument HTTP ${response.status}` });
      }
    } catch (err) {
      // A dropped connection mid-job: the device went away, the pages already yielded stay.
      if (err instanceof AppError && err.code === 'CAPTURE_SCANNER_UNREACHABLE' && pages > 0) throw new AppError('CAPTURE_DEVICE_LOST', { device: url, pages }, { cause: err });
      throw err;
    } finally {
      // Cancelled by the clerk, stopped at maxPages or failed: tell the device to drop the rest of the job.
      if (!finished) await this.request(jobUrl, url, { method: 'DELETE' }).then((r) => r.body?.cancel(), () => undefined);
    }
  }

  private async createJob(base: string, device: string, xml: string, signal: AbortSignal): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.request(`${base}/ScanJobs`, device, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml }, signal);
      await response.body?.cancel();
      if (response.status === 201) {
        const location = response.headers.get('location');
        if (!location) throw new AppError('CAPTURE_SCANNER_ERROR', { device, reason: 'ScanJobs without Location' });
        return location;
      }
      if ((response.status === 503 || response.status === 409) && attempt < 5) {
        await sleep(retryAfterMs(response.headers.get('retry-after'), this.maxRetryAfterSeconds), signal);
        continue;
      }
      if (response.status === 503 || response.status === 409) throw new AppError('CAPTURE_DEVICE_BUSY', { device });
      throw new AppError('CAPTURE_SCANNER_ERROR', { device, reason: `ScanJobs HTTP ${response.status}` });
    }
  }
}
