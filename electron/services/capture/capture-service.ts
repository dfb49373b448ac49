/**
 * Capture jobs: one scan from one device, run in main, its pages held until the renderer has fetched them.
 * The renderer polls "what came since item n" (waiting briefly when nothing is new), so the same API works
 * over Electron IPC and the web host's HTTP. Every file passes the import guard here; a refused file becomes
 * a `rejected` item with its message and the job carries on.
 */
import { randomUUID } from 'node:crypto';
import { AppError, toWireError, type WireError } from '../../../shared/errors';
import type { CaptureDevice, CapturedPageInfo, CaptureSourceKind, JobState, PageOrigin, ScanSettings } from '../../../shared/capture/capture';
import type { CaptureSource, RawPage } from './source';
import { acceptFile } from './file-import';
import type { PageProcessor } from '../imaging/page-processing';

export type CaptureItem =
  | {
      readonly index: number;
      readonly kind: 'page';
      readonly bytes: Uint8Array;
      readonly info: CapturedPageInfo;
      readonly origin: PageOrigin;
      /** The page's clean-up/OCR in the page processor, when it is on (`imaging:results`). */
      readonly processingId?: string;
    }
  | { readonly index: number; readonly kind: 'rejected'; readonly name: string; readonly error: WireError };

export interface CapturePoll {
  readonly jobId: string;
  readonly state: JobState;
  readonly items: CaptureItem[];
  /** Pass as `since` next time. */
  readonly next: number;
  /** Why the job stopped, when it failed. Pages before the failure are in `items`. */
  readonly error?: WireError;
  readonly pagesSoFar: number;
}

interface Job {
  readonly id: string;
  readonly deviceId: string;
  state: JobState;
  error?: WireError;
  readonly items: (CaptureItem | null)[];
  pages: number;
  readonly abort: AbortController;
  changed: Promise<void>;
  notify: () => void;
  finishedAt?: number;
}

/** Per poll answer: a few pages, so one HTTP response stays small enough to parse without stutter. */
const maxItemsPerPoll = 4;
const maxBytesPerPoll = 24 * 1024 * 1024;
/** Finished jobs kept for late polls. */
const keepFinishedJobs = 8;

function splitDeviceId(id: string): { kind: string; deviceId: string } {
  const at = id.indexOf(':');
  if (at <= 0) throw new AppError('CAPTURE_DEVICE_NOT_FOUND', { device: id });
  return { kind: id.slice(0, at), deviceId: id.slice(at + 1) };
}

