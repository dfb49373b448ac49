import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatVietnamDateTime } from '../../../../shared/domain/appointment';
import { PdfPreview } from '../../ui/PdfPreview';
import { PrintButton } from '../../ui/PrintButton';
import type { AcceptedDossier } from './accept-dossier';

export function ReceiptStep({ accepted, onNew }: { accepted: AcceptedDossier; onNew: () => void }) {
  const { t } = useTranslation();
  const { dossier, receiptPdf } = accepted;
  const url = useMemo(() => URL.createObjectURL(new Blob([receiptPdf.slice()], { type: 'application/pdf' })), [receiptPdf]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);

  return (
    <section aria-labelledby="receipt-heading" className="receipt">
      <h2 id="receipt-heading">{t('receipt.heading')}</h2>
      <dl className="receipt-facts">
        <dt>{t('receipt.code')}</dt>
        <dd data-testid="dossier-code">{dossier.code}</dd>
        <dt>{t('receipt.appointment')}</dt>
        <dd>{formatVietnamDateTime(new Date(dossier.appointmentAt))}</dd>
      </dl>
      <p>{t('receipt.queued')}</p>
      {accepted.immediateResult && (
        <p className="notice" role="note">
          {t('forms2025.immediateResult')}
        </p>
      )}
      <div className="actions">
        {/* Printing is the next thing the clerk does: one click, or Enter, since it has the focus — except for an immediate result, where it is printed only on request. */}
        {accepted.immediateResult ? (
          <PrintButton pdf={receiptPdf} label={`Mẫu 01 — ${dossier.code}`}>
            {t('forms2025.printReceiptOnRequest')}
          </PrintButton>
        ) : (
          <PrintButton pdf={receiptPdf} label={`Mẫu 01 — ${dossier.code}`} className="primary" autoFocus>
            {t('printing.printReceipt')}
          </PrintButton>
        )}
        <a className="button" href={url} download={`giay-tiep-nhan-${dossier.code}.pdf`}>
          {t('receipt.download')}
        </a>
        <button type="button" onClick={onNew} autoFocus={accepted.immediateResult}>
          {t('receipt.newDossier')}
        </button>
      </div>
      <PdfPreview bytes={receiptPdf} maxPages={1} label={t('receipt.download')} />
    </section>
  );
}
