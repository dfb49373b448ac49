/**
 * The UI side of the flatten worker: one worker for the app's life, calls over shared/rpc.ts. `detect` finds
 * the sheet's corners in a preview frame (for the outline drawn over the video); `capture` flattens and
 * encodes the frame as the page to store.
 */
import type { Quad } from '../../../../shared/imaging/perspective';
import { errorWithOriginalMessage, RpcClient } from '../../../../shared/rpc';

interface Frame {
  readonly width: number;
  readonly height: number;
  /** RGBA bytes, transferred (the caller's copy is gone afterwards). */
  readonly pixels: ArrayBuffer;
}

export interface CapturedFrame {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** 200 when the sheet was found and flattened to A4; null for the frame as it was. */
  readonly dpi: number | null;
  readonly corners: Quad | null;
}

export interface FlattenApi {
  detect: { readonly request: Frame; readonly result: Quad | null };
  capture: { readonly request: Frame & { readonly flatten: boolean; readonly dpi: number; readonly quality: number }; readonly result: CapturedFrame };
}

let flattenWorker: RpcClient<FlattenApi> | null = null;

function worker(): RpcClient<FlattenApi> {
  if (!flattenWorker) {
    const live = new Worker(new URL('./flatten.worker.ts', import.meta.url), { type: 'module', name: 'motcua-flatten' });
    // The worker's own message reaches the clerk, as it always has.
    flattenWorker = new RpcClient<FlattenApi>((message, transfer) => live.postMessage(message, [...transfer]), { decodeError: errorWithOriginalMessage });
    const client = flattenWorker;
    live.onmessage = (event: MessageEvent<unknown>) => client.receive(event.data);
  }
  return flattenWorker;
}

/** The sheet's corners in a preview frame; null when none is found or the worker fails (the preview just draws no outline). */
export async function detectSheet(frame: ImageData): Promise<Quad | null> {
  return worker()
    .call('detect', { width: frame.width, height: frame.height, pixels: frame.data.buffer }, [frame.data.buffer])
    .catch(() => null);
}

/** The captured page: flattened to A4 at `dpi` when a sheet is found (and `flatten` is on), else the frame. */
export async function captureFrame(frame: ImageData, options: { flatten: boolean; dpi?: number; quality?: number }): Promise<CapturedFrame> {
  const pixels = frame.data.buffer;
  return worker().call('capture', { width: frame.width, height: frame.height, pixels, flatten: options.flatten, dpi: options.dpi ?? 200, quality: options.quality ?? 0.85 }, [pixels]);
}
