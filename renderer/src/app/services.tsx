import { createContext, useContext, type ReactNode } from 'react';
import type { CounterConfig, LedgerCodeRecord } from '../../../shared/ipc/contract';
import type { CounterDatabase } from '../db/database';
import type { SyncEngine } from '../sync/engine';
import type { MainClient } from '../platform/main-client';
import type { PagePrinter } from '../platform/page-printer';
import type { ReceiptFonts } from './fonts';
import type { StorageSpace } from '../db/storage-space';
import type { DossierCommit } from '../../../shared/sync/protocol';

/** Everything the screens need, built once at the composition root. */
export interface AppServices {
  readonly main: MainClient;
  readonly config: CounterConfig;
  readonly db: CounterDatabase;
  readonly sync: SyncEngine;
  readonly loadFonts: () => Promise<ReceiptFonts>;
  /** Prints the page laid out for print: main in Electron, window.print() in a browser (ui/print-pdf.ts). */
  readonly printer: PagePrinter;
  /** Free space for the queue (undefined where the platform cannot tell). */
  readonly storageSpace: () => Promise<StorageSpace | undefined>;
  /** Records each dossier number used in main's database ledger (db/database-ledger.ts). */
  readonly recordCode: (used: LedgerCodeRecord) => Promise<void>;
  /**
   * Issue 17: the central's record of one of this unit's dossiers (sync/central-dossier.ts), to rebuild a form
   * once this counter minimised its copy. Absent: none (a reprint that needs it says so).
   */
  readonly centralDossier?: (dossier: { readonly id: string; readonly code: string }) => Promise<DossierCommit>;
}

const ServicesContext = createContext<AppServices | null>(null);

export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesProvider');
  return services;
}
