/**
 * The sync worker's entry: the engine runs here, off the UI thread (tus uploads, SHA-256 checks of stored
 * files, time-stamp upgrades of PDFs, IndexedDB writes). Dexie tells the UI's live queries about its writes.
 */
import { CounterDatabase, counterDatabaseName } from '../db/database';
import { spoolReleasePort } from '../db/dossier-spool';
import { createSyncEngine } from './engine';
import { createTimestampUpgrade } from './timestamp-upgrade';
import { serveSyncEngine } from './worker-host';
import type { FromWorker, MessageEndpoint, ToWorker } from './worker-protocol';

const scope = self as unknown as MessageEndpoint<ToWorker, FromWorker>;

/** After a (re)start, the first screen and search come before the queue's integrity check. */
const startupIntegrityCheckDelayMs = 10_000;

serveSyncEngine(scope, async ({ init, main, credential }) => {
  const db = new CounterDatabase(init.databaseName ?? counterDatabaseName, undefined, init.dataKeys, { seal: init.sealAtRest ?? true });
  await db.open();
  return createSyncEngine({
    db,
    centralUrl: init.centralUrl,
    ...(init.counter ? { counter: init.counter } : {}),
    credential,
    // Main's copy of a dossier or event goes with its acknowledgement (the UI thread's reconcile catches the rest).
    spool: spoolReleasePort(main),
    retention: { filesDaysAfterAck: init.filesDaysAfterAck ?? 0, ...(init.dossiersDaysAfterClose !== undefined ? { dossiersDaysAfterClose: init.dossiersDaysAfterClose } : {}), ...(init.applicantsDaysUnseen !== undefined ? { applicantsDaysUnseen: init.applicantsDaysUnseen } : {}) },
    ...(init.timestamping ? { beforeFirstUpload: createTimestampUpgrade(db, main) } : {}),
    // Issue 20: the start-up integrity check waits out the clerk's first screen and search, then reads in small
    // rounds with pauses (10,000 unsent dossiers: 100 rounds).
    integrityCheck: { delayMs: startupIntegrityCheckDelayMs, pauseMs: 20 },
    // Issue 17: the clerk-accountability log main keeps, sent to the central and acknowledged back to main.
    auditLog: {
      pending: (limit, from) => main.call('audit:pending', { limit, ...(from === undefined ? {} : { from }) }),
      acknowledged: async (seq) => {
        await main.call('audit:acknowledged', { seq });
      },
    },
    // Issue 16: the report to the central; the certificate's expiry is known once a signer was unlocked.
    ...(init.report
      ? {
          report: {
            ...init.report,
            signingCertificateNotAfter: async () => {
              const signers = await main.call('signer:list', {});
              const expiries = signers.flatMap((s) => (s.status.state === 'unlocked' ? [s.status.certificate.notAfter] : [])).sort();
              return expiries[0] ?? null;
            },
          },
        }
      : {}),
    // Issue 15: leased blocks of dossier numbers, also kept in main's ledger (a replaced database gets them back).
    ...(init.counter
      ? {
          codeLeases: {
            unitCode: init.counter.unitCode,
            counterNo: init.counter.counterNo,
            record: async (leases) => {
              await main.call('storage:ledger-leases', { leases: [...leases] });
            },
          },
        }
      : {}),
  });
});
