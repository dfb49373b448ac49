import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { formatVietnamDateTime } from '../../../../shared/domain/appointment';
import { useServices } from '../../app/services';
import { queueCounts } from '../../db/queue';
import { formatBytes, formatDuration } from './format';
import { useSyncSnapshot } from './useSyncSnapshot';

/**
 * Always visible in the header: is the central reachable, how many dossiers wait, how many bytes are left
 * and about how long that takes at the measured speed, and a "sync now" button.
 */
export function SyncIndicator() {
  const { t, i18n } = useTranslation();
  const { db, sync } = useServices();
  const snapshot = useSyncSnapshot();
  // Counts from this thread's own live query: right even before the worker's first snapshot.
  const counts = useLiveQuery(() => queueCounts(db), [db]);
  const [busy, setBusy] = useState(false);
  const connectivity = snapshot.connectivity;
  const pending = counts?.pending ?? snapshot.waiting;
  const bytesLeft = counts?.bytesLeft ?? snapshot.bytesLeft;
  const title = [
    snapshot.lastContactAt ? t('sync.lastContact', { time: formatVietnamDateTime(new Date(snapshot.lastContactAt)) }) : t('sync.neverContacted'),
    snapshot.lastProbeError ? t('sync.offlineReason', { message: t(`errors.${snapshot.lastProbeError.code}`, { ...snapshot.lastProbeError.details }) }) : '',
  ]
    .filter(Boolean)
    .join('\n');

  const syncNow = async (): Promise<void> => {
    setBusy(true);
    try {
      await sync.syncNow();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={`sync-indicator ${connectivity}`} data-testid="sync-indicator" data-connectivity={connectivity}>
      <span className="dot" aria-hidden="true" />
      <span role="status" aria-live="polite" title={title}>
        <span className="connectivity">{t(`sync.${connectivity}`)}</span>
        {pending > 0 ? (
          <span className="waiting" data-testid="sync-waiting">
            {' · '}
            {t('sync.waiting', { count: pending })}
            {bytesLeft > 0 && <> · {t('sync.bytesLeft', { size: formatBytes(bytesLeft) })}</>}
            {snapshot.secondsLeft !== undefined && connectivity === 'online' && (
              <span data-testid="sync-eta">
                {' · '}
                {t('sync.timeLeft', { time: formatDuration(snapshot.secondsLeft, i18n.language) })}
                {snapshot.bytesPerSecond !== undefined && <> ({t('sync.speed', { speed: formatBytes(snapshot.bytesPerSecond) })})</>}
              </span>
            )}
          </span>
        ) : (
          connectivity === 'online' && <span className="muted-light"> · {t('sync.allSent')}</span>
        )}
        {snapshot.eventsWaiting > 0 && <span> · {t('sync.eventsWaiting', { count: snapshot.eventsWaiting })}</span>}
        {(counts?.failed ?? snapshot.failed) > 0 && <span className="failed-count"> · {t('sync.failed', { count: counts?.failed ?? snapshot.failed })}</span>}
      </span>
      <button type="button" className="sync-now" onClick={() => void syncNow()} disabled={busy} title={t('sync.syncNow')}>
        {busy ? t('sync.busy') : t('sync.syncNow')}
      </button>
    </div>
  );
}
