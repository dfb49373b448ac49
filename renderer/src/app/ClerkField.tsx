import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setClerkName } from '../db/counter-desk';
import { useClerkName } from './clerk';
import { useServices } from './services';

/** The clerk at the counter types their name once; it goes on the forms they sign and on their dossiers. */
export function ClerkField({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const { db, config } = useServices();
  const current = useClerkName();
  const fallback = `Quầy ${config.counterNo}`;
  // What the clerk is typing; null shows the saved name.
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? (current === fallback ? '' : current);
  return (
    <label className="clerk-field">
      <span>{t('app.clerk')}</span>
      <input
        name="clerk-name"
        placeholder={fallback}
        value={value}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => void setClerkName(db, value).then(() => setDraft(null))}
        onKeyDown={(e) => {
          // Enter saves the name and goes to the work, like Tab.
          if (e.key !== 'Enter') return;
          e.preventDefault();
          e.currentTarget.blur();
          onDone?.();
        }}
      />
    </label>
  );
}
