import { useEffect, useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { dossierStatusNames } from '../../../../shared/sync/protocol';
import { formatVietnamDateTime } from '../../../../shared/domain/appointment';
import { boardColour } from '../../../../shared/domain/indicators';
import { useServices } from '../../app/services';
import { boardThresholds } from '../../db/counter-desk';
import { useSupplementClosureRules } from '../../app/reference-data';
import { holderOf, loadTrackedDossiers, markSupplementClosures, stillInProcessing, type TrackedDossier } from '../board/board-data';
import { DossierPanel } from './DossierPanel';

type Filter = 'ready' | 'supplement' | 'processing' | 'all';

const filters: readonly Filter[] = ['ready', 'supplement', 'processing', 'all'];

function matches(filter: Filter, d: TrackedDossier): boolean {
  if (filter === 'all') return true;
  if (filter === 'ready') return d.state.status === 9;
  if (filter === 'supplement') return d.state.status === 5 && !d.supplementClosedAt;
  return stillInProcessing(d);
}

/**
 * Following the dossiers this counter received: results to return (status 9), supplements asked for
 * (status 5) to record when the applicant brings them, dossiers in processing that may need an apology, each dossier's history (Mẫu 05) and every form printed for it.
 */
export function DeskScreen() {
  const { t } = useTranslation();
  const { db, config } = useServices();
  const loaded = useLiveQuery(() => loadTrackedDossiers(db), [db]);
  const thresholds = useLiveQuery(() => boardThresholds(db, config.deadlineThresholds), [db, config]) ?? config.deadlineThresholds;
  const [filter, setFilter] = useState<Filter>('ready');
  const [selected, setSelected] = useState<string | null>(null);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  // 2025 dossiers not supplemented within the window are closed (Art. 19.5): shown so, never red.
  const closure = useSupplementClosureRules();
  const dossiers = useMemo(() => (loaded ? markSupplementClosures(loaded, now, closure) : undefined), [loaded, now, closure]);

  const list = (dossiers ?? []).filter((d) => matches(filter, d));
  const current = (dossiers ?? []).find((d) => d.dossier.id === selected);
  const counts = Object.fromEntries(filters.map((f) => [f, (dossiers ?? []).filter((d) => matches(f, d)).length])) as Record<Filter, number>;

  const row = (d: TrackedDossier) => {
    const colour = stillInProcessing(d) ? boardColour(d.indicator, now, thresholds) : null;
    return (
      <tr key={d.dossier.id} data-code={d.dossier.code} className={selected === d.dossier.id ? 'selected' : ''}>
        <td className="code">
          <button type="button" className="link" onClick={() => setSelected(d.dossier.id)}>
            {d.dossier.code}
          </button>
        </td>
        <td>{holderOf(d)}</td>
        <td>{d.dossier.procedure.name}</td>
        <td data-status={d.state.status} {...(d.supplementClosedAt ? { 'data-closed': 'supplement-window' } : {})}>
          {d.supplementClosedAt ? t('timeLimits.closedStatus') : dossierStatusNames[d.state.status]}
        </td>
        <td>
          <span className="appointment" {...(colour ? { 'data-deadline': colour } : {})}>
            {colour && <span className={`deadline deadline-${colour}`} title={t(`queue.deadline.${colour}`)} aria-label={t(`queue.deadline.${colour}`)} />} {formatVietnamDateTime(new Date(d.state.appointmentAt))}
          </span>
        </td>
      </tr>
    );
  };

  return (
    <section aria-labelledby="desk-heading" className="desk">
      <h2 id="desk-heading">{t('desk.heading')}</h2>
      <div className="tabs" role="tablist">
        {filters.map((f) => (
          <button key={f} type="button" role="tab" aria-selected={filter === f} className={filter === f ? 'active' : ''} onClick={() => setFilter(f)}>
            {t(`desk.filters.${f}`, { count: counts[f] })}
          </button>
        ))}
      </div>
      {dossiers && list.length === 0 && <p className="muted">{t(`desk.empty.${filter}`)}</p>}
      {list.length > 0 && (
        <table className="queue">
          <thead>
            <tr>
              <th>{t('queue.columns.code')}</th>
              <th>{t('queue.columns.applicant')}</th>
              <th>{t('queue.columns.procedure')}</th>
              <th>{t('desk.status')}</th>
              <th>{t('queue.columns.appointment')}</th>
            </tr>
          </thead>
          <tbody>{list.map(row)}</tbody>
        </table>
      )}
      {current && <DossierPanel key={current.dossier.id} tracked={current} now={now} onClose={() => setSelected(null)} />}
    </section>
  );
}
