import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { formatVietnamDateTime } from '../../../../shared/domain/appointment';
import type { DossierId } from '../../../../shared/domain/dossier';
import { useServices } from '../../app/services';
import type { StoredFile } from '../../db/database';
import { formatBytes } from '../../db/storage-space';

/**
 * The dossier's scanned and signed files as this PC holds them: metadata only (the `files` table, never the
 * bytes). Once the retention step deleted the bytes after the central confirmed them, the file says so
 * plainly — it is not damage, and the original is at the central.
 */
export function DossierFiles({ dossierId }: { dossierId: DossierId }) {
  const { t } = useTranslation();
  const { db } = useServices();
  const files = useLiveQuery(() => db.files.where('dossierId').equals(dossierId).sortBy('componentCode'), [db, dossierId]);
  if (!files || files.length === 0) return null;
  return (
    <>
      <h4>{t('desk.files.heading')}</h4>
      <ul className="dossier-files" data-testid="dossier-files">
        {files.map((f: StoredFile) => (
          <li key={f.id} data-state={f.purgedAt ? 'purged' : 'held'}>
            <span className="file-name">{f.name}</span> <span className="muted">· {t('components.pages', { count: f.pageCount })} · {formatBytes(f.size)}</span>
            <br />
            {f.purgedAt ? (
              <span className="file-purged" title={t('desk.files.purgedAt', { time: formatVietnamDateTime(new Date(f.purgedAt)) })}>
                {t('desk.files.purged')}
              </span>
            ) : (
              <span className="muted">{f.confirmedAt ? t('desk.files.confirmedHeld') : t('desk.files.held')}</span>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
