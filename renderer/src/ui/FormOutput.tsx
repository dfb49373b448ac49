import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { PdfPreview } from './PdfPreview';

/**
 * Prints a PDF through the browser's own print path: the PDF goes into a hidden frame whose print() opens
 * the operating system's print dialog (Electron and Chromium both). Downloading stays available beside it.
 */
export function printPdf(bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/pdf' }));
  const frame = document.createElement('iframe');
  frame.style.position = 'fixed';
  frame.style.width = '0';
  frame.style.height = '0';
  frame.style.border = '0';
  frame.src = url;
  frame.onload = () => {
    frame.contentWindow?.focus();
    frame.contentWindow?.print();
    // Removing the frame at once would cancel the dialog in some builds: leave it a minute.
    setTimeout(() => {
      frame.remove();
      URL.revokeObjectURL(url);
    }, 60_000);
  };
  document.body.append(frame);
}

/** A produced form: its preview, "print" and "download" (the same bytes the history keeps for reprints). */
export function FormOutput({ pdf, fileName, label, maxPages = 1 }: { pdf: Uint8Array; fileName: string; label: string; maxPages?: number }) {
  const { t } = useTranslation();
  const url = useMemo(() => URL.createObjectURL(new Blob([pdf.slice()], { type: 'application/pdf' })), [pdf]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <div className="form-output">
      <div className="actions">
        <button type="button" onClick={() => printPdf(pdf)}>
          {t('desk.print')}
        </button>
        <a className="button" href={url} download={fileName}>
          {t('desk.download', { label })}
        </a>
      </div>
      <PdfPreview bytes={pdf} maxPages={maxPages} label={label} />
    </div>
  );
}
