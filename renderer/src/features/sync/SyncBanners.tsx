import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import type { StorageSpace } from '../../db/storage-space';
import { centralStatus, centralStatusDetailId, enrollCommands } from './central-status';
import { formatBytes } from './format';
import { useSyncSnapshot } from './useSyncSnapshot';

/**
 * Warnings that concern every screen: the central refuses this counter or answers with errors, the counter's
 * clock is off, the disk is filling, the database failed.
 */
export function SyncBanners() {
  const { t } = useTranslation();
  const { storageSpace, config } = useServices();
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
  const status = centralStatus(snapshot);
  const commands = enrollCommands(config, { code: t('counterStatus.central.codePlaceholder'), name: t('counterStatus.central.namePlaceholder') });
  const httpStatus = (details: Record<string, string | number>): string => (typeof details.status === 'number' ? t('counterStatus.central.httpStatus', { status: details.status }) : '');
  return (
    <>
      {status.kind === 'refused' && (
        // A live region the header's status names as its description: a screen reader reads the reason with
        // "refused". Not role=alert: it is a standing condition, and the screen's own alerts (a wrong password,
        // an unreadable QR code) must stay the only ones.
        <div className="banner banner-error central-refused" role="status" id={centralStatusDetailId} data-testid="central-refused" data-error={status.error.code}>
          {status.error.code === 'COUNTER_UPDATE_REQUIRED' ? (
            // Issue 16: the central's minimum version. The message says the dossiers are kept and what happens next.
            <p>
              <strong>{t('counterStatus.central.updateRequiredTitle')}</strong> {t(`errors.${status.error.code}`, { ...status.error.details, defaultValue: status.error.code })}
            </p>
          ) : (
            <>
              <p>
                <strong>{t('counterStatus.central.refusedTitle')}</strong> {t(`errors.${status.error.code}`, { ...status.error.details, defaultValue: status.error.code })}
              </p>
              <p>{t('counterStatus.central.refusedKeep')}</p>
              <p>{t('counterStatus.central.itHeading')}</p>
              <ol>
                <li>
                  {t('counterStatus.central.itCode')} <code>{commands.issueCode}</code>
                </li>
                <li>
                  {t('counterStatus.central.itEnroll')} <code>{commands.enroll}</code>
                </li>
              </ol>
              {status.error.code === 'DEVICE_UNIT_MISMATCH' && <p>{t('counterStatus.central.itConfig')}</p>}
            </>
          )}
        </div>
      )}
      {status.kind === 'central-error' && (
        <div className="banner banner-warn" role="status" id={centralStatusDetailId} data-testid="central-failing" data-error={status.error.code}>
          {t(status.error.code === 'CENTRAL_NOT_A_CENTRAL' ? 'counterStatus.central.wrongAnswerDetail' : 'counterStatus.central.failingDetail', {
            status: httpStatus(status.error.details),
            central: config.centralUrl,
          })}
        </div>
      )}
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
