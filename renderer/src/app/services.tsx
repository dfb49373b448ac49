import { createContext, useContext, type ReactNode } from 'react';
import type { CounterConfig, LedgerCodeRecord } from '../../../shared/ipc/contract';
import type { CounterDatabase } from '../db/database';
import type { SyncEngine } from '../sync/engine';
import type { MainClient } from '../platform/main-client';
import type { PagePrinter } from '../platform/page-printer';
import type { ReceiptFonts } from './fonts';
import type { StorageSpace } from '../db/storage-space';

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
