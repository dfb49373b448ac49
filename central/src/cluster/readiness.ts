/**
 * Readiness (`GET /api/v1/ready`): may this instance take requests now? A load balancer's health check
 * (HAProxy, Kubernetes' readinessProbe) asks it; `/api/v1/health` stays liveness only (the process answers,
 * nothing else is touched: the counters' connectivity probe). Ready = the database answers `SELECT 1` and the
 * file storage answers its probe, each within a short time.
 *
 * A database that hangs (a network cut without a reset) must not pile up probes: while one check of a kind is
 * still running, the next probe does not start another — it answers `timeout` at once.
 */
import type { Readiness, ReadinessCheck } from '../../../shared/sync/protocol';

/** How long each check may take before the instance is reported not ready. */
const DEFAULT_READINESS_TIMEOUT_MS = 2_000;

export interface ReadinessDeps {
  /** This instance's name (`--instance-name`), shown in the answer. */
  readonly instance: string;
  /** Resolves when the database answered `SELECT 1`. */
  readonly pingDatabase: () => Promise<void>;
  /** Resolves when the file storage answered (`FileStorage.probe()`); undefined: a storage without a probe, not checked. */
  readonly probeStorage: (() => Promise<void>) | undefined;
  readonly timeoutMs?: number;
  readonly log: { warn(obj: object, msg: string): void };
}

type CheckName = 'database' | 'storage';

export class ReadinessProbe {
  readonly #running = new Set<CheckName>();

  constructor(private readonly deps: ReadinessDeps) {}

  async check(): Promise<Readiness> {
    const [database, storage] = await Promise.all([
      this.#run('database', this.deps.pingDatabase),
      this.deps.probeStorage ? this.#run('storage', this.deps.probeStorage) : Promise.resolve<ReadinessCheck>('not-checked'),
    ]);
    const ready = database === 'ok' && (storage === 'ok' || storage === 'not-checked');
    return { ready, instance: this.deps.instance, checks: { database, storage } };
  }

  async #run(name: CheckName, probe: () => Promise<void>): Promise<ReadinessCheck> {
    if (this.#running.has(name)) return 'timeout';
    this.#running.add(name);
    const attempt = probe().finally(() => this.#running.delete(name));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.deps.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS);
    });
    try {
      const outcome = await Promise.race([attempt.then(() => 'ok' as const), timedOut]);
      if (outcome === 'timeout') {
        this.deps.log.warn({ check: name }, 'readiness check timed out');
        // Its late failure is already reported as the timeout.
        attempt.catch(() => undefined);
      }
      return outcome;
    } catch (err) {
      this.deps.log.warn({ err, check: name }, 'readiness check failed');
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  }
}
