import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import type { MotcuaBridge } from '../../../shared/ipc/contract';
import { CounterDatabase } from '../db/database';
import { initI18n } from '../i18n';
import { createMainClient } from '../platform/main-client';
import { createSyncEngine } from '../sync/engine';
import { createTimestampUpgrade } from '../sync/timestamp-upgrade';
import { App } from './App';
import { loadReceiptFonts } from './fonts';
import { ServicesProvider, type AppServices } from './services';
import '../ui/styles.css';

/** Builds the services around the given bridge and renders the app. Both entry points call this. */
export async function startApp(bridge: MotcuaBridge): Promise<void> {
  const main = createMainClient(bridge);
  const config = await main.call('config:get', {});
  const i18n = await initI18n(config.locale);
  document.documentElement.lang = config.locale;
  // Ask the browser not to evict the queue under storage pressure (Electron treats it as persistent anyway).
  void navigator.storage?.persist?.();
  const db = new CounterDatabase();
  await db.open();
  // The device credential (null until this PC is enrolled; asked again until it is).
  let session: { credential: string } | null = null;
  const credential = async (): Promise<string | undefined> => {
    session ??= await main.call('device:session', {}).catch(() => null);
    return session?.credential;
  };
  const sync = createSyncEngine({ db, centralUrl: config.centralUrl, credential, ...(config.timestamping ? { beforeFirstUpload: createTimestampUpgrade(db, main) } : {}) });
  sync.start();
  // The browser's 'online' event is only a hint; the engine still probes the central before sending.
  window.addEventListener('online', () => void sync.syncNow());
  const services: AppServices = { main, config, db, sync, loadFonts: loadReceiptFonts };
  const container = document.getElementById('root');
  if (!container) throw new Error('#root missing');
  createRoot(container).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <ServicesProvider services={services}>
          <App />
        </ServicesProvider>
      </I18nextProvider>
    </StrictMode>,
  );
}
