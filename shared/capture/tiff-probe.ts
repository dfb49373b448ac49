/**
 * The pages of a TIFF file read from its headers alone (no decoding), so every page can be checked against
 * the import guard's limits before a decoder allocates anything: a 30000 × 30000 page inside an otherwise
 * harmless file is refused like a single 30000 × 30000 image. Some scanners' vendor software and fax
 * gateways write multi-page TIFF; each page becomes one page of the workspace.
 *
 * Only what the guard needs is read: each IFD's size, resolution and where its image data lies (to tell a
 * cut-off file from a whole one). Every offset is bounds-checked; the IFD chain is followed with a loop guard.
 */
import { AppError } from '../errors';

export interface TiffPageProbe {
  /** 0-based page (IFD) number. */
  readonly index: number;
  readonly widthPx: number;
  readonly heightPx: number;
  /** Pixels per inch, when the page declares a resolution in inches or centimetres. */
  readonly dpi: number | null;
  /** Some of the page's image data lies past the end of the file. */
  readonly truncated: boolean;
}

export interface TiffProbe {
  readonly pages: readonly TiffPageProbe[];
  /** The chain of pages points past the end of the file: the file was cut off after `pages`. */
  readonly chainBroken: boolean;
}

/** No office TIFF has more pages than this; a longer chain is a damaged or hostile file. */
const maxTiffPages = 1000;

export function isTiff(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const le = bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0x00;
  const be = bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0x00 && bytes[3] === 0x2a;
  return le || be;
}

const tag = {
  width: 256,
  height: 257,
  stripOffsets: 273,
  stripByteCounts: 279,
  xResolution: 282,
  yResolution: 283,
  resolutionUnit: 296,
  tileOffsets: 324,
  tileByteCounts: 325,
} as const;

/** Bytes per value of each TIFF field type (1 BYTE … 12 DOUBLE); 0 for unknown types. */
const typeSize = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8] as const;

export function probeTiff(bytes: Uint8Array, name: string): TiffProbe {
  if (!isTiff(bytes)) throw new AppError('FILE_UNSUPPORTED_TYPE', { name });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = bytes[0] === 0x49;
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  const corrupt = () => new AppError('FILE_CORRUPT_IMAGE', { name });

  const pages: TiffPageProbe[] = [];
  const seen = new Set<number>();
  let ifd = u32(4);
  // A first directory outside the file is not a cut-off TIFF but something else that starts like one.
  if (ifd < 8 || ifd >= bytes.length) throw corrupt();
  let chainBroken = false;
  while (ifd !== 0) {
    if (seen.has(ifd) || pages.length >= maxTiffPages) throw corrupt();
    seen.add(ifd);
    if (ifd + 2 > bytes.length) {
      chainBroken = true;
      break;
    }
    const count = u16(ifd);
    const end = ifd + 2 + count * 12;
    if (end + 4 > bytes.length) {
      chainBroken = true;
      break;
    }
    const fields = new Map<number, number[]>();
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12;
      const id = u16(entry);
      const type = u16(entry + 2);
      const n = u32(entry + 4);
      const size = typeSize[type] ?? 0;
      // Only the integer and rational fields we read; others (strings, colour maps) are skipped.
      if (![tag.width, tag.height, tag.stripOffsets, tag.stripByteCounts, tag.xResolution, tag.yResolution, tag.resolutionUnit, tag.tileOffsets, tag.tileByteCounts].includes(id as never)) continue;
      if (size === 0 || n === 0 || n > 1_000_000) throw corrupt();
      const total = size * n;
      const at = total <= 4 ? entry + 8 : u32(entry + 8);
      if (at + total > bytes.length) {
        // Where a value lives past the end, the file was cut off.
        fields.set(id, []);
        continue;
      }
      const values: number[] = [];
      for (let k = 0; k < n; k++) {
        if (type === 3) values.push(u16(at + k * 2));
        else if (type === 4) values.push(u32(at + k * 4));
        else if (type === 5) values.push(u32(at + k * 8) / Math.max(1, u32(at + k * 8 + 4)));
        else if (type === 1) values.push(bytes[at + k] ?? 0);
        else throw corrupt();
      }
      fields.set(id, values);
    }
    const widthPx = fields.get(tag.width)?.[0];
    const heightPx = fields.get(tag.height)?.[0];
    if (!widthPx || !heightPx) throw corrupt();
    const offsets = fields.get(tag.stripOffsets) ?? fields.get(tag.tileOffsets);
    const counts = fields.get(tag.stripByteCounts) ?? fields.get(tag.tileByteCounts);
    if (!offsets || !counts) throw corrupt();
    const truncated = offsets.length === 0 || counts.length === 0 || offsets.length !== counts.length || offsets.some((o, k) => o + (counts[k] ?? 0) > bytes.length);
    const unit = fields.get(tag.resolutionUnit)?.[0] ?? 2;
    const x = fields.get(tag.xResolution)?.[0];
    const y = fields.get(tag.yResolution)?.[0];
    const perInch = unit === 3 ? 2.54 : unit === 2 ? 1 : 0;
    const dpi = perInch && x && y ? Math.round(Math.min(x, y) * perInch * 10) / 10 : null;
    pages.push({ index: pages.length, widthPx, heightPx, dpi, truncated });
    ifd = u32(end);
  }
  if (pages.length === 0) throw chainBroken ? new AppError('CAPTURE_IMAGE_TRUNCATED', { name }) : corrupt();
  return { pages, chainBroken };
}
