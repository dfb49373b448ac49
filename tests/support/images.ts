/**
 * Test images made at test time by ImageMagick's `convert` (Debian package `imagemagick`), never committed.
 * Pages look like a scanned A4 form — off-white paper, lines of dark text, a red seal and a blue signature,
 * a little sensor noise — so JPEG sizes and encoding costs are those of a real 200 dpi colour scan.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface ImageSpec {
  readonly widthPx: number;
  readonly heightPx: number;
  /** Pixels per inch written into the file (JFIF density / PNG pHYs); `null` writes no resolution. */
  readonly dpi: number | null;
  /** Same seed, same image (the text layout and the noise both derive from it). */
  readonly seed?: number;
}

export interface JpegSpec extends ImageSpec {
  readonly quality?: number;
  /** 'gray' writes a one-component JPEG. */
  readonly colour?: 'rgb' | 'gray';
  readonly progressive?: boolean;
}

export interface PngSpec extends ImageSpec {
  /** 'bilevel' is a 1-bit black-and-white scan. */
  readonly colour?: 'rgb' | 'rgba' | 'gray' | 'bilevel';
  readonly interlaced?: boolean;
}

/** An A4 page at `dpi` in pixels (A4 = 210 × 297 mm). */
export function a4Pixels(dpi: number): { widthPx: number; heightPx: number } {
  return { widthPx: Math.round((210 / 25.4) * dpi), heightPx: Math.round((297 / 25.4) * dpi) };
}

/** The decoded pixels of an image file, as ImageMagick reads them: 'rgb' (3 bytes a pixel) or 'gray' (1). */
export async function decodePixels(path: string, layout: 'rgb' | 'gray'): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    execFile('convert', [path, '-depth', '8', `${layout}:-`], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`convert failed: ${stderr.toString() || error.message}`));
      else resolve(new Uint8Array(stdout));
    });
  });
}

export async function makeJpeg(spec: JpegSpec): Promise<Uint8Array> {
  const options = [
    ...(spec.colour === 'gray' ? ['-colorspace', 'Gray', '-type', 'Grayscale'] : ['-type', 'TrueColor']),
    '-quality',
    String(spec.quality ?? 85),
    '-sampling-factor',
    '2x2',
    ...(spec.progressive ? ['-interlace', 'JPEG'] : ['-interlace', 'None']),
  ];
  return renderPage(spec, options, 'jpg');
}

export async function makePng(spec: PngSpec): Promise<Uint8Array> {
  const colour = spec.colour ?? 'rgb';
  const byColour: Record<NonNullable<PngSpec['colour']>, string[]> = {
    rgb: ['-alpha', 'off', '-define', 'png:color-type=2', '-define', 'png:bit-depth=8'],
    rgba: ['-alpha', 'set', '-channel', 'A', '-evaluate', 'set', '90%', '+channel', '-define', 'png:color-type=6', '-define', 'png:bit-depth=8'],
    gray: ['-alpha', 'off', '-colorspace', 'Gray', '-define', 'png:color-type=0', '-define', 'png:bit-depth=8'],
    bilevel: ['-alpha', 'off', '-colorspace', 'Gray', '-threshold', '60%', '-define', 'png:color-type=0', '-define', 'png:bit-depth=1'],
  };
  return renderPage(spec, [...byColour[colour], ...(spec.interlaced ? ['-interlace', 'PNG'] : ['-interlace', 'None'])], 'png');
}

/**
 * Insert an EXIF APP1 segment (IFD0 with X/YResolution, ResolutionUnit = inch and, if given, Orientation)
 * right after the SOI of `jpeg`. Used to test EXIF-only resolution and orientation handling.
 */
export function withExif(jpeg: Uint8Array, exif: { dpi?: number; orientation?: number }): Uint8Array {
  type Entry = { tag: number; type: number; count: number; value: number[] };
  const entries: Entry[] = [];
  if (exif.dpi !== undefined) {
    entries.push({ tag: 0x011a, type: 5, count: 1, value: [exif.dpi, 1] });
    entries.push({ tag: 0x011b, type: 5, count: 1, value: [exif.dpi, 1] });
  }
  if (exif.orientation !== undefined) entries.push({ tag: 0x0112, type: 3, count: 1, value: [exif.orientation] });
  if (exif.dpi !== undefined) entries.push({ tag: 0x0128, type: 3, count: 1, value: [2] });
  entries.sort((a, b) => a.tag - b.tag);

  // Big-endian TIFF: header (8) + IFD (2 + 12n + 4) + rationals stored after the IFD.
  const ifdSize = 2 + entries.length * 12 + 4;
  const rationals = entries.filter((e) => e.type === 5);
  const tiff = new Uint8Array(8 + ifdSize + rationals.length * 8);
  const view = new DataView(tiff.buffer);
  tiff.set([0x4d, 0x4d, 0x00, 0x2a], 0);
  view.setUint32(4, 8);
  view.setUint16(8, entries.length);
  let extraOffset = 8 + ifdSize;
  entries.forEach((entry, i) => {
    const at = 10 + i * 12;
    view.setUint16(at, entry.tag);
    view.setUint16(at + 2, entry.type);
    view.setUint32(at + 4, entry.count);
    if (entry.type === 5) {
      view.setUint32(at + 8, extraOffset);
      view.setUint32(extraOffset, entry.value[0] ?? 0);
      view.setUint32(extraOffset + 4, entry.value[1] ?? 1);
      extraOffset += 8;
    } else {
      view.setUint16(at + 8, entry.value[0] ?? 0);
    }
  });

  const header = new TextEncoder().encode('Exif\0\0');
  const segmentLength = 2 + header.length + tiff.length;
  const out = new Uint8Array(jpeg.length + 2 + segmentLength);
  out.set(jpeg.subarray(0, 2), 0);
  out.set([0xff, 0xe1, segmentLength >> 8, segmentLength & 0xff], 2);
  out.set(header, 6);
  out.set(tiff, 6 + header.length);
  out.set(jpeg.subarray(2), 6 + header.length + tiff.length);
  return out;
}

