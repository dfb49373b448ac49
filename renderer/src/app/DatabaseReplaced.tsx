import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatVietnamDateTime } from '../../../shared/domain/time';
import type { LedgerCheck } from '../db/database-ledger';
import type { SpoolRestore } from '../db/dossier-spool';
import { errorText } from '../ui/errors';

const when = (iso: string): string => {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : formatVietnamDateTime(at);
};

export interface DatabaseReplacedProps {
  readonly check: LedgerCheck;
  /** Unsent dossiers and desk events main holds a copy of (dossier-spool.ts), or why the list could not be read. */
  readonly spooled: { readonly dossiers: number; readonly events: number } | { readonly error: unknown };
  /** Records the new database and restores the unsent dossiers from main's copies. */
  readonly onAccept: () => Promise<SpoolRestore>;
  readonly onContinue: () => void;
}

/**
 * The whole window when main's ledger says the open database is not the one this PC was using (and that one
 * held or had started on dossiers: start.tsx lets an empty one go quietly), or that it lost dossiers. The clerk is stopped; only IT, after checking, lets the app go on with it — and then sees
 * which unsent dossiers came back from main's copies before the counter opens.
 */
export function DatabaseReplaced({ check, spooled, onAccept, onContinue }: DatabaseReplacedProps) {
  const { t } = useTranslation();
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [restore, setRestore] = useState<SpoolRestore | null>(null);
  if (restore) return <RestoreSummary restore={restore} onContinue={onContinue} />;
  const { ledger, database } = check;
  const shrank = check.verdict === 'shrank';
  const resets = ledger.resets.map((r) => `${when(r.acceptedAt)} (${r.previousDatabaseId}, ${r.previousDossiersHeldMost})`).join('; ') || '—';
  return (
    <main className="app-main storage-failure" role="alert" data-testid="database-replaced">
      <h1>{t(shrank ? 'storage.replaced.shrankHeading' : 'storage.replaced.heading')}</h1>
      <p className="error" data-testid="replaced-what">
        {shrank
          ? t('storage.replaced.shrank', { since: when(ledger.firstSeenAt), held: ledger.dossiersHeldMost, current: database.dossiersHeld })
          : t(
              // Stopped with a high mark of 0: the old database had started (a number given, work in the spool);
              // "held up to 0 dossiers" would read as nothing lost.
              ledger.dossiersHeldMost > 0 ? 'storage.replaced.before' : 'counterStatus.replaced.beforeStarted',
              { since: when(ledger.firstSeenAt), held: ledger.dossiersHeldMost, createdAt: when(database.createdAt), current: database.dossiersHeld },
            )}
      </p>
      <p>{t(shrank ? 'storage.replaced.shrankCauses' : 'storage.replaced.causes')}</p>
      <p>
        <strong>{t('storage.replaced.stopped')}</strong>
      </p>
      <p data-testid="spooled">
        {'dossiers' in spooled
          ? [t('storage.replaced.spooled', { count: spooled.dossiers }), spooled.events > 0 ? t('storage.replaced.spooledEvents', { count: spooled.events }) : ''].join(' ').trim()
          : t('storage.replaced.spooledUnknown', { error: errorText(t, spooled.error) })}
      </p>
      <h2>{t('storage.replaced.itHeading')}</h2>
      <ol>
        {!shrank && <li>{t('counterStatus.replaced.otherAccount')}</li>}
        <li>{t('storage.replaced.step1')}</li>
        <li>{t('storage.replaced.step2')}</li>
        <li>{t('storage.replaced.step3')}</li>
      </ol>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!confirmed || busy) return;
          setBusy(true);
          setError(null);
          onAccept().then(setRestore, (err: unknown) => {
            setError(errorText(t, err));
            setBusy(false);
          });
        }}
      >
        <label className="checkbox">
          <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> {t('storage.replaced.confirm')}
        </label>
        <p>
          <button type="submit" disabled={!confirmed || busy}>
            {busy ? t('storage.replaced.accepting') : t('storage.replaced.accept')}
          </button>
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
      <details>
        <summary>{t('storage.technical')}</summary>
        <pre>{t('storage.replaced.technical', { previous: ledger.databaseId, current: database.databaseId, resets, interpolation: { escapeValue: false } })}</pre>
      </details>
    </main>
  );
}

function RestoreSummary({ restore, onContinue }: { restore: SpoolRestore; onContinue: () => void }) {
  const { t } = useTranslation();
  return (
    <main className="app-main storage-failure" data-testid="database-restored">
      <h1>{t('storage.replaced.restoredHeading')}</h1>
      <p data-testid="restored">
        {restore.restored.length
          ? t('storage.replaced.restored', { count: restore.restored.length, codes: restore.restored.join(', ') })
          : t('storage.replaced.restoredNone')}
      </p>
      {restore.restoredEvents > 0 && <p data-testid="restored-events">{t('storage.replaced.restoredEvents', { count: restore.restoredEvents })}</p>}
      {restore.damaged.length > 0 && (
        <p className="error" role="alert">
          {t('storage.replaced.damaged', { count: restore.damaged.length, codes: restore.damaged.join(', ') })}
        </p>
      )}
      {restore.unconfirmed > 0 && <p>{t('storage.replaced.unconfirmed', { count: restore.unconfirmed })}</p>}
      <p>
        {/* IT has just finished here: Enter goes on to the counter. */}
        <button type="button" autoFocus onClick={onContinue}>
          {t('storage.replaced.continue')}
        </button>
      </p>
    </main>
  );
}
