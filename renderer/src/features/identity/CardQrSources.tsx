/**
 * Other ways to read the card's QR besides a barcode reader: a picture of the card (a phone photo, a scan
 * saved as a file), the pages already in the scan workspace (the clerk scanned the card with the stack), or
 * the camera, looking at frames until a card's QR is seen.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CccdData } from '../../../../shared/domain/cccd';
import { AppError } from '../../../../shared/errors';
import { useServices } from '../../app/services';
import { errorText } from '../../ui/errors';
import { listPages, readPageBytes } from '../capture/page-store';
import { CameraView } from '../camera/CameraView';
import { useCamera } from '../camera/useCamera';
import { cardFromQrTexts, readCardQr, readQrTexts } from './qr-reader';

interface Props {
  readonly onCard: (card: CccdData) => void;
  readonly onError: (text: string) => void;
}

function CameraQrReader({ onCard, onError, onClose }: Props & { onClose: () => void }) {
  const { t } = useTranslation();
  const camera = useCamera();
  const { grab, state } = camera;
  const reported = useRef(new Set<string>());
  const done = useRef(false);
  // The parent's callbacks change on every render; the frame loop must not restart for that.
  const handlers = useRef({ onCard, onError, onClose });
  useEffect(() => {
    handlers.current = { onCard, onError, onClose };
  });

  useEffect(() => {
    if (state !== 'live') return;
    let busy = false;
    const timer = setInterval(() => {
      const frame = busy || done.current ? null : grab();
      if (!frame) return;
      busy = true;
      void readQrTexts(frame)
        .then((texts) => {
          if (texts.length === 0 || done.current) return;
          try {
            const card = cardFromQrTexts(texts, 'camera');
            done.current = true;
            handlers.current.onCard(card);
            handlers.current.onClose();
          } catch (err) {
            // The same damaged code is seen every frame: say it once, keep looking.
            const key = texts.join('\n');
            if (!reported.current.has(key)) {
              reported.current.add(key);
              handlers.current.onError(errorText(t, err));
            }
          }
        })
        .catch((err: unknown) => handlers.current.onError(errorText(t, err)))
        .finally(() => {
          busy = false;
        });
    }, 400);
    return () => clearInterval(timer);
  }, [grab, state, t]);

  return (
    <div className="camera-panel" role="group" aria-label={t('camera.qrOpen')}>
      <CameraView camera={camera} outlineSheet={false} />
      <p className="hint" role="status">
        {t('camera.qrLooking')}
      </p>
      <button type="button" onClick={onClose}>
        {t('camera.close')}
      </button>
    </div>
  );
}

export function CardQrSources({ onCard, onError }: Props) {
  const { t } = useTranslation();
  const { db } = useServices();
  const [reading, setReading] = useState(false);
  const [camera, setCamera] = useState(false);

  const run = async (work: () => Promise<CccdData>) => {
    setReading(true);
    try {
      onCard(await work());
    } catch (err) {
      onError(errorText(t, err));
    } finally {
      setReading(false);
    }
  };

  const fromPages = async () => {
    const pages = (await listPages(db)).filter((p) => p.mediaType !== 'application/pdf');
    if (pages.length === 0) {
      onError(t('applicant.qrNoPages'));
      return;
    }
    await run(async () => {
      let last: unknown = null;
      for (const page of pages) {
        try {
          return await readCardQr(await readPageBytes(db, page.id), page.name);
        } catch (err) {
          // A page without a QR says nothing; a page with a damaged card QR is worth reporting.
          if (!(err instanceof AppError && err.code === 'CCCD_QR_NOT_FOUND')) last = err;
        }
      }
      throw last instanceof Error ? last : new AppError('CCCD_QR_NOT_FOUND', { name: t('applicant.qrPagesName', { count: pages.length }) });
    });
  };

  return (
    <div className="qr-sources">
      <label className="button qr-file">
        {t('applicant.qrFromImage')}
        <input
          className="visually-hidden"
          type="file"
          accept="image/jpeg,image/png,.jpg,.jpeg,.png"
          data-testid="cccd-qr-image"
          disabled={reading}
          onChange={(e) => {
            const input = e.currentTarget;
            const file = input.files?.[0];
            if (file) void run(() => readCardQr(file, file.name)).then(() => (input.value = ''));
          }}
        />
      </label>
      <button type="button" disabled={reading} onClick={() => void fromPages()}>
        {t('applicant.qrFromPages')}
      </button>
      <button type="button" disabled={reading} onClick={() => setCamera((c) => !c)} aria-expanded={camera}>
        {camera ? t('camera.close') : t('camera.qrOpen')}
      </button>
      {reading && (
        <span className="scan-progress" role="status">
          <span className="spinner" aria-hidden="true" /> {t('applicant.qrReading')}
        </span>
      )}
      {camera && <CameraQrReader onCard={onCard} onError={onError} onClose={() => setCamera(false)} />}
    </div>
  );
}
