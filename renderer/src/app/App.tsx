import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IntakeWizard } from '../features/intake/IntakeWizard';
import { QueueScreen } from '../features/queue/QueueScreen';
import { SyncBanners } from '../features/sync/SyncBanners';
import { SyncHistoryScreen } from '../features/sync/SyncHistoryScreen';
import { SyncIndicator } from '../features/sync/SyncIndicator';
import { VerifyScreen } from '../features/verify/VerifyScreen';
import { useServices } from './services';

type Screen = 'intake' | 'queue' | 'verify' | 'history';

export function App() {
  const { t, i18n } = useTranslation();
  const { config } = useServices();
  const [screen, setScreen] = useState<Screen>('intake');
  // A new wizard instance after each accepted dossier: the key resets all its state.
  const [intakeRun, setIntakeRun] = useState(0);

  useEffect(() => {
    // Alt+1 / Alt+2 / Alt+3 switch screens from anywhere: the clerk's hands stay on the keyboard.
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey) return;
      if (event.key === '1') setScreen('intake');
      else if (event.key === '2') setScreen('queue');
      else if (event.key === '3') setScreen('verify');
      else if (event.key === '4') setScreen('history');
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <div className="app-title">
          <strong>{t('app.title')}</strong>
          <span className="unit">
            {config.unit.name} · {config.unit.code} · Quầy {config.counterNo}
          </span>
        </div>
        <nav className="app-nav" aria-label="Điều hướng">
          <button type="button" className={screen === 'intake' ? 'active' : ''} aria-current={screen === 'intake'} onClick={() => setScreen('intake')}>
            {t('nav.intake')} <kbd>Alt+1</kbd>
          </button>
          <button type="button" className={screen === 'queue' ? 'active' : ''} aria-current={screen === 'queue'} onClick={() => setScreen('queue')}>
            {t('nav.queue')} <kbd>Alt+2</kbd>
          </button>
          <button type="button" className={screen === 'verify' ? 'active' : ''} aria-current={screen === 'verify'} onClick={() => setScreen('verify')}>
            {t('nav.verify')} <kbd>Alt+3</kbd>
          </button>
          <button type="button" className={screen === 'history' ? 'active' : ''} aria-current={screen === 'history'} onClick={() => setScreen('history')}>
            {t('nav.history')} <kbd>Alt+4</kbd>
          </button>
        </nav>
        <SyncIndicator />
        <button type="button" className="lang" onClick={() => void i18n.changeLanguage(i18n.language === 'vi' ? 'en' : 'vi')}>
          {t('app.language')}
        </button>
      </header>
      <SyncBanners />
      <main className="app-main">
        {screen === 'intake' && <IntakeWizard key={intakeRun} onDone={() => setIntakeRun((n) => n + 1)} />}
        {screen === 'queue' && <QueueScreen />}
        {screen === 'verify' && <VerifyScreen />}
        {screen === 'history' && <SyncHistoryScreen />}
      </main>
    </div>
  );
}
