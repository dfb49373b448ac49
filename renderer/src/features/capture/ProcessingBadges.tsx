/**
 * What clean-up and OCR say about a page, under its thumbnail (helper "ocr"): "đang làm sạch" while main
 * works on it, the blank-page flag with a Keep button (the clerk deletes with ×), and the 200 dpi warning —
 * or, under the `block` policy, that the page must be rescanned. Plus a one-line summary for the scan bar.
 */
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import type { CapturePageRow } from '../../db/database';
import type { CaptureWorkspace } from './useCapture';

export function PageProcessingBadges({ ws, page, n, lowDpi }: { ws: CaptureWorkspace; page: CapturePageRow; n: number; lowDpi: boolean }) {
  const { t } = useTranslation();
  const { config } = useServices();
  const p = page.processing;
  return (
    <>
      {lowDpi && (config.imaging.minDpiPolicy === 'block' ? <span className="error-badge">{t('imaging.blockedDpi')}</span> : <span className="warn">{t('capture.lowDpi')}</span>)}
      {p?.cleanup === 'pending' && (
        <span className="processing-badge" title={t('imaging.cleaningTitle')}>
          <span className="spinner" aria-hidden="true" /> {t('imaging.cleaning')}
        </span>
      )}
      {p?.cleanup === 'failed' && <span className="warn">{t('imaging.cleanupFailed')}</span>}
      {p?.cleanup !== 'pending' && p?.ocr === 'pending' && <span className="processing-badge quiet">{t('imaging.reading')}</span>}
      {p?.blank && !p.blankKept && (
        <span className="blank-flag" title={t('imaging.blankTitle')}>
          {t('imaging.blank')}
          <button type="button" tabIndex={-1} aria-label={t('imaging.keepPage', { n })} onClick={(e) => (e.stopPropagation(), void ws.keepBlank(page.id))}>
            {t('imaging.keep')}
          </button>
        </span>
      )}
    </>
  );
}

export function ProcessingSummary({ pages }: { pages: readonly CapturePageRow[] }) {
  const { t } = useTranslation();
  const cleaning = pages.filter((p) => p.processing?.cleanup === 'pending').length;
  const reading = pages.filter((p) => p.processing?.cleanup !== 'pending' && p.processing?.ocr === 'pending').length;
  const blank = pages.filter((p) => p.processing?.blank && !p.processing.blankKept).length;
  if (!cleaning && !reading && !blank) return null;
  return (
    <p className="processing-summary" role="status">
      {cleaning > 0 && (
        <span>
          <span className="spinner" aria-hidden="true" /> {t('imaging.summaryCleaning', { count: cleaning })}
        </span>
      )}
      {reading > 0 && <span>{t('imaging.summaryReading', { count: reading })}</span>}
      {blank > 0 && <span className="warn">{t('imaging.summaryBlank', { count: blank })}</span>}
    </p>
  );
}
