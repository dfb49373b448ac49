/**
 * A live camera stream for a <video>: getUserMedia (video only, no microphone), the list of cameras once
 * permission is granted, the clerk's choice of camera, and the current frame as ImageData. The stream is
 * stopped when the view closes, so the camera light goes off.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AppError } from '../../../../shared/errors';
import { errorText } from '../../ui/errors';

export interface CameraStream {
  /** Callback ref for the preview <video>: the stream is attached whenever both exist. */
  readonly attach: (video: HTMLVideoElement | null) => void;
  readonly state: 'starting' | 'live' | 'failed';
  readonly error: string | null;
  readonly cameras: readonly { deviceId: string; label: string }[];
  readonly deviceId: string;
  readonly label: string;
  readonly setDeviceId: (id: string) => void;
  /** The current frame at the camera's full resolution; null before the first frame. */
  readonly grab: () => ImageData | null;
}

/** getUserMedia's DOMException names → what the clerk is told. */
function cameraError(err: unknown): AppError {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return new AppError('CAMERA_DENIED');
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return new AppError('CAMERA_UNAVAILABLE', { reason: 'không thấy camera nào' });
  if (name === 'NotReadableError' || name === 'AbortError') return new AppError('CAMERA_UNAVAILABLE', { reason: 'camera đang được dùng hoặc bị lỗi' });
  return new AppError('CAMERA_UNAVAILABLE', { reason: err instanceof Error ? err.message : String(err) });
}

export function useCamera(): CameraStream {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const [state, setState] = useState<CameraStream['state']>('starting');
  const [error, setError] = useState<string | null>(null);
  const [cameras, setCameras] = useState<{ deviceId: string; label: string }[]>([]);
  const [deviceId, chooseDevice] = useState('');
  const streamRef = useRef<MediaStream | null>(null);
  const [label, setLabel] = useState('');
  const canvas = useRef<HTMLCanvasElement | null>(null);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let cancelled = false;
    void (async () => {
      try {
        if (!navigator.mediaDevices?.getUserMedia) throw new AppError('CAMERA_UNAVAILABLE', { reason: 'trình duyệt không hỗ trợ camera' });
        // A document camera gives its best resolution when asked; 4:3 suits a portrait sheet in landscape framing.
        stream = await navigator.mediaDevices.getUserMedia({
          audio: false,
          video: { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), width: { ideal: 2592 }, height: { ideal: 1944 } },
        });
        if (cancelled) return;
        const track = stream.getVideoTracks()[0];
        setLabel(track?.label ?? '');
        streamRef.current = stream;
        const video = videoRef.current;
        if (video) {
          video.srcObject = stream;
          await video.play().catch(() => undefined);
        }
        const devices = await navigator.mediaDevices.enumerateDevices();
        if (cancelled) return;
        setCameras(devices.filter((d) => d.kind === 'videoinput').map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` })));
        setState('live');
      } catch (err) {
        if (cancelled) return;
        setState('failed');
        setError(errorText(t, err instanceof AppError ? err : cameraError(err)));
      }
    })();
    return () => {
      cancelled = true;
      streamRef.current = null;
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [deviceId, t]);

  const attach = useCallback((video: HTMLVideoElement | null) => {
    videoRef.current = video;
    if (video && streamRef.current && video.srcObject !== streamRef.current) {
      video.srcObject = streamRef.current;
      void video.play().catch(() => undefined);
    }
  }, []);

  const setDeviceId = useCallback((id: string) => {
    setState('starting');
    setError(null);
    chooseDevice(id);
  }, []);

  const grab = useCallback((): ImageData | null => {
    const video = videoRef.current;
    if (!video || video.readyState < 2 || !video.videoWidth) return null;
    canvas.current ??= document.createElement('canvas');
    const c = canvas.current;
    c.width = video.videoWidth;
    c.height = video.videoHeight;
    const context = c.getContext('2d', { willReadFrequently: true });
    if (!context) return null;
    context.drawImage(video, 0, 0);
    return context.getImageData(0, 0, c.width, c.height);
  }, []);

  return { attach, state, error, cameras, deviceId, label, setDeviceId, grab };
}
