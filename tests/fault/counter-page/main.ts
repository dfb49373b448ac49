/**
 * The counter of the fault-injection suite: the app's own Dexie queue and sync engine in a real Chromium,
 * with no UI; its start checks the database against main's ledger and saves through main's dossier spool, as
 * the app does (main here is harness/counter-main.ts). The harness (tests/fault/harness/counter.ts) drives it
 * through `window.faultCounter`.
 *
 * This is the ONE place where the counter side is composed (database, engine options): when the engine
 * moves into a Web Worker or needs a device credential, only this file and harness/counter.ts change.
 */
import { CounterDatabase } from '../../../renderer/src/db/database';
import type { StoredDossier } from '../../../renderer/src/db/database';
import { adoptReplacedDatabase, checkDatabaseLedger } from '../../../renderer/src/db/database-ledger';
import { keepSpoolReconciled, reconcileSpool, restoreFromSpool, saveAcceptedDossierSpooled, spoolReleasePort, type SpoolReconciliation } from '../../../renderer/src/db/dossier-spool';
import type { NewFile } from '../../../renderer/src/db/dossiers';
import { createHttpBridge } from '../../../renderer/src/platform/http-bridge';
import { createMainClient } from '../../../renderer/src/platform/main-client';
import { createSyncEngine } from '../../../renderer/src/sync/engine';
import type { SyncEngine } from '../../../renderer/src/sync/engine';
import { dossierIdSchema } from '../../../shared/domain/dossier';

/** One dossier to accept: its files are fetched from the harness's server (bytes made in Node). */
export interface SeedSpec {
  readonly id: string;
  readonly code: string;
  readonly createdAt: string;
  readonly files: ReadonlyArray<{ readonly id: string; readonly url: string; readonly name: string; readonly componentCode: string; readonly sha256: string; readonly size: number }>;
}

export interface EngineSettings {
  readonly uploadChunkSize: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly pollIntervalMs: number;
  readonly probeTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** The device credential from enrollment (every call but health carries it). */
  readonly credential?: string;
}

export interface OutboxView {
  readonly dossierId: string;
  readonly state: string;
  readonly attempts: number;
  readonly lastError?: string;
  readonly bytesSent: number;
  readonly bytesTotal: number;
  readonly centralId?: string;
  /** Counter clock (ISO) when the central's acknowledgement was stored. */
  readonly acknowledgedAt?: string;
}

/** What the start-up found: the ledger's verdict on the database and, after a reset, what came back from main's spool. */
export interface StartupReport {
  readonly verdict: 'first' | 'same' | 'replaced' | 'shrank';
  readonly dossiersHeld: number;
  readonly dossiersHeldMost: number;
  readonly restored: number;
  readonly damaged: number;
  readonly unconfirmed: number;
}

export interface FaultCounter {
  /** Resolves once the database was checked against main's ledger (and restored after a reset). */
  startup(): Promise<StartupReport>;
  /** One reconcile pass of main's spool now (the page also runs one every few seconds). */
  reconcile(): Promise<SpoolReconciliation>;
  /** Accepts the dossiers (each in its own transaction); resolves with the ids now stored. */
  seed(specs: readonly SeedSpec[]): Promise<string[]>;
  startSync(settings: EngineSettings): void;
  outbox(): Promise<OutboxView[]>;
  dossierIds(): Promise<string[]>;
  syncLog(dossierId: string): Promise<string[]>;
}

declare global {
  interface Window {
    faultCounter: FaultCounter;
  }
}

const db = new CounterDatabase();
// Main's ledger and spool, served by the harness (harness/counter-main.ts) on this origin like the web host.
const main = createMainClient(createHttpBridge(`${location.origin}/`));
let engine: SyncEngine | undefined;

/** The app's start (renderer/src/app/start.tsx) without its screens: check the database against the ledger. */
async function startUp(): Promise<StartupReport> {
  await db.open();
  const check = await checkDatabaseLedger(db, main);
  const base = { verdict: check.verdict, dossiersHeld: check.database.dossiersHeld, dossiersHeldMost: check.ledger.dossiersHeldMost };
  if (check.verdict !== 'replaced' && check.verdict !== 'shrank') return { ...base, restored: 0, damaged: 0, unconfirmed: 0 };
  // The app stops here on a full-window screen until IT accepts (DatabaseReplaced.tsx); the suite is IT.
  await adoptReplacedDatabase(db, main, check);
  const restore = await restoreFromSpool(db, main);
  return { ...base, restored: restore.restored.length, damaged: restore.damaged.length, unconfirmed: restore.unconfirmed };
}
const started = startUp();

