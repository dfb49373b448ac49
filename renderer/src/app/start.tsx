import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import type { i18n } from 'i18next';
import type { CounterConfig, MotcuaBridge } from '../../../shared/ipc/contract';
import { CounterDatabase, counterDatabaseName } from '../db/database';
import { checkDataKey, importDataKeys, sealExistingRows, type DataKeys } from '../db/encryption';
import { keepSpoolReconciled, restoreFromSpool } from '../db/dossier-spool';
import { adoptEmptyReplacement, adoptReplacedDatabase, checkDatabaseLedger, ledgerCodeRecorder, replacedDatabaseHeldNothing, type LedgerCheck } from '../db/database-ledger';
import { checkStorageSpace } from '../db/storage-space';
import { initI18n } from '../i18n';
import { createMainClient, type MainClient } from '../platform/main-client';
import type { PagePrinter } from '../platform/page-printer';
import { connectSyncWorker } from '../sync/worker-client';
import { App } from './App';
import { loadReceiptFonts } from './fonts';
import { ServicesProvider, type AppServices } from './services';
import { StorageFailure } from './StorageFailure';
import { DatabaseReplaced } from './DatabaseReplaced';
import { createCentralClient } from '../sync/central-client';
import { fetchCentralDossier } from '../sync/central-dossier';
import { EnrollmentScreen } from '../features/setup/EnrollmentScreen';
import { installDoctorShortcut } from '../features/setup/DoctorPanel';
import { appVersion } from './app-version';
import { platformFromUserAgent } from '../sync/fleet-report';
import '../ui/styles.css';
import { afterFirstPaint } from './after-first-paint';
import { watchSearchKeys } from '../db/queue';

/** After a (re)start, the clerk's first screen and search come before the spool's first reconcile pass. */
const startupSpoolPassDelayMs = 10_000;

/** Builds the services around the given bridge and renders the app. Both entry points call this. */
export async function startApp(bridge: MotcuaBridge, pagePrinter: (main: MainClient) => PagePrinter): Promise<void> {
  const main = createMainClient(bridge);
  const config = await main.call('config:get', {});
  // A (re)loaded window starts with every key locked: whoever sits down after a reload types the password
  // or PIN again. Best effort: a key store that cannot answer now is shown as it is on the sign step.
  await main
    .call('signer:list', {})
    .then((signers) => Promise.all(signers.filter((s) => s.status.state === 'unlocked').map((s) => main.call('signer:lock', { role: s.role }))))
    .catch(() => undefined);
  const i18n = await initI18n(config.locale);
  document.documentElement.lang = config.locale;
  const container = document.getElementById('root');
  if (!container) throw new Error('#root missing');
  const root = createRoot(container);
  // Issue 16: IT's check screen on Ctrl+Alt+Shift+D, from any screen below.
  installDoctorShortcut(main, i18n);
  // Issue 16: a PC with no device credential opens on the enrollment screen ("later" goes on offline).
  const enrollment = await main.call('enrollment:status', {}).catch(() => null);
  if (enrollment?.state === 'not-enrolled' && enrollment.firstStartScreen) {
    await new Promise<void>((resolve) =>
      root.render(
        <I18nextProvider i18n={i18n}>
          <EnrollmentScreen main={main} status={enrollment} onDone={resolve} />
        </I18nextProvider>,
      ),
    );
  }
  // Ask the browser not to evict the queue under storage pressure (Electron treats it as persistent anyway).
  void navigator.storage?.persist?.().catch(() => false);

  let db: CounterDatabase;
  let dataKeys: DataKeys;
  let ledgerCheck: LedgerCheck;
  try {
    // Issue 17 finding 8: personal fields and file bytes are sealed with main's data key, imported here as
    // non-extractable keys (the raw bytes are wiped) and handed to the sync worker as keys, not bytes.
    dataKeys = await importDataKeys((await main.call('storage:data-key', {})).key);
    db = new CounterDatabase(counterDatabaseName, undefined, dataKeys, { seal: config.encryptionAtRest?.seal ?? true });
    await db.open();
    // The key must be this database's (a wrong one is told here, before anything is shown); rows written
    // before encryption (an updated counter) are then sealed once.
    await checkDataKey(db, dataKeys);
    await sealExistingRows(db);
    // The database the browser handed us must be the one this PC has been using (main keeps a ledger
    // outside IndexedDB): Chromium may silently replace a database it finds corrupt with an empty one.
    ledgerCheck = await checkDatabaseLedger(db, main);
  } catch (err) {
    // Damage (or a failed upgrade, or a damaged ledger) is shown and left alone: the old data may be the only
    // copy of a citizen's papers, so the app never deletes and recreates the database to "fix" it.
    root.render(
      <I18nextProvider i18n={i18n}>
        <StorageFailure error={err} />
      </I18nextProvider>,
    );
    return;
  }
  const run = (): void => renderCounter({ root, i18n, main, config, db, dataKeys, databaseId: ledgerCheck.database.databaseId, printer: pagePrinter(main) });
  if (ledgerCheck.verdict === 'replaced' || ledgerCheck.verdict === 'shrank') {
    const check = ledgerCheck;
    const listing = await main.call('spool:list', {}).then(
      ({ entries }) => ({ entries }),
      (error: unknown) => ({ error }),
    );
    if (replacedDatabaseHeldNothing(check, 'entries' in listing ? listing.entries.length : undefined)) {
      try {
        await adoptEmptyReplacement(db, main, check);
        run();
        return;
      } catch {
        // Could not be recorded (another window adopted another database meanwhile): IT looks, as for any other.
      }
    }
    const spooled =
      'entries' in listing
        ? (() => {
            const committed = listing.entries.filter((e) => e.state === 'committed');
            return { dossiers: committed.filter((e) => e.kind === 'dossier').length, events: committed.filter((e) => e.kind === 'event').length };
          })()
        : listing;
    root.render(
      <I18nextProvider i18n={i18n}>
        <DatabaseReplaced
          check={check}
          spooled={spooled}
          onAccept={async () => {
            await adoptReplacedDatabase(db, main, check);
            // The dossiers the lost database had not sent come back from main's copy (dossier-spool.ts).
            return restoreFromSpool(db, main);
          }}
          onContinue={run}
        />
      </I18nextProvider>,
    );
    return;
  }
  run();
}

