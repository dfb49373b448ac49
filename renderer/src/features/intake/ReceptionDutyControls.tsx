/**
 * The clerk's reception duties at intake (Decree 118 Art. 17.1.a–b), made for a task repeated all day: the
 * VNeID check is one row of radio buttons answered by one key (1–5, the most common first), the source of
 * each component a small select answered by its first letter (B, T, L). The default claims nothing: "not
 * checked" and "paper" until the clerk says otherwise, so a figure sent to the national index is never one
 * the clerk did not give.
 */
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { documentSources, vneidChecks, type DocumentSource, type VneidCheck } from '../../../../shared/domain/reception-duties';

export function VneidCheckControl({ value, onChange, onEnter }: { value: VneidCheck; onChange: (check: VneidCheck) => void; onEnter: () => void }) {
  const { t } = useTranslation();
  const onKeyDown = (e: KeyboardEvent<HTMLFieldSetElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const index = Number(e.key) - 1;
    const chosen = Number.isInteger(index) ? vneidChecks[index] : undefined;
    if (chosen) {
      e.preventDefault();
      onChange(chosen);
      // The keyboard follows the choice, as arrow keys do in a radio group.
      e.currentTarget.querySelector<HTMLInputElement>(`input[value="${chosen}"]`)?.focus();
    } else if (e.key === 'Enter') {
      // A radio button does not submit its form on Enter by itself: the step goes on as from a text field.
      e.preventDefault();
      onEnter();
    }
  };
  return (
    <fieldset className="kind vneid-check" onKeyDown={onKeyDown} aria-describedby="vneid-hint">
      <legend>{t('reception.vneidLegend')}</legend>
      {vneidChecks.map((check, i) => (
        <label key={check}>
          <input type="radio" name="vneid-check" value={check} checked={value === check} onChange={() => onChange(check)} /> <kbd>{i + 1}</kbd> {t(`reception.vneid.${check}`)}
        </label>
      ))}
      <small id="vneid-hint" className="muted">
        {t('reception.vneidHint')}
      </small>
    </fieldset>
  );
}

export function DocumentSourceSelect({ componentCode, componentName, value, onChange }: { componentCode: string; componentName: string; value: DocumentSource; onChange: (source: DocumentSource) => void }) {
  const { t } = useTranslation();
  return (
    <label className="inline document-source" title={t('reception.sourceHint')}>
      <span className="visually-hidden">{t('reception.sourceOf', { name: componentName })}</span>
      <select
        name={`source-${componentCode}`}
        value={value}
        data-source={value}
        onChange={(e) => {
          const chosen = documentSources.find((s) => s === e.currentTarget.value);
          if (chosen) onChange(chosen);
        }}
      >
        {documentSources.map((source) => (
          <option key={source} value={source}>
            {t(`reception.sources.${source}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
