import { useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Procedure } from '../../../../shared/domain/procedure';
import { demoCatalog } from '../../../../shared/domain/catalog-demo';
import { searchProcedures } from '../../../../shared/domain/search';

export function ProcedureStep({ onChoose }: { onChoose: (procedure: Procedure) => void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const matches = useMemo(() => {
    return searchProcedures(demoCatalog, query);
  }, [query]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') setActive((i) => Math.min(i + 1, matches.length - 1));
    else if (event.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
    else if (event.key === 'Enter' && matches[active]) onChoose(matches[active]);
    else return;
    event.preventDefault();
  };

  return (
    <section aria-labelledby="procedure-heading">
      <h2 id="procedure-heading">{t('procedure.heading')}</h2>
      <input
        className="search"
        type="search"
        autoFocus
        aria-label={t('procedure.search')}
        placeholder={t('procedure.search')}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul className="procedure-list" role="listbox" aria-label={t('procedure.heading')}>
        {matches.map((p, index) => (
          <li key={p.code} role="option" aria-selected={index === active} className={index === active ? 'active' : ''} onClick={() => onChoose(p)} onMouseEnter={() => setActive(index)}>
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
        ))}
      </ul>
    </section>
  );
}
