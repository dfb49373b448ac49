/**
 * The fonts the counter's forms are printed in. Liberation Serif is metric-compatible with Times New Roman
 * (the font administrative documents use) and covers Vietnamese; it is licensed under the SIL Open Font
 * License 1.1, whose text ships beside the files. shared/ has no I/O: the renderer fetches these files
 * (bundled as assets), Node code reads them from `FONT_ASSET_DIR`, and both pass the bytes in.
 */

/** Folder holding the font files, relative to the repository root. */
export const FONT_ASSET_DIR = 'shared/assets/fonts';

export const fontFiles = {
  regular: 'LiberationSerif-Regular.ttf',
  bold: 'LiberationSerif-Bold.ttf',
} as const;

/** TrueType bytes of the two faces a form needs. */
export interface FormFonts {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
}
