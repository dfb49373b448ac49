import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { formatVietnamDateTime } from '../../../../shared/domain/appointment';
import { useServices } from '../../app/services';
import { queueView, requeueDossier } from '../../db/queue';
import { outboxStates, type OutboxState } from '../../db/database';
import { deadlineColour, deadlineColours } from '../../../../shared/domain/deadline';
import { ProgressBar } from '../../ui/ProgressBar';

/** Rows shown per page: enough to scan by eye, few enough to render at once on a slow PC. */
const pageSize = 200;

/** Every dossier this counter accepted and where it stands with the central. Updates live. */
export function QueueScreen() {
  const { t } = useTranslation();
  const { db, sync, config } = useServices();
  const [text, setText] = useState('');
  const [state, setState] = useState<OutboxState | ''>('');
  const [limit, setLimit] = useState(pageSize);
  // A new search starts again at the first page.
  useEffect(() => setLimit(pageSize), [text, state]);
  const items = useLiveQuery(() => queueView(db, limit, { text, ...(state ? { state } : {}) }), [db, text, state, limit]);
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
        <input type="search" aria-label={t('queue.search')} placeholder={t('queue.search')} value={text} onChange={(e) => setText(e.target.value)} />
        <label>
          {t('queue.stateFilter')}{' '}
          <select value={state} onChange={(e) => setState(e.target.value as OutboxState | '')}>
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
              <tr key={item.dossierId} data-code={item.code} data-state={item.state}>
                <td className="code">{item.code}</td>
                <td>{item.applicantName}</td>
                <td>{item.procedureName}</td>
                <td>{formatVietnamDateTime(new Date(item.receivedAt))}</td>
                <td>
                  {(() => {
                    const colour = deadlineColour(new Date(item.receivedAt), new Date(item.appointmentAt), now, config.deadlineThresholds);
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
                  {item.lastError && item.state !== 'acknowledged' && <span className={item.state === 'failed' ? 'error' : 'notice'}>{t(`errors.${item.lastError.code}`, { ...item.lastError.details })}</span>}
                  {item.state === 'waiting' && item.attempts > 0 && <span className="muted"> {t('queue.nextAttempt', { time: formatVietnamDateTime(new Date(item.nextAttemptAt)) })}</span>}
                  {item.centralId && <span className="muted">{t('queue.centralId', { id: item.centralId })}</span>}
                  {item.centralReceivedAt && item.acknowledgedAt && (
                    <span className="muted">
                      {t('queue.centralReceived', { central: formatVietnamDateTime(new Date(item.centralReceivedAt)), counter: formatVietnamDateTime(new Date(item.acknowledgedAt)) })}
                    </span>
                  )}
                  {item.state === 'failed' && (
                    <button type="button" onClick={() => void requeueDossier(db, item.dossierId, new Date()).then(() => sync.syncNow())}>
                      {t('queue.retry')}
                    </button>
                  )}
                  </div>
                </td>
              </tr>
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
