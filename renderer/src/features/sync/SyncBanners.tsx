import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import type { StorageSpace } from '../../db/storage-space';
import { formatBytes } from './format';
import { useSyncSnapshot } from './useSyncSnapshot';

/** Warnings that concern every screen: the counter's clock is off, the disk is filling, the database failed. */
export function SyncBanners() {
  const { t } = useTranslation();
  const { storageSpace } = useServices();
  const snapshot = useSyncSnapshot();
  const [space, setSpace] = useState<StorageSpace | undefined>();

  useEffect(() => {
    let live = true;
    const check = (): void => {
      storageSpace()
        .then((s) => live && setSpace(s))
        .catch(() => undefined);
    };
    check();
    // The queue grows with every accepted dossier: look again every minute.
    const timer = setInterval(check, 60_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [storageSpace, snapshot.waiting]);

  const offsetMinutes = Math.round(Math.abs(snapshot.centralClockOffsetMs ?? 0) / 60_000);
  return (
    <>
      {snapshot.clockSkewWarning && (
        <div className="banner banner-warn" role="alert" data-testid="clock-skew-warning">
          {t('sync.clockSkew', { minutes: offsetMinutes })}
        </div>
      )}
      {space && space.level !== 'ok' && (
        <div className={`banner ${space.level === 'critical' ? 'banner-error' : 'banner-warn'}`} role="alert" data-testid="storage-warning">
          {t(`storage.${space.level}`, { free: formatBytes(space.free) })}
        </div>
      )}
      {snapshot.damaged > 0 && (
        <div className="banner banner-error" role="alert" data-testid="queue-damaged">
          {t('sync.damaged', { count: snapshot.damaged })}
        </div>
      )}
      {snapshot.storageError && (
        <div className="banner banner-error" role="alert" data-testid="storage-error">
          {t('sync.storageError', { message: t(`errors.${snapshot.storageError.code}`, { ...snapshot.storageError.details }) })}
        </div>
      )}
    </>
  );
}
