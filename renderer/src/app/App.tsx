import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IntakeWizard } from '../features/intake/IntakeWizard';
import { QueueScreen } from '../features/queue/QueueScreen';
import { SyncBanners } from '../features/sync/SyncBanners';
import { SyncHistoryScreen } from '../features/sync/SyncHistoryScreen';
import { SyncIndicator } from '../features/sync/SyncIndicator';
import { VerifyScreen } from '../features/verify/VerifyScreen';
import { DeskScreen } from '../features/desk/DeskScreen';
import { BoardScreen } from '../features/board/BoardScreen';
import { ClerkField } from './ClerkField';
import { useServices } from './services';

const screens = ['intake', 'queue', 'verify', 'desk', 'board', 'history'] as const;
type Screen = (typeof screens)[number];

export function App() {
  const { t, i18n } = useTranslation();
  const { config } = useServices();
  const [screen, setScreen] = useState<Screen>('intake');
  // A new wizard instance after each accepted dossier: the key resets all its state.
  const [intakeRun, setIntakeRun] = useState(0);
  // Alt+1 puts the keyboard in the wizard's current field, so what the clerk types next is not lost.
  const [intakeFocus, setIntakeFocus] = useState(0);

  useEffect(() => {
    // Alt+1 … Alt+5 switch screens from anywhere: the clerk's hands stay on the keyboard.
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey) return;
      const target = screens[Number(event.key) - 1];
      if (!target) return;
      setScreen(target);
      if (target === 'intake') setIntakeFocus((n) => n + 1);
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
          {screens.map((name, i) => (
            <button key={name} type="button" className={screen === name ? 'active' : ''} aria-current={screen === name} onClick={() => setScreen(name)}>
              {t(`nav.${name}`)} <kbd>Alt+{i + 1}</kbd>
            </button>
          ))}
        </nav>
        <SyncIndicator />
        <button type="button" className="lang" onClick={() => void i18n.changeLanguage(i18n.language === 'vi' ? 'en' : 'vi')}>
          {t('app.language')}
        </button>
        {/* Last in the header: after typing the name, Tab goes on into the work, not to the header's buttons. */}
        <ClerkField onDone={() => setIntakeFocus((n) => n + 1)} />
      </header>
      <SyncBanners />
      <main className="app-main">
        {/* Kept while the clerk looks at another screen: what was typed or chosen is still there on return. */}
        <div hidden={screen !== 'intake'}>
          <IntakeWizard
            key={intakeRun}
            focusRequest={intakeFocus}
            onDone={() => {
              setIntakeRun((n) => n + 1);
              setIntakeFocus((n) => n + 1);
            }}
          />
        </div>
        {screen === 'queue' && <QueueScreen />}
        {screen === 'verify' && <VerifyScreen />}
        {screen === 'desk' && <DeskScreen />}
        {screen === 'board' && <BoardScreen />}
        {screen === 'history' && <SyncHistoryScreen />}
      </main>
    </div>
  );
}
