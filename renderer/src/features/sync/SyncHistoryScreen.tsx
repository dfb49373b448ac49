import { useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { toVietnamIso } from '../../../../shared/domain/time';
import { referenceKinds } from '../../../../shared/sync/protocol';
import { useServices } from '../../app/services';
import type { CounterDatabase, SyncLogEntry, SyncLogLevel } from '../../db/database';
import { clockMetaKey, type ClockReading } from '../../sync/clock';
import { changesCursorKey } from '../../sync/pull';

const shownEvents = 500;

async function historyView(db: CounterDatabase) {
  return db.transaction('r', [db.syncLog, db.dossiers, db.syncMeta, db.reference], async () => {
    const entries = await db.syncLog.orderBy('id').reverse().limit(shownEvents).toArray();
    const ids = [...new Set(entries.flatMap((e) => (e.dossierId ? [e.dossierId] : [])))];
    const dossiers = await db.dossiers.bulkGet(ids);
    const codes = new Map(ids.map((id, i) => [id, dossiers[i]?.code ?? id]));
    const clock = (await db.syncMeta.get(clockMetaKey))?.value as ClockReading | undefined;
    const cursor = (await db.syncMeta.get(changesCursorKey))?.value as number | undefined;
    const references = await db.reference.toArray();
    // The latest refused document of each kind (it may be older than the shown events): kept apart so it stays visible.
    const refused = new Map<string, SyncLogEntry>();
    for (const entry of await db.syncLog.orderBy('id').reverse().toArray()) {
      if (entry.event === 'reference:invalid' && typeof entry.details.kind === 'string' && !refused.has(entry.details.kind)) refused.set(entry.details.kind, entry);
      if (refused.size === referenceKinds.length) break;
    }
    return { entries, codes, clock, cursor, references, refused };
  });
}

/** Vietnam time to the second ("2026-11-23 14:00:40"): IT compares events seconds apart. */
function stamp(iso: string): string {
  return toVietnamIso(new Date(iso)).slice(0, 19).replace('T', ' ');
}

function detailsText(entry: SyncLogEntry): string {
  return Object.entries(entry.details)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' · ');
}

/** What the sync engine did, newest first: for IT staff diagnosing a counter (Alt+4). */
export function SyncHistoryScreen() {
  const { t } = useTranslation();
  const { db } = useServices();
  const view = useLiveQuery(() => historyView(db), [db]);
  const [level, setLevel] = useState<SyncLogLevel | 'all'>('all');
  const [text, setText] = useState('');

  const rows = useMemo(() => {
    if (!view) return [];
    const needle = text.trim().toLowerCase();
    return view.entries.filter((entry) => {
      if (level !== 'all' && entry.level !== level) return false;
      if (!needle) return true;
      const code = entry.dossierId ? (view.codes.get(entry.dossierId) ?? '') : '';
      return entry.event.toLowerCase().includes(needle) || code.toLowerCase().includes(needle) || detailsText(entry).toLowerCase().includes(needle);
    });
  }, [view, level, text]);

  return (
    <section aria-labelledby="history-heading" className="sync-history">
      <div className="section-head">
        <h2 id="history-heading">{t('history.heading')}</h2>
      </div>
      <p className="muted">{t('history.intro')}</p>
      {view && (
        <ul className="sync-facts" data-testid="sync-facts">
          {view.clock && (
            <li>
              {t('history.clock', {
                central: stamp(view.clock.centralTime),
                counter: stamp(view.clock.counterTime),
                offset: Math.round(view.clock.offsetMs / 1000),
              })}
            </li>
          )}
          {view.cursor !== undefined && <li>{t('history.cursor', { cursor: view.cursor })}</li>}
          {referenceKinds.map((kind) => {
            const held = view.references.find((r) => r.kind === kind);
            const refused = view.refused.get(kind);
            // Shown while the last document the central sent was refused after the copy in use was taken.
            const stillRefused = refused && (!held || refused.at > held.fetchedAt);
            const name = t(`history.kinds.${kind}`);
            return (
              <li key={kind} data-reference={kind}>
                {held ? t('history.reference', { kind: name, version: held.version, at: stamp(held.fetchedAt) }) : t('history.noReference', { kind: name })}
                {stillRefused && (
                  <p className="error" role="alert">
                    {t('history.referenceRefused', { at: stamp(refused.at), kept: held ? t('history.keptVersion', { version: held.version }) : t('history.keptBuiltIn') })}{' '}
                    {t('errors.REFERENCE_DATA_INVALID', { ...refused.details, kind: name })}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <div className="history-filters">
        <label>
          {t('history.filter')}{' '}
          <select value={level} onChange={(e) => setLevel(e.target.value as SyncLogLevel | 'all')}>
            {(['all', 'error', 'warn', 'info'] as const).map((l) => (
              <option key={l} value={l}>
                {t(`history.levels.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <input type="search" placeholder={t('history.search')} aria-label={t('history.search')} value={text} onChange={(e) => setText(e.target.value)} />
        {view && <span className="muted">{t('history.shown', { count: Math.min(view.entries.length, shownEvents) })}</span>}
      </div>
      {view && rows.length === 0 && <p>{t('history.empty')}</p>}
      {rows.length > 0 && (
        <table className="queue history" data-testid="sync-history">
          <thead>
            <tr>
              <th>{t('history.columns.at')}</th>
              <th>{t('history.columns.level')}</th>
              <th>{t('history.columns.event')}</th>
              <th>{t('history.columns.dossier')}</th>
              <th>{t('history.columns.details')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((entry) => (
              <tr key={entry.id} data-level={entry.level} data-event={entry.event}>
                <td className="when">{stamp(entry.at)}</td>
                <td>
                  <span className={`level level-${entry.level}`}>{t(`history.levels.${entry.level}`)}</span>
                </td>
                <td className="code">{entry.event}</td>
                <td className="code">{entry.dossierId ? view?.codes.get(entry.dossierId) : ''}</td>
                <td className="history-details">
                  {typeof entry.details.error === 'string' && (
                    <div>{t(`errors.${entry.details.error}`, { defaultValue: entry.details.error, ...entry.details })}</div>
                  )}
                  <code>{detailsText(entry)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