interface CounterParts {
  readonly root: Root;
  readonly i18n: i18n;
  readonly main: MainClient;
  readonly config: CounterConfig;
  readonly db: CounterDatabase;
  /** The database's keys (encryption at rest), passed on to the sync worker. */
  readonly dataKeys: DataKeys;
  /** The open database's identity, as checked against main's ledger. */
  readonly databaseId: string;
  readonly printer: PagePrinter;
}

/** Starts the sync worker and renders the counter: once the database is known to be the right one. */
function renderCounter({ root, i18n, main, config, db, dataKeys, databaseId, printer }: CounterParts): void {
  // The device credential (null until this PC is enrolled; asked again until it is). The worker asks for
  // it before each request; main holds it.
  let session: { credential: string } | null = null;
  const credential = async (): Promise<string | undefined> => {
    session ??= await main.call('device:session', {}).catch(() => null);
    return session?.credential;
  };

  // The disk's real free space from main (statfs); the space check takes the smaller of it and the estimate.
  const diskFree = async (): Promise<number> => (await main.call('storage:disk-free', {})).freeBytes;

  // Uploads, hashing and time-stamping run in the worker; this thread only renders its snapshots.
  const worker = new Worker(new URL('../sync/sync.worker.ts', import.meta.url), { type: 'module', name: 'motcua-sync' });
  const sync = connectSyncWorker(worker, {
    init: {
      centralUrl: config.centralUrl,
      timestamping: config.timestamping,
      credential: true,
      filesDaysAfterAck: config.retention.filesDaysAfterAck,
      dossiersDaysAfterClose: config.retention.dossiersDaysAfterClose,
      applicantsDaysUnseen: config.retention.applicantsDaysUnseen,
      counter: { unitCode: config.unit.code, unitName: config.unit.name, counterNo: config.counterNo },
      dataKeys,
      sealAtRest: config.encryptionAtRest?.seal ?? true,
      // Issue 16: the version header on every request and the report for the central's fleet view.
      report: { appVersion, platform: platformFromUserAgent(navigator.userAgent) },
    },
    main,
    credential,
  });
  sync.start();
  // A refused credential (revoked, or IT has since enrolled this PC again, maybe for the right unit) is
  // asked of main again: the next pass then uses what `motcua enroll` stored, without a restart.
  sync.subscribe((snapshot) => {
    if (snapshot.centralAccess?.state === 'refused') session = null;
  });
  // Main's copy of each dossier is released by the sync worker with its acknowledgement; this reconcile catches
  // what a crash or a failed release left. The first pass waits until the first screen is painted and the clerk
  // has had a moment (issue 20): nothing depends on it being early — main keeps every copy until it is released,
  // and the replaced-database check ran above.
  keepSpoolReconciled(db, main, undefined, () => afterFirstPaint({ graceMs: startupSpoolPassDelayMs }));
  // The queue's search keys are read once the first screen is up (issue 20): on a sealed database each key's
  // name is opened, 10,000 of them after a restart, which the clerk's first queue open or search paid for.
  void afterFirstPaint({ graceMs: 1_000 }).then(() => watchSearchKeys(db, () => undefined));
  // The browser's 'online' event is only a hint; the engine still probes the central before sending.
  window.addEventListener('online', () => void sync.syncNow());
  const services: AppServices = {
    main,
    config,
    db,
    sync,
    loadFonts: loadReceiptFonts,
    printer,
    storageSpace: () => checkStorageSpace(navigator.storage, diskFree),
    recordCode: ledgerCodeRecorder(main, db, { id: databaseId }),
    // Issue 17: on the UI thread, with the worker's credential; only when the clerk rebuilds a form.
    centralDossier: (dossier) => fetchCentralDossier(createCentralClient({ centralUrl: config.centralUrl, credential }), dossier),
  };
  root.render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <ServicesProvider services={services}>
          <App />
        </ServicesProvider>
      </I18nextProvider>
    </StrictMode>,
  );
}
