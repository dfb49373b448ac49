import { useTranslation } from 'react-i18next';
import { toStorageError } from '../db/storage-errors';

/** The whole window when the local database cannot be opened: what happened, and that nothing was deleted. */
export function StorageFailure({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const wire = toStorageError(error);
  const reason = typeof wire.details.reason === 'string' ? wire.details.reason : wire.code;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <main className="app-main storage-failure" role="alert" data-testid="storage-failure">
      <h1>{t('storage.failedHeading')}</h1>
      <p className="error">{t('errors.STORAGE_OPEN_FAILED', { reason })}</p>
      <details>
        <summary>{t('storage.technical')}</summary>
        <pre>{`${wire.code} ${reason}\n${message}`}</pre>
      </details>
    </main>
  );
}