async function seedOne(spec: SeedSpec): Promise<void> {
  const id = dossierIdSchema.parse(spec.id);
  // A dossier already stored (the harness repeats a seed cut short by a kill) is accepted once only.
  if (await db.dossiers.get(id)) return;
  const files: NewFile[] = [];
  for (const f of spec.files) {
    const response = await fetch(f.url);
    if (!response.ok) throw new Error(`fixture ${f.url}: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    files.push({
      bytes,
      meta: { id: f.id, dossierId: id, componentCode: f.componentCode, name: f.name, mediaType: 'application/pdf', size: f.size, sha256: f.sha256, pageCount: 1 },
    });
  }
  const dossier: StoredDossier = {
    id,
    code: spec.code,
    procedure: { code: '1.001234', name: 'Đăng ký khai sinh' },
    applicant: { fullName: 'Trần Thị Bình', idNumber: '001203004567', phone: '0912345678', address: 'Xã Thử Nghiệm, Hà Nội' },
    unit: { code: '000.00.01.H22', name: 'UBND xã Thử Nghiệm' },
    counterNo: 1,
    receivedAt: '2026-11-23T09:15:00+07:00',
    appointmentAt: '2026-11-26T09:15:00+07:00',
    components: spec.files.map((f, i) => ({ code: f.componentCode, name: `Thành phần ${i + 1}`, required: true, fileIds: [f.id] })),
    createdAt: spec.createdAt,
  };
  // Small storage chunks so uploads read across several chunk rows.
  await saveAcceptedDossierSpooled(db, main, dossier, files, { chunkSize: 256 * 1024 });
}

window.faultCounter = {
  startup: () => started,
  reconcile: () => reconcileSpool(db, main),

  async seed(specs) {
    await started;
    const stored: string[] = [];
    for (const spec of specs) {
      await seedOne(spec);
      stored.push(spec.id);
    }
    return stored;
  },

  startSync(settings) {
    if (engine) return;
    // As the app does: the engine releases main's copy with each acknowledgement; the reconcile catches the rest.
    keepSpoolReconciled(db, main, 5_000);
    engine = createSyncEngine({
      db,
      // Same origin: the harness's server forwards /api/ to the central (through its fault proxy and the link).
      centralUrl: location.origin,
      uploadChunkSize: settings.uploadChunkSize,
      backoff: { baseMs: settings.backoffBaseMs, maxMs: settings.backoffMaxMs },
      pollIntervalMs: settings.pollIntervalMs,
      probeTimeoutMs: settings.probeTimeoutMs,
      requestTimeoutMs: settings.requestTimeoutMs,
      credential: () => settings.credential,
      spool: spoolReleasePort(main),
    });
    engine.start();
  },

  async outbox() {
    const rows = await db.outbox.toArray();
    return rows.map((r) => ({
      dossierId: r.dossierId,
      state: r.state,
      attempts: r.attempts,
      ...(r.lastError ? { lastError: r.lastError.code } : {}),
      bytesSent: Object.values(r.uploads).reduce((sum, u) => sum + Math.min(u.bytesSent, u.size), 0),
      bytesTotal: r.bytesTotal,
      ...(r.ack ? { centralId: r.ack.centralId } : {}),
      ...(r.acknowledgedAt ? { acknowledgedAt: r.acknowledgedAt } : {}),
    }));
  },

  async dossierIds() {
    return (await db.dossiers.toCollection().primaryKeys()).map(String);
  },

  async syncLog(dossierId) {
    const entries = await db.syncLog.where('dossierId').equals(dossierIdSchema.parse(dossierId)).sortBy('id');
    return entries.map((e) => `${e.at} ${e.level} ${e.event} ${JSON.stringify(e.details)}`);
  },
};
started.then(
  () => {
    document.title = 'ready';
  },
  (err: unknown) => {
    document.title = `failed: ${err instanceof Error ? err.message : String(err)}`;
  },
);
