/**
 * Off the UI thread: finds the sheet in a camera frame, warps it flat to A4 at the page resolution, and
 * encodes the JPEG the workspace stores. A 200 dpi A4 warp is ~3.9 million pixels of bilinear sampling:
 * too long for the thread that draws the live preview.
 */
import { withJfifDensity } from '../../../../shared/imaging/jfif-density';
import { findPageQuad } from '../../../../shared/imaging/page-quad';
import { a4OutputSize, rgbaToGray, warpPerspective, type Quad, type RgbaImage } from '../../../../shared/imaging/perspective';
import { serveRpc, withTransfer } from '../../../../shared/rpc';
import type { FlattenApi } from './flatten';

const scope = self as unknown as { onmessage: ((event: MessageEvent<unknown>) => void) | null; postMessage: (message: unknown, transfer: Transferable[]) => void };

/** The quad in the frame's pixels, found on a grey copy about 800 px across (enough for a sheet's edges). */
function detect(frame: RgbaImage): Quad | null {
  const shrink = Math.max(1, Math.round(Math.max(frame.width, frame.height) / 800));
  const found = findPageQuad(rgbaToGray(frame, shrink));
  return found ? (found.corners.map((p) => ({ x: p.x * shrink, y: p.y * shrink })) as unknown as Quad) : null;
}

async function encode(image: RgbaImage, quality: number): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context in the worker');
  context.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
  return new Uint8Array(await blob.arrayBuffer());
}

const receive = serveRpc<FlattenApi>(
  {
    detect: (request) => detect({ width: request.width, height: request.height, data: new Uint8ClampedArray(request.pixels) }),
    async capture(request) {
      const frame: RgbaImage = { width: request.width, height: request.height, data: new Uint8ClampedArray(request.pixels) };
      const corners = request.flatten ? detect(frame) : null;
      const size = corners ? a4OutputSize(corners, request.dpi) : null;
      const page = corners && size ? warpPerspective(frame, corners, size.width, size.height) : frame;
      const encoded = await encode(page, request.quality);
      const jpeg = corners ? withJfifDensity(encoded, request.dpi) : encoded;
      return withTransfer({ corners, jpeg, width: page.width, height: page.height, dpi: corners ? request.dpi : null }, [jpeg.buffer as ArrayBuffer]);
    },
  },
  (message, transfer) => scope.postMessage(message, [...transfer]),
);

scope.onmessage = (event) => receive(event.data);
