/**
 * The paper page count of one component (Circular 01/2023/TT-VPCP Art. 8.2: one image per input page). The
 * field starts at the captured count — a sticky-note pair counts once — and the clerk types what they counted
 * on the paper; a difference is a warning that must be ticked as checked before the dossier can go on.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pageCountMatches, type PageCountConfirmation, type PaperPageEntry } from '../../../../shared/domain/digitization';

interface Props {
  readonly componentName: string;
  readonly confirmation: PageCountConfirmation;
  readonly entry: PaperPageEntry;
  readonly onChange: (entry: PaperPageEntry) => void;
}

export function PageCountCheck({ componentName, confirmation, entry, onChange }: Props) {
  const { t } = useTranslation();
  // What is being typed; null shows the value in force (the captured count until the clerk changes it).
  const [text, setText] = useState<string | null>(null);
  const { images, notePairs, inputPages, paperPages } = confirmation;
  const matches = pageCountMatches(confirmation);
  return (
    <div className={`page-count${matches ? '' : ' mismatch'}`} data-page-count={confirmation.code}>
      <label>
        {t('digitized.paperPages')}
        <input
          type="number"
          min={0}
          max={10000}
          inputMode="numeric"
          aria-label={t('digitized.paperPagesOf', { name: componentName })}
          value={text ?? String(paperPages)}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setText(value);
            const n = Number(value);
            if (value !== '' && Number.isInteger(n) && n >= 0 && n <= 10000) onChange({ ...entry, paperPages: n });
          }}
          onBlur={() => setText(null)}
        />
      </label>
      <span className="page-count-images">{t('digitized.captured', { count: images, pages: inputPages })}</span>
      {notePairs > 0 && <span className="page-count-pairs">{t('digitized.pairs', { count: notePairs })}</span>}
      {!matches && (
        <div className="page-count-warning" role="alert">
          <p>{t('digitized.mismatch', { inputPages, paperPages })}</p>
          <label>
            <input
              type="checkbox"
              checked={confirmation.mismatchAcknowledged}
              onChange={(e) => onChange({ ...entry, acknowledged: e.currentTarget.checked ? { inputPages, paperPages } : undefined })}
            />
            {t('digitized.acknowledge', { inputPages, paperPages })}
          </label>
        </div>
      )}
    </div>
  );
}