export class CaptureService {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly sources: readonly CaptureSource[],
    /** Cleans and reads every accepted image page as it arrives; the original is handed over at once regardless. */
    private readonly processor?: PageProcessor,
  ) {}

  /** Every source's devices; a source that fails (scanimage missing, …) is reported, the others listed. */
  async listDevices(): Promise<{ devices: CaptureDevice[]; problems: WireError[] }> {
    const results = await Promise.allSettled(this.sources.map((s) => s.listDevices()));
    const devices: CaptureDevice[] = [];
    const problems: WireError[] = [];
    for (const r of results) {
      if (r.status === 'fulfilled') devices.push(...r.value);
      else problems.push(toWireError(r.reason));
    }
    return { devices, problems };
  }

  private source(kind: string, device: string): CaptureSource {
    const source = this.sources.find((s) => s.kind === kind);
    if (!source) throw new AppError('CAPTURE_DEVICE_NOT_FOUND', { device });
    return source;
  }

  start(fullDeviceId: string, settings: ScanSettings): { jobId: string } {
    const { kind, deviceId } = splitDeviceId(fullDeviceId);
    const source = this.source(kind, fullDeviceId);
    const job = this.newJob(fullDeviceId);
    void this.runJob(job, source, deviceId, settings);
    return { jobId: job.id };
  }

  private newJob(deviceId: string): Job {
    let notify = () => {};
    const job: Job = {
      id: randomUUID(),
      deviceId,
      state: 'running',
      items: [],
      pages: 0,
      abort: new AbortController(),
      changed: new Promise<void>((resolve) => (notify = resolve)),
      notify: () => {},
    };
    job.notify = () => {
      const wake = notify;
      job.changed = new Promise<void>((resolve) => (notify = resolve));
      wake();
    };
    this.jobs.set(job.id, job);
    this.forgetOldJobs();
    return job;
  }

  private async runJob(job: Job, source: CaptureSource, deviceId: string, settings: ScanSettings): Promise<void> {
    try {
      for await (const raw of source.scan({ deviceId, settings, signal: job.abort.signal })) {
        await this.acceptInto(job, source.kind, raw);
        if (job.abort.signal.aborted) break;
      }
      job.state = job.abort.signal.aborted ? 'cancelled' : 'done';
    } catch (err) {
      job.state = job.abort.signal.aborted ? 'cancelled' : 'failed';
      if (!job.abort.signal.aborted) job.error = toWireError(err);
    }
    job.finishedAt = Date.now();
    job.notify();
  }

  /**
   * Files the clerk picked (or dropped): a job like a scan's, so pages reach the workspace one by one with
   * the same guard, the same clean-up and OCR, and the same polling. A TIFF becomes one page per page.
   */
  importFiles(files: readonly RawPage[]): { jobId: string } {
    const job = this.newJob('file:picked');
    void (async () => {
      for (const file of files) {
        if (job.abort.signal.aborted) break;
        await this.acceptInto(job, 'file', file);
      }
      job.state = job.abort.signal.aborted ? 'cancelled' : 'done';
      job.finishedAt = Date.now();
      job.notify();
    })();
    return { jobId: job.id };
  }

  /** One incoming file through the guard (a TIFF split into pages); each image page queued for clean-up/OCR. */
  private async acceptInto(job: Job, kind: CaptureSourceKind, raw: RawPage): Promise<void> {
    for await (const item of acceptFile(raw.bytes, raw.name)) {
      const index = job.items.length;
      if (item.kind === 'page') {
        // A PDF is kept as it is (a born-digital or signed PDF must not be rasterised); images are cleaned.
        const processingId = item.info.mediaType === 'application/pdf' ? null : (this.processor?.submit(item.bytes, item.name, item.info) ?? null);
        job.items.push({ index, kind: 'page', bytes: item.bytes, info: item.info, origin: { kind, deviceId: job.deviceId, name: item.name }, ...(processingId ? { processingId } : {}) });
        job.pages++;
      } else {
        job.items.push({ index, kind: 'rejected', name: item.name, error: item.error });
      }
      job.notify();
    }
  }

  /** Items from `since` on; waits up to `waitMs` when there is nothing new and the job still runs. */
  async poll(jobId: string, since: number, waitMs = 0): Promise<CapturePoll> {
    const job = this.jobs.get(jobId);
    if (!job) throw new AppError('CAPTURE_JOB_UNKNOWN', { jobId });
    if (job.items.length <= since && job.state === 'running' && waitMs > 0) {
      await Promise.race([job.changed, new Promise((resolve) => setTimeout(resolve, waitMs))]);
    }
    // Everything before `since` reached the renderer: let go of those bytes.
    for (let i = 0; i < Math.min(since, job.items.length); i++) job.items[i] = null;
    const items: CaptureItem[] = [];
    let bytes = 0;
    for (let i = since; i < job.items.length && items.length < maxItemsPerPoll; i++) {
      const item = job.items[i];
      if (!item) continue;
      const size = item.kind === 'page' ? item.bytes.length : 0;
      if (items.length > 0 && bytes + size > maxBytesPerPoll) break;
      bytes += size;
      items.push(item);
    }
    const next = since + items.length;
    // Report the final state only once every item was handed over.
    const state: JobState = next < job.items.length ? 'running' : job.state;
    return { jobId, state, items, next, pagesSoFar: job.pages, ...(state !== 'running' && job.error ? { error: job.error } : {}) };
  }

  cancel(jobId: string): { state: JobState } {
    const job = this.jobs.get(jobId);
    if (!job) throw new AppError('CAPTURE_JOB_UNKNOWN', { jobId });
    job.abort.abort();
    return { state: job.state };
  }

  /** For the CLI: run one job to its end, handing each item over as it arrives. */
  async runToEnd(fullDeviceId: string, settings: ScanSettings, onItem: (item: CaptureItem) => Promise<void> | void, signal?: AbortSignal): Promise<CapturePoll> {
    const { jobId } = this.start(fullDeviceId, settings);
    signal?.addEventListener('abort', () => this.cancel(jobId), { once: true });
    let since = 0;
    for (;;) {
      const poll = await this.poll(jobId, since, 1000);
      for (const item of poll.items) await onItem(item);
      since = poll.next;
      if (poll.state !== 'running') return poll;
    }
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((j) => j.finishedAt !== undefined).sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
    while (finished.length > keepFinishedJobs) {
      const old = finished.shift();
      if (old) this.jobs.delete(old.id);
    }
  }

  /** Stops every running job (host shutdown). */
  close(): void {
    for (const job of this.jobs.values()) job.abort.abort();
  }
}
