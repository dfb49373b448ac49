import { useTranslation } from 'react-i18next';
import { AppError } from '../../../shared/errors';
import { toStorageError } from '../db/storage-errors';
import { errorText } from '../ui/errors';

/** The whole window when the local database cannot be opened or checked: what happened, and that nothing was deleted. */
export function StorageFailure({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const wire = toStorageError(error);
  const reason = typeof wire.details.reason === 'string' ? wire.details.reason : wire.code;
  const message = error instanceof Error ? error.message : String(error);
  // A failure that already has its own sentence (the ledger's) says it; anything else is "cannot open".
  const sentence = error instanceof AppError && error.code !== 'STORAGE_FAILED' ? errorText(t, error) : t('errors.STORAGE_OPEN_FAILED', { reason });
  return (
    <main className="app-main storage-failure" role="alert" data-testid="storage-failure">
      <h1>{t('storage.failedHeading')}</h1>
      <p className="error">{sentence}</p>
      <details>
        <summary>{t('storage.technical')}</summary>
        <pre>{`${wire.code} ${reason}\n${message}`}</pre>
      </details>
    </main>
  );
}
