import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { PdfPreview } from './PdfPreview';
import { PrintButton } from './PrintButton';

/** A produced form: its preview, "print" and "download" (the same bytes the history keeps for reprints). */
export function FormOutput({ pdf, fileName, label, maxPages = 1 }: { pdf: Uint8Array; fileName: string; label: string; maxPages?: number }) {
  const { t } = useTranslation();
  const url = useMemo(() => URL.createObjectURL(new Blob([pdf.slice()], { type: 'application/pdf' })), [pdf]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <div className="form-output">
      <div className="actions">
        <PrintButton pdf={pdf} label={label}>
          {t('desk.print')}
        </PrintButton>
        <a className="button" href={url} download={fileName}>
          {t('desk.download', { label })}
        </a>
      </div>
      <PdfPreview bytes={pdf} maxPages={maxPages} label={label} />
    </div>
  );
}
