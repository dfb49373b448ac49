import { memo, useCallback, useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { formatVietnamDateTime } from '../../../../shared/domain/appointment';
import { useServices } from '../../app/services';
import { heldSearchKeys, queueView, requeueDossier, watchSearchKeys, type QueueItem } from '../../db/queue';
import { outboxStates, type OutboxState } from '../../db/database';
import { deadlineColour, deadlineColours, type DeadlineThresholds } from '../../../../shared/domain/deadline';
import type { DossierId } from '../../../../shared/domain/dossier';
import { ProgressBar } from '../../ui/ProgressBar';
import { isProvisionalDossierCode } from '../../../../shared/domain/dossier-code';

/**
 * Rows shown per page: more than a screenful, few enough that the first render stays quick on a counter PC
 * (rendering the rows, not reading them, was most of the time with 200); "show older" adds pages.
 */
const pageSize = 50;

interface QueueRowProps {
  readonly item: QueueItem;
  /** The clock in whole minutes, so a row re-renders when its colour may change, not on every tick. */
  readonly nowMinute: number;
  readonly thresholds: DeadlineThresholds;
  readonly onRetry: (dossierId: DossierId) => void;
}

/**
 * One dossier. Memoized by content: a live update (one row's upload progress) re-renders that row only,
 * although the query hands back fresh objects for all of them.
 */
const QueueRow = memo(function QueueRow({ item, nowMinute, thresholds, onRetry }: QueueRowProps) {
  const { t } = useTranslation();
  return (
      <tr key={item.dossierId} data-code={item.code} data-state={item.state}>
        <td className="code">{item.code}</td>
        <td>{item.applicantName}</td>
        <td>{item.procedureName}</td>
        <td className="date">{formatVietnamDateTime(new Date(item.receivedAt))}</td>
        <td>
          {(() => {
            const colour = deadlineColour(new Date(item.receivedAt), new Date(item.appointmentAt), new Date(nowMinute * 60_000), thresholds);
            return (
              <span className="appointment" data-deadline={colour}>
                <span className={`deadline deadline-${colour}`} title={t(`queue.deadline.${colour}`)} aria-label={t(`queue.deadline.${colour}`)} />{' '}
                {formatVietnamDateTime(new Date(item.appointmentAt))}
              </span>
            );
          })()}
        </td>
        <td>
          <span className={`state state-${item.state}`}>{t(`queue.states.${item.state}`)}</span>
          {item.state === 'uploading' && <ProgressBar value={item.bytesTotal ? item.bytesSent / item.bytesTotal : 0} />}
        </td>
        <td>
          <div className="detail">
          {isProvisionalDossierCode(item.code) && <span className="notice" data-testid="code-provisional">{t('dossierCode.provisional')}</span>}
          {item.provisionalCode && (
            <span className="notice" role="status" data-testid="code-reprint">
              {t('dossierCode.reprint', { provisional: item.provisionalCode })}
            </span>
          )}
          {item.lastError && item.state !== 'acknowledged' && <span className={item.state === 'failed' ? 'error' : 'notice'}>{t(`errors.${item.lastError.code}`, { ...item.lastError.details })}</span>}
          {item.state === 'waiting' && item.attempts > 0 && <span className="muted"> {t('queue.nextAttempt', { time: formatVietnamDateTime(new Date(item.nextAttemptAt)) })}</span>}
          {item.centralId && <span className="muted">{t('queue.centralId', { id: item.centralId })}</span>}
          {item.centralReceivedAt && item.acknowledgedAt && (
            <span className="muted">
              {t('queue.centralReceived', { central: formatVietnamDateTime(new Date(item.centralReceivedAt)), counter: formatVietnamDateTime(new Date(item.acknowledgedAt)) })}
            </span>
          )}
          {item.state === 'failed' && (
            <button type="button" onClick={() => onRetry(item.dossierId)}>
              {t('queue.retry')}
            </button>
          )}
          </div>
        </td>
      </tr>
  );
}, (before, after) => before.nowMinute === after.nowMinute && before.thresholds === after.thresholds && before.onRetry === after.onRetry && JSON.stringify(before.item) === JSON.stringify(after.item));

/** Every dossier this counter accepted and where it stands with the central. Updates live. */
export function QueueScreen() {
  const { t } = useTranslation();
  const { db, sync, config } = useServices();
  const [text, setText] = useState('');
  const [state, setState] = useState<OutboxState | ''>('');
  const [limit, setLimit] = useState(pageSize);
  const retry = useCallback((dossierId: DossierId) => void requeueDossier(db, dossierId, new Date()).then(() => sync.syncNow()), [db, sync]);
  // The search keys are held in memory (re-read only when a dossier is saved), so a keystroke filters them
  // without reading IndexedDB's 10,000 keys again. The first time, they are read once the first rows are
  // drawn, so opening the screen does not wait on them; until they are in, the view reads its own (same result).
  const [keys, setKeys] = useState(() => heldSearchKeys(db));
  const items = useLiveQuery(() => queueView(db, limit, { text, ...(state ? { state } : {}) }, keys), [db, text, state, limit, keys]);
  const shown = items !== undefined;
  useEffect(() => (shown ? watchSearchKeys(db, setKeys) : undefined), [db, shown]);
  // Colours move with the clock: look again every minute.
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);

  return (
    <section aria-labelledby="queue-heading">
      <div className="section-head">
        <h2 id="queue-heading">{t('queue.heading')}</h2>
      </div>
      <ul className="deadline-legend" aria-label={t('queue.legend')}>
        {deadlineColours.map((colour) => (
          <li key={colour}>
            <span className={`deadline deadline-${colour}`} aria-hidden="true" /> {t(`queue.deadline.${colour}`)}
          </li>
        ))}
      </ul>
      <div className="queue-filters">
        <input type="search" aria-label={t('queue.search')} placeholder={t('queue.search')} value={text} onChange={(e) => {
            // A new search starts again at the first page.
            setText(e.target.value);
            setLimit(pageSize);
          }} />
        <label>
          {t('queue.stateFilter')}{' '}
          <select value={state} onChange={(e) => {
              setState(e.target.value as OutboxState | '');
              setLimit(pageSize);
            }}>
            <option value="">{t('queue.allStates')}</option>
            {outboxStates.map((s) => (
              <option key={s} value={s}>
                {t(`queue.states.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {items && items.length === 0 && <p>{text || state ? t('queue.noMatch') : t('queue.empty')}</p>}
      {items && items.length > 0 && (
        <table className="queue">
          <thead>
            <tr>
              <th>{t('queue.columns.code')}</th>
              <th>{t('queue.columns.applicant')}</th>
              <th>{t('queue.columns.procedure')}</th>
              <th>{t('queue.columns.received')}</th>
              <th>{t('queue.columns.appointment')}</th>
              <th>{t('queue.columns.state')}</th>
              <th>{t('queue.columns.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <QueueRow key={item.dossierId} item={item} nowMinute={Math.floor(now.getTime() / 60_000)} thresholds={config.deadlineThresholds} onRetry={retry} />
            ))}
          </tbody>
        </table>
      )}
      {items && items.length === limit && (
        <button type="button" className="show-more" onClick={() => setLimit(limit + pageSize)}>
          {t('queue.showMore')}
        </button>
      )}
    </section>
  );
}
