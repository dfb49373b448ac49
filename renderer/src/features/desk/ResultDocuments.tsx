import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { DossierId } from '../../../../shared/domain/dossier';
import { useServices } from '../../app/services';
import type { ResultFileRow } from '../../db/database';
import { readResultFile, resultFilesOf } from '../../db/result-files';
import { formatBytes } from '../../db/storage-space';
import { errorText } from '../../ui/errors';
import { useSyncSnapshot } from '../sync/useSyncSnapshot';
import { PrintButton } from '../../ui/PrintButton';
import { PdfThumbnail } from '../../ui/PdfPreview';

/** Errors that only mean "no link to the central right now": the file will come by itself. */
const linkErrors = new Set(['CENTRAL_UNREACHABLE', 'CENTRAL_NOT_A_CENTRAL', 'CENTRAL_UPLOAD_STALLED']);

export interface ResultView {
  readonly pdf: Uint8Array;
  readonly label: string;
  readonly fileName: string;
}

/** One result document: its first page, its state, "Xem" and "In" once it is on this counter. */
function ResultDocument({ row, code, onView }: { row: ResultFileRow; code: string; onView: (view: ResultView) => void }) {
  const { t } = useTranslation();
  const { db } = useServices();
  const [bytes, setBytes] = useState<Uint8Array | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (row.state !== 'downloaded') return;
    let current = true;
    readResultFile(db, row.dossierId, row.sha256).then(
      (b) => current && setBytes(b),
      (err: unknown) => current && setError(errorText(t, err)),
    );
    return () => {
      current = false;
    };
  }, [db, row.dossierId, row.sha256, row.state, row.downloadedAt, t]);

  const label = `${row.name} — ${code}`;
  const offline = useSyncSnapshot().connectivity === 'offline';
  // Waiting only for the link (offline now, or the last try had no answer): the error itself says nothing more.
  const waitingForLink = row.state === 'waiting' && (offline || (row.lastError !== undefined && linkErrors.has(row.lastError.code)));
  const stateText =
    row.state === 'downloaded'
      ? t('desk.results.downloaded')
      : row.state === 'failed'
        ? t('desk.results.failed')
        : waitingForLink
          ? t('desk.results.waitingLink')
          : row.lastError
            ? t('desk.results.retrying')
            : t('desk.results.queued');
  // Why a file failed is the clerk's business; a retry in progress says enough with its state.
  const showError = row.state === 'failed' && row.lastError !== undefined;
  return (
    <li className={`result-document result-${row.state}`} data-state={row.state} data-name={row.name}>
      <div className="result-thumb">{bytes ? <PdfThumbnail bytes={bytes} label={label} /> : <div className="pdf-icon">PDF</div>}</div>
      <div className="result-body">
        <span className="file-name">{row.name}</span>
        <span className="muted">{formatBytes(row.size)}</span>
        <span className={`badge result-state-${row.state}`}>{stateText}</span>
        {showError && row.lastError && <span className="error">{t(`errors.${row.lastError.code}`, { ...row.lastError.details })}</span>}
        {error && <span className="error">{error}</span>}
        <span className="result-actions">
          <button type="button" disabled={!bytes} onClick={() => bytes && onView({ pdf: bytes, label, fileName: row.name })} aria-label={t('desk.results.viewLabel', { name: row.name })}>
            {t('desk.view')}
          </button>
          <PrintButton pdf={bytes} label={label} ariaLabel={t('desk.results.printLabel', { name: row.name })}>
            {t('desk.print')}
          </PrintButton>
        </span>
      </div>
    </li>
  );
}

/**
 * The result documents the deciding agency sent with status 9, fetched ahead of time by the sync worker:
 * each with its state (on this counter / waiting for the link / error), a thumbnail, "Xem" and "In".
 */
export function ResultDocuments({ dossierId, code, returned, onView }: { dossierId: DossierId; code: string; returned: boolean; onView: (view: ResultView) => void }) {
  const { t } = useTranslation();
  const { db } = useServices();
  const rows = useLiveQuery(() => resultFilesOf(db, dossierId), [db, dossierId]);
  if (!rows) return null;
  if (returned && rows.length === 0) return null;
  return (
    <section className="panel-form result-documents" aria-labelledby={`results-${dossierId}`}>
      <h4 id={`results-${dossierId}`}>{t('desk.results.heading')}</h4>
      {rows.length === 0 ? (
        <p className="muted">{t('desk.results.none')}</p>
      ) : (
        <ul className="result-list">
          {rows.map((row) => (
            <ResultDocument key={row.sha256} row={row} code={code} onView={onView} />
          ))}
        </ul>
      )}
      {rows.length > 0 && <p className="muted">{returned ? t('desk.results.purgeSoon') : t('desk.results.purgeNote')}</p>}
    </section>
  );
}
