/**
 * The live preview: the video, the camera picker, and (optionally) the sheet the flattener would use,
 * outlined over the video so the clerk sees before pressing Capture whether the page was found.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Quad } from '../../../../shared/imaging/perspective';
import { detectSheet } from './flatten';
import type { CameraStream } from './useCamera';

export function CameraView({ camera, outlineSheet }: { camera: CameraStream; outlineSheet: boolean }) {
  const { t } = useTranslation();
  const [sheet, setSheet] = useState<{ quad: Quad; width: number; height: number } | null>(null);
  const { attach, grab, state, error, cameras, deviceId, label, setDeviceId } = camera;

  useEffect(() => {
    if (!outlineSheet || state !== 'live') return;
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      const frame = grab();
      if (!frame) return;
      busy = true;
      const { width, height } = frame;
      void detectSheet(frame)
        .then((quad) => setSheet(quad ? { quad, width, height } : null))
        .finally(() => {
          busy = false;
        });
    }, 700);
    return () => clearInterval(timer);
  }, [grab, state, outlineSheet]);

  return (
    <div className="camera-view">
      {cameras.length > 1 && (
        <label>
          {t('camera.device')}
          <select value={deviceId} onChange={(e) => setDeviceId(e.currentTarget.value)}>
            <option value="">{label || t('camera.default')}</option>
            {cameras.map((c) => (
              <option key={c.deviceId} value={c.deviceId}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="camera-stage">
        <video ref={attach} muted playsInline aria-label={t('camera.preview')} />
        {sheet && outlineSheet && state === 'live' && (
          <svg className="camera-outline" viewBox={`0 0 ${sheet.width} ${sheet.height}`} preserveAspectRatio="xMidYMid meet" aria-hidden="true">
            <polygon points={sheet.quad.map((p) => `${p.x},${p.y}`).join(' ')} />
          </svg>
        )}
        {state === 'starting' && (
          <p className="camera-status" role="status">
            <span className="spinner" aria-hidden="true" /> {t('camera.starting')}
          </p>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {outlineSheet && state === 'live' && (
        <p className="hint" role="status">
          {sheet ? t('camera.sheetFound') : t('camera.sheetMissing')}
        </p>
      )}
    </div>
  );
}
