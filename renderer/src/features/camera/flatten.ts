/**
 * The UI side of the flatten worker: one worker for the app's life, requests matched by id. `detect` finds
 * the sheet's corners in a preview frame (for the outline drawn over the video); `capture` flattens and
 * encodes the frame as the page to store.
 */
import type { Quad } from '../../../../shared/imaging/perspective';

interface FrameRequest {
  readonly id: number;
  readonly width: number;
  readonly height: number;
  /** RGBA bytes, transferred (the caller's copy is gone afterwards). */
  readonly pixels: ArrayBuffer;
}

export type FlattenRequest =
  | (FrameRequest & { readonly kind: 'detect' })
  | (FrameRequest & { readonly kind: 'capture'; readonly flatten: boolean; readonly dpi: number; readonly quality: number });

export type FlattenResult =
  | { readonly id: number; readonly ok: true; readonly corners: Quad | null; readonly jpeg?: Uint8Array; readonly width?: number; readonly height?: number; readonly dpi?: number | null }
  | { readonly id: number; readonly ok: false; readonly message: string };

export interface CapturedFrame {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** 200 when the sheet was found and flattened to A4; null for the frame as it was. */
  readonly dpi: number | null;
  readonly corners: Quad | null;
}

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, (result: FlattenResult) => void>();

function call(request: Omit<FrameRequest, 'id'> & ({ kind: 'detect' } | { kind: 'capture'; flatten: boolean; dpi: number; quality: number })): Promise<FlattenResult> {
  if (!worker) {
    worker = new Worker(new URL('./flatten.worker.ts', import.meta.url), { type: 'module', name: 'motcua-flatten' });
    worker.onmessage = (event: MessageEvent<FlattenResult>) => {
      waiting.get(event.data.id)?.(event.data);
      waiting.delete(event.data.id);
    };
  }
  const id = nextId++;
  const live = worker;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    live.postMessage({ ...request, id }, [request.pixels]);
  });
}

export async function detectSheet(frame: ImageData): Promise<Quad | null> {
  const result = await call({ kind: 'detect', width: frame.width, height: frame.height, pixels: frame.data.buffer });
  return result.ok ? result.corners : null;
}

/** The captured page: flattened to A4 at `dpi` when a sheet is found (and `flatten` is on), else the frame. */
export async function captureFrame(frame: ImageData, options: { flatten: boolean; dpi?: number; quality?: number }): Promise<CapturedFrame> {
  const result = await call({ kind: 'capture', width: frame.width, height: frame.height, pixels: frame.data.buffer, flatten: options.flatten, dpi: options.dpi ?? 200, quality: options.quality ?? 0.85 });
  if (!result.ok) throw new Error(result.message);
  if (!result.jpeg || !result.width || !result.height) throw new Error('the worker returned no page');
  return { jpeg: result.jpeg, width: result.width, height: result.height, dpi: result.dpi ?? null, corners: result.corners };
}
