/**
 * A protocol-faithful eSCL (AirScan) scanner for tests, on a free loopback port: ScannerCapabilities,
 * ScannerStatus, POST ScanJobs → 201 + Location, GET <job>/NextDocument serving real JPEG bytes (made with
 * ImageMagick), 503 + Retry-After while a page is "being scanned", 404 at the end of the job, 410 once the
 * job was cancelled at the device, DELETE <job> to cancel. A script decides each job's behaviour; every
 * request is logged so tests can see what the client did.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { makeJpeg, a4Pixels } from './images';

export interface EsclScript {
  /** Pages in the feeder (platen jobs always give one). */
  readonly feederPages: number;
  /** 503 answers before each page (Retry-After below). */
  readonly busyBeforeEachPage?: number;
  readonly retryAfterSeconds?: number;
  /** The device cancels the job (button on its panel) after this many pages: later polls get 410. */
  readonly cancelAfterPages?: number;
  /** Answer ScanJobs with 503 this many times first (device warming up). */
  readonly busyOnCreate?: number;
  /** The images the feeder holds, served in order (page n of a job gets `sheets[n % length]`); default one test pattern. */
  readonly sheets?: readonly Uint8Array[];
}

export interface EsclTestServer {
  /** The eSCL root, e.g. http://127.0.0.1:4711/eSCL */
  readonly url: string;
  readonly log: string[];
  /** The ScanSettings documents received. */
  readonly settings: string[];
  readonly pageBytes: Uint8Array;
  setScript(script: EsclScript): void;
  close(): Promise<void>;
}

const capabilities = `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
  <pwg:Version>2.63</pwg:Version>
  <pwg:MakeAndModel>Test MFP eSCL</pwg:MakeAndModel>
  <pwg:SerialNumber>TEST-0001</pwg:SerialNumber>
  <scan:Platen>
    <scan:PlatenInputCaps>
      <scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>2550</scan:MaxWidth><scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>3508</scan:MaxHeight>
      <scan:SettingProfiles><scan:SettingProfile>
        <scan:ColorModes><scan:ColorMode>RGB24</scan:ColorMode><scan:ColorMode>Grayscale8</scan:ColorMode></scan:ColorModes>
        <scan:DocumentFormats><pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat><pwg:DocumentFormat>application/pdf</pwg:DocumentFormat><scan:DocumentFormatExt>image/jpeg</scan:DocumentFormatExt></scan:DocumentFormats>
        <scan:SupportedResolutions><scan:DiscreteResolutions>
          <scan:DiscreteResolution><scan:XResolution>100</scan:XResolution><scan:YResolution>100</scan:YResolution></scan:DiscreteResolution>
          <scan:DiscreteResolution><scan:XResolution>200</scan:XResolution><scan:YResolution>200</scan:YResolution></scan:DiscreteResolution>
          <scan:DiscreteResolution><scan:XResolution>300</scan:XResolution><scan:YResolution>300</scan:YResolution></scan:DiscreteResolution>
        </scan:DiscreteResolutions></scan:SupportedResolutions>
      </scan:SettingProfile></scan:SettingProfiles>
    </scan:PlatenInputCaps>
  </scan:Platen>
  <scan:Adf>
    <scan:AdfSimplexInputCaps>
      <scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>2550</scan:MaxWidth><scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>4200</scan:MaxHeight>
      <scan:SettingProfiles><scan:SettingProfile>
        <scan:ColorModes><scan:ColorMode>RGB24</scan:ColorMode><scan:ColorMode>Grayscale8</scan:ColorMode></scan:ColorModes>
        <scan:DocumentFormats><pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat></scan:DocumentFormats>
        <scan:SupportedResolutions><scan:DiscreteResolutions>
          <scan:DiscreteResolution><scan:XResolution>200</scan:XResolution><scan:YResolution>200</scan:YResolution></scan:DiscreteResolution>
          <scan:DiscreteResolution><scan:XResolution>300</scan:XResolution><scan:YResolution>300</scan:YResolution></scan:DiscreteResolution>
        </scan:DiscreteResolutions></scan:SupportedResolutions>
      </scan:SettingProfile></scan:SettingProfiles>
    </scan:AdfSimplexInputCaps>
    <scan:FeederCapacity>50</scan:FeederCapacity>
    <scan:AdfOptions><scan:AdfOption>DetectPaperLoaded</scan:AdfOption></scan:AdfOptions>
  </scan:Adf>
</scan:ScannerCapabilities>`;

