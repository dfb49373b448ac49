import { useMemo, useState, type KeyboardEvent } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { Procedure } from '../../../../shared/domain/procedure';
import { searchProcedures } from '../../../../shared/domain/search';
import { formatVietnamDateTime } from '../../../../shared/domain/appointment';
import { useServices } from '../../app/services';
import { useCatalog } from '../../app/reference-data';
import { awaitingCompletion, favouriteProcedures, toggleFavourite } from '../../db/counter-desk';
import type { PendingDossierRow } from '../../db/database';

/**
 * Choosing the procedure: diacritic-insensitive search, the clerk's favourites first (☆ toggles), and the
 * dossiers waiting for the applicant's missing papers, to reopen when they come back.
 */
export function ProcedureStep({ onChoose, onReopen, openPendingId = null }: { onChoose: (procedure: Procedure) => void; onReopen: (pending: PendingDossierRow) => void; openPendingId?: string | null }) {
  const { t } = useTranslation();
  const { db } = useServices();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const catalog = useCatalog();
  const savedFavourites = useLiveQuery(() => favouriteProcedures(db), [db]);
  const favourites = useMemo(() => savedFavourites ?? [], [savedFavourites]);
  // The one open in the wizard right now is not offered again.
  const waiting = (useLiveQuery(() => awaitingCompletion(db), [db]) ?? []).filter((p) => p.id !== openPendingId);
  const matches = useMemo(() => {
    const found = searchProcedures(catalog, query);
    // Favourites first, in the search's own order otherwise.
    return [...found.filter((p) => favourites.includes(p.code)), ...found.filter((p) => !favourites.includes(p.code))];
  }, [catalog, query, favourites]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') setActive((i) => Math.min(i + 1, matches.length - 1));
    else if (event.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
    else if (event.key === 'Enter' && matches[active]) onChoose(matches[active]);
    else return;
    event.preventDefault();
  };

  return (
    <section aria-labelledby="procedure-heading">
      {waiting.length > 0 && (
        <div className="awaiting" aria-labelledby="awaiting-heading">
          <h3 id="awaiting-heading">{t('decision.awaitingHeading', { count: waiting.length })}</h3>
          <ul>
            {waiting.map((p) => (
              <li key={p.id} data-pending={p.id}>
                <span>
                  <strong>{p.applicant.organisation?.name ?? p.applicant.fullName}</strong> · {p.procedure.name} ·{' '}
                  <span className="muted">{t('decision.awaitingSince', { time: formatVietnamDateTime(new Date(p.createdAt)), rounds: p.rounds.length })}</span>
                </span>
                <button type="button" onClick={() => onReopen(p)}>
                  {t('decision.reopen')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <h2 id="procedure-heading">{t('procedure.heading')}</h2>
      <input
        className="search"
        type="search"
        autoFocus
        data-primary
        aria-label={t('procedure.search')}
        placeholder={t('procedure.search')}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      {matches.length === 0 && query.trim() !== '' && (
        // A national code (digits and dots, e.g. 1.001193) that is not in the catalog says so; other text found nothing.
        <p className="error" role="alert">
          {/^[\d.]*\d[\d.]*$/.test(query.trim()) ? t('errors.PROCEDURE_UNKNOWN', { code: query.trim() }) : t('procedure.noMatch', { query: query.trim() })}
        </p>
      )}
      <ul className="procedure-list" role="listbox" aria-label={t('procedure.heading')}>
        {matches.map((p, index) => {
          const favourite = favourites.includes(p.code);
          return (
            <li key={p.code} role="option" aria-selected={index === active} className={index === active ? 'active' : ''} onClick={() => onChoose(p)} onMouseEnter={() => setActive(index)}>
              <button
                type="button"
                className={`star${favourite ? ' on' : ''}`}
                aria-pressed={favourite}
                aria-label={favourite ? t('procedure.unfavourite', { code: p.code }) : t('procedure.favourite', { code: p.code })}
                tabIndex={-1}
                onClick={(e) => {
                  e.stopPropagation();
                  void toggleFavourite(db, p.code);
                }}
              >
                {favourite ? '★' : '☆'}
              </button>
              <span className="code">{p.code}</span>
              <span className="name">{p.name}</span>
              <span className="meta">
                {p.field} ·{' '}
                {p.timeLimit.amount === 0
                  ? t('procedure.sameDay')
                  : t('procedure.timeLimit', { amount: p.timeLimit.amount, unit: t(`procedure.units.${p.timeLimit.unit}`) })}{' '}
                · {t('procedure.components', { count: p.components.length })}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
