import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { formatVietnamDateTime } from '../../../../shared/domain/appointment';
import { useServices } from '../../app/services';
import { queueCounts } from '../../db/queue';
import { centralStatus, centralStatusDetailId } from './central-status';
import { formatBytes, formatDuration } from './format';
import { useSyncSnapshot } from './useSyncSnapshot';

/**
 * Always visible in the header: is the central reachable and does it accept this counter (green only then;
 * red when it refuses it, amber when it answers with errors — SyncBanners says why), how many dossiers wait,
 * how many bytes are left and about how long that takes at the measured speed, and a "sync now" button.
 */
export function SyncIndicator() {
  const { t, i18n } = useTranslation();
  const { db, sync } = useServices();
  const snapshot = useSyncSnapshot();
  // Counts from this thread's own live query: right even before the worker's first snapshot.
  const counts = useLiveQuery(() => queueCounts(db), [db]);
  const [busy, setBusy] = useState(false);
  const connectivity = snapshot.connectivity;
  const status = centralStatus(snapshot);
  const accepting = status.kind === 'accepting';
  const label =
    status.kind === 'accepting'
      ? t('sync.online')
      : status.kind === 'refused'
        ? t(status.error.code === 'COUNTER_UPDATE_REQUIRED' ? 'counterStatus.central.updateRequired' : 'counterStatus.central.refused')
        : status.kind === 'central-error'
          ? t(status.error.code === 'CENTRAL_NOT_A_CENTRAL' ? 'counterStatus.central.wrongAnswer' : 'counterStatus.central.failing')
          : t(`sync.${status.kind === 'offline' ? 'offline' : 'unknown'}`);
  // The banner under the header explains a refusal or an error: the status is read together with it.
  const described = status.kind === 'refused' || status.kind === 'central-error';
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
    <div className={`sync-indicator ${status.kind}`} data-testid="sync-indicator" data-connectivity={connectivity} data-central={status.kind}>
      <span className="dot" aria-hidden="true" />
      <span role="status" aria-live="polite" title={title} {...(described ? { 'aria-describedby': centralStatusDetailId } : {})}>
        <span className="connectivity">{label}</span>
        {pending > 0 ? (
          <span className="waiting" data-testid="sync-waiting">
            {' · '}
            {t('sync.waiting', { count: pending })}
            {bytesLeft > 0 && <> · {t('sync.bytesLeft', { size: formatBytes(bytesLeft) })}</>}
            {snapshot.secondsLeft !== undefined && accepting && (
              <span data-testid="sync-eta">
                {' · '}
                {t('sync.timeLeft', { time: formatDuration(snapshot.secondsLeft, i18n.language) })}
                {snapshot.bytesPerSecond !== undefined && <> ({t('sync.speed', { speed: formatBytes(snapshot.bytesPerSecond) })})</>}
              </span>
            )}
          </span>
        ) : (
          // "All sent" only when the central takes them: a refused counter has sent nothing it holds.
          accepting && <span className="muted-light"> · {t('sync.allSent')}</span>
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