function statusXml(state: string, adfState: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerStatus xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
  <pwg:Version>2.63</pwg:Version><pwg:State>${state}</pwg:State><scan:AdfState>${adfState}</scan:AdfState>
</scan:ScannerStatus>`;
}

interface JobState {
  readonly platen: boolean;
  remaining: number;
  served: number;
  busyLeft: number;
  cancelled: boolean;
}

export async function startEsclServer(initial: EsclScript): Promise<EsclTestServer> {
  // A small real scan-like page (100 dpi keeps the tests light); the same bytes for every page.
  const pageBytes = await makeJpeg({ ...a4Pixels(100), dpi: 200, seed: 7, quality: 70 });
  let script = initial;
  let feeder = initial.feederPages;
  let createBusyLeft = initial.busyOnCreate ?? 0;
  const jobs = new Map<string, JobState>();
  const log: string[] = [];
  const settings: string[] = [];
  let base = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://x');
    log.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body = '', headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/xml', ...headers });
      res.end(body);
    };
    if (req.method === 'GET' && url.pathname === '/eSCL/ScannerCapabilities') return send(200, capabilities);
    if (req.method === 'GET' && url.pathname === '/eSCL/ScannerStatus') return send(200, statusXml(jobs.size ? 'Processing' : 'Idle', feeder > 0 ? 'ScannerAdfLoaded' : 'ScannerAdfEmpty'));
    if (req.method === 'POST' && url.pathname === '/eSCL/ScanJobs') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      settings.push(body);
      if (createBusyLeft > 0) {
        createBusyLeft--;
        return send(503, '', { 'retry-after': '1' });
      }
      const platen = /<pwg:InputSource>Platen<\/pwg:InputSource>/.test(body);
      if (!/<pwg:InputSource>(Platen|Feeder)<\/pwg:InputSource>/.test(body) || !/<scan:XResolution>\d+<\/scan:XResolution>/.test(body)) return send(409);
      const id = randomUUID();
      jobs.set(id, { platen, remaining: platen ? 1 : feeder, served: 0, busyLeft: script.busyBeforeEachPage ?? 0, cancelled: false });
      return send(201, '', { location: `${base}/eSCL/ScanJobs/${id}` });
    }
    const jobMatch = /^\/eSCL\/ScanJobs\/([0-9a-f-]+)(\/NextDocument)?$/.exec(url.pathname);
    const job = jobMatch?.[1] ? jobs.get(jobMatch[1]) : undefined;
    if (jobMatch && !job) return send(404);
    if (job && req.method === 'DELETE' && !jobMatch?.[2]) {
      job.cancelled = true;
      return send(200);
    }
    if (job && req.method === 'GET' && jobMatch?.[2]) {
      if (job.cancelled) return send(410);
      if (job.remaining === 0) return send(404);
      if (job.busyLeft > 0) {
        job.busyLeft--;
        return send(503, '', { 'retry-after': String(script.retryAfterSeconds ?? 1) });
      }
      job.remaining--;
      if (!job.platen) feeder--;
      job.served++;
      job.busyLeft = script.busyBeforeEachPage ?? 0;
      if (script.cancelAfterPages !== undefined && job.served >= script.cancelAfterPages) job.cancelled = true;
      const sheet = script.sheets?.length ? (script.sheets[(job.served - 1) % script.sheets.length] ?? pageBytes) : pageBytes;
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(sheet.length) });
      res.end(Buffer.from(sheet));
      return;
    }
    send(404);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/eSCL`,
    log,
    settings,
    pageBytes,
    setScript(next) {
      script = next;
      feeder = next.feederPages;
      createBusyLeft = next.busyOnCreate ?? 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
