/**
 * Capture from a document camera or webcam into the page workspace: live preview with the sheet outlined,
 * Capture (button, C or Space) → the frame is flattened to an upright A4 page at 200 dpi in a worker and
 * saved to the same page store as scanner pages, at the end of the unsorted stack.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { errorText } from '../../ui/errors';
import { addPages } from '../capture/page-store';
import { CameraView } from './CameraView';
import { captureFrame } from './flatten';
import { useCamera } from './useCamera';

function CameraPanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { db } = useServices();
  const camera = useCamera();
  const [flatten, setFlatten] = useState(true);
  const [working, setWorking] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const count = useRef(0);
  const captureButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (camera.state === 'live') captureButton.current?.focus();
  }, [camera.state]);

  const capture = async () => {
    const frame = camera.grab();
    if (!frame || working) return;
    setWorking(true);
    setProblem(null);
    try {
      const page = await captureFrame(frame, { flatten });
      count.current++;
      const stamp = new Date().toISOString().slice(11, 19).replaceAll(':', '');
      await addPages(db, [
        {
          bytes: page.jpeg,
          info: { mediaType: 'image/jpeg', dpi: page.dpi, widthPx: page.width, heightPx: page.height, pageCount: 1 },
          origin: { kind: 'camera', deviceId: `camera:${camera.label || 'default'}`, name: `camera-${stamp}-${count.current}.jpg` },
        },
      ]);
      setNotice(page.corners ? t('camera.capturedFlat', { count: count.current }) : flatten ? t('camera.capturedNoSheet', { count: count.current }) : t('camera.captured', { count: count.current }));
    } catch (err) {
      setProblem(errorText(t, err));
    } finally {
      setWorking(false);
    }
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    } else if ((e.key === 'c' || e.key === 'C' || (e.key === ' ' && e.target === e.currentTarget)) && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault();
      void capture();
    }
  };

  return (
    <div className="camera-panel" role="group" aria-label={t('camera.panel')} tabIndex={-1} onKeyDown={onKey}>
      <CameraView camera={camera} outlineSheet={flatten} />
      <div className="camera-actions">
        <button ref={captureButton} type="button" className="primary" disabled={camera.state !== 'live' || working} onClick={() => void capture()}>
          {t('camera.capture')}
        </button>
        <label className="checkbox">
          <input type="checkbox" checked={flatten} onChange={(e) => setFlatten(e.currentTarget.checked)} /> {t('camera.flatten')}
        </label>
        <button type="button" onClick={onClose}>
          {t('camera.close')}
        </button>
        {working && (
          <span className="scan-progress" role="status">
            <span className="spinner" aria-hidden="true" /> {t('camera.working')}
          </span>
        )}
      </div>
      <p className="keys-hint">{t('camera.keys')}</p>
      {notice && (
        <p className="notice-ok" role="status">
          {notice}
        </p>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

/** The "Camera" button of the capture bar; the panel (and the camera) only exists while it is open. */
export function CameraCapture() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  return (
    <div className="camera-capture">
      {!open && (
        <button ref={opener} type="button" onClick={() => setOpen(true)}>
          {t('camera.open')}
        </button>
      )}
      {open && (
        <CameraPanel
          onClose={() => {
            setOpen(false);
            setTimeout(() => opener.current?.focus(), 0);
          }}
        />
      )}
    </div>
  );
}