/** Deterministic pseudo-random numbers (mulberry32), so a seed always gives the same page. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const syllables = ['cong', 'hoa', 'xa', 'hoi', 'chu', 'nghia', 'viet', 'nam', 'doc', 'lap', 'tu', 'do', 'hanh', 'phuc', 'giay', 'chung', 'nhan', 'quyen', 'su', 'dung', 'dat', 'so', 'thua', 'to', 'ban', 'ho', 'ten', 'ngay', 'sinh', 'noi', 'cu', 'tru', 'phuong', 'tinh', 'uy', 'nhan', 'dan'];

/** ImageMagick draw commands (MVG) for a form-like page: title, ruled text lines, a seal and a signature. */
function pageDrawing(widthPx: number, heightPx: number, random: () => number): string {
  const unit = widthPx / 1654; // layouts are designed at 200 dpi A4 and scaled
  const margin = Math.round(150 * unit);
  const lineHeight = Math.max(4, Math.round(48 * unit));
  const fontSize = Math.max(3, Math.round(30 * unit));
  const word = (): string => syllables[Math.floor(random() * syllables.length)] ?? 'so';
  const commands: string[] = [`font-size ${fontSize}`, 'fill "#1b1b1f"', 'stroke none'];

  commands.push(`font-size ${Math.round(fontSize * 1.3)}`);
  commands.push(`text ${Math.round(widthPx * 0.22)},${margin} "CONG HOA XA HOI CHU NGHIA VIET NAM"`);
  commands.push(`text ${Math.round(widthPx * 0.32)},${margin + lineHeight} "Doc lap - Tu do - Hanh phuc"`);
  commands.push(`font-size ${fontSize}`);

  for (let y = margin + lineHeight * 3; y < heightPx - margin - lineHeight * 6; y += lineHeight) {
    const words: string[] = [];
    const wordsOnLine = 6 + Math.floor(random() * 9);
    for (let i = 0; i < wordsOnLine; i++) words.push(word());
    if (random() < 0.15) words.push('.'.repeat(20 + Math.floor(random() * 40)));
    commands.push(`text ${margin + Math.round(random() * 20 * unit)},${y} "${words.join(' ')}"`);
  }

  // A red seal and a blue ballpoint signature: the colour the decree wants preserved.
  const sealX = Math.round(widthPx * 0.7);
  const sealY = Math.round(heightPx - margin - lineHeight * 3);
  const sealR = Math.round(130 * unit);
  commands.push('fill none', `stroke "#c8102e"`, `stroke-width ${Math.max(1, Math.round(8 * unit))}`);
  commands.push(`circle ${sealX},${sealY} ${sealX + sealR},${sealY}`);
  commands.push(`circle ${sealX},${sealY} ${sealX + Math.round(sealR * 0.75)},${sealY}`);
  commands.push(`stroke "#1f3fa8"`, `stroke-width ${Math.max(1, Math.round(4 * unit))}`);
  const sx = sealX - Math.round(sealR * 1.2);
  const bend = (): number => Math.round((random() - 0.5) * 160 * unit);
  commands.push(`path "M ${sx},${sealY} C ${sx + 60 * unit},${sealY + bend()} ${sx + 120 * unit},${sealY + bend()} ${sx + 200 * unit},${sealY} S ${sx + 320 * unit},${sealY + bend()} ${sx + 420 * unit},${sealY - 20 * unit}"`);
  return commands.join('\n');
}

async function renderPage(spec: ImageSpec, formatOptions: readonly string[], format: 'jpg' | 'png'): Promise<Uint8Array> {
  const seed = spec.seed ?? 1;
  const random = randomFrom(seed);
  const dir = await mkdtemp(join(tmpdir(), 'motcua-img-'));
  try {
    const outPath = join(dir, `page.${format}`);
    const density = spec.dpi === null ? ['-units', 'Undefined'] : ['-units', 'PixelsPerInch', '-density', String(spec.dpi)];
    const args = [
      '-size',
      `${spec.widthPx}x${spec.heightPx}`,
      'xc:#f4f1e8',
      '-draw',
      // Inline, not `@file`: Debian's ImageMagick policy forbids reading draw commands from a file.
      pageDrawing(spec.widthPx, spec.heightPx, random),
      // Scanner look: slight blur of the glyph edges, then sensor noise.
      '-blur',
      '0x0.6',
      '-seed',
      String(seed),
      '-attenuate',
      '0.35',
      '+noise',
      'Gaussian',
      ...(spec.dpi === null ? ['-strip'] : []),
      ...density,
      ...formatOptions,
      `${format}:${outPath}`,
    ];
    await run('convert', args);
    return new Uint8Array(await readFile(outPath));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${stderr || error.message}`));
      else resolve();
    });
  });
}
