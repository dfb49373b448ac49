/**
 * Writes the resolution into a JPEG's JFIF header. A browser canvas encodes JPEGs with "aspect ratio only"
 * (no dpi); a flattened camera page is laid out as A4 at a known resolution, and the PDF assembly sizes pages
 * by the declared dpi (Decree 30/2020: 100 % scale), so the flattened page carries it.
 */
export function withJfifDensity(jpeg: Uint8Array, dpi: number): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new RangeError('not a JPEG');
  const density = Math.max(1, Math.min(65535, Math.round(dpi)));
  const isJfif = jpeg[2] === 0xff && jpeg[3] === 0xe0 && [0x4a, 0x46, 0x49, 0x46, 0x00].every((b, i) => jpeg[6 + i] === b);
  if (isJfif && jpeg.length > 18) {
    const out = jpeg.slice();
    out[13] = 1; // dots per inch
    out.set([density >> 8, density & 0xff, density >> 8, density & 0xff], 14);
    return out;
  }
  // No JFIF segment: put one right after SOI.
  const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x01, density >> 8, density & 0xff, density >> 8, density & 0xff, 0x00, 0x00];
  const out = new Uint8Array(jpeg.length + app0.length);
  out.set(jpeg.subarray(0, 2), 0);
  out.set(app0, 2);
  out.set(jpeg.subarray(2), 2 + app0.length);
  return out;
}
