import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { queueCounts } from '../../db/queue';
import type { SyncSnapshot } from '../../sync/engine';

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Always visible: is the central reachable, how much is waiting. */
export function SyncIndicator() {
  const { t } = useTranslation();
  const { db, sync } = useServices();
  const [snapshot, setSnapshot] = useState<SyncSnapshot | null>(null);
  const counts = useLiveQuery(() => queueCounts(db), [db]);
  useEffect(() => sync.subscribe(setSnapshot), [sync]);
  const connectivity = snapshot?.connectivity ?? 'unknown';

  return (
    <div className={`sync-indicator ${connectivity}`} role="status" aria-live="polite" data-testid="sync-indicator">
      <span className="dot" aria-hidden="true" />
      <span>{t(`sync.${connectivity}`)}</span>
      {counts && counts.pending > 0 && (
        <span className="waiting">
          · {t('sync.waiting', { count: counts.pending })}
          {counts.bytesLeft > 0 && <> · {t('sync.bytesLeft', { size: formatBytes(counts.bytesLeft) })}</>}
        </span>
      )}
    </div>
  );
}
