/**
 * What every capture source (SANE, eSCL, hot folder, WIA, TWAIN) has in common, as it crosses IPC: the
 * devices, the scan settings the clerk picks, and the pages a job produces. Platform-free: main produces
 * these, the renderer shows and stores them.
 */
import { z } from 'zod';

const captureSourceKinds = ['sane', 'escl', 'hot-folder', 'wia', 'twain', 'camera', 'file'] as const;
const captureSourceKindSchema = z.enum(captureSourceKinds);
export type CaptureSourceKind = z.infer<typeof captureSourceKindSchema>;

/** Where the paper is taken from. `feeder-duplex` scans both sides of each sheet. */
const paperSourceSchema = z.enum(['flatbed', 'feeder', 'feeder-duplex']);
export type PaperSource = z.infer<typeof paperSourceSchema>;

const colourModeSchema = z.enum(['color', 'gray']);
export type ColourMode = z.infer<typeof colourModeSchema>;

export const captureDeviceSchema = z.object({
  /** `<kind>:<source-specific id>`, e.g. `sane:test:0`, `escl:http://10.0.0.5/eSCL`, `hot-folder:default`. */
  id: z.string().min(1).max(500),
  kind: captureSourceKindSchema,
  label: z.string(),
  paperSources: z.array(paperSourceSchema),
  colourModes: z.array(colourModeSchema),
  /** Resolutions offered (dpi); empty when the device does not say (the hot folder). */
  resolutions: z.array(z.number().int().positive()),
});
export type CaptureDevice = z.infer<typeof captureDeviceSchema>;

export const scanSettingsSchema = z
  .object({
    paperSource: paperSourceSchema,
    colourMode: colourModeSchema,
    /** Decree 30/2020 asks for at least 200 dpi; the device's nearest offered value at or above is used. */
    dpi: z.number().int().min(50).max(1200),
    /** Stop after this many pages (rescanning one page in place asks for 1). */
    maxPages: z.number().int().min(1).max(1000).optional(),
    /** Hot folder: stop once nothing new is waiting, instead of watching until stopped (the CLI). */
    stopWhenIdle: z.boolean().optional(),
  })
  .strict();
export type ScanSettings = z.infer<typeof scanSettingsSchema>;

export const defaultScanSettings: ScanSettings = { paperSource: 'feeder', colourMode: 'color', dpi: 200 };

const capturedMediaTypeSchema = z.enum(['image/jpeg', 'image/png', 'application/pdf']);

/** Facts of one page checked at import (no decoding): enough to lay it out and to warn about resolution. */
export const capturedPageInfoSchema = z.object({
  mediaType: capturedMediaTypeSchema,
  /** The lower of the two axes' resolution, when the file declares one. */
  dpi: z.number().positive().nullable(),
  widthPx: z.number().int().nonnegative(),
  heightPx: z.number().int().nonnegative(),
  /** Pages in the file: 1 for an image, n for a PDF dropped into the hot folder. */
  pageCount: z.number().int().positive(),
});
export type CapturedPageInfo = z.infer<typeof capturedPageInfoSchema>;

/** Where a page came from, for the clerk and the log. */
export const pageOriginSchema = z.object({
  kind: captureSourceKindSchema,
  deviceId: z.string(),
  /** The file name the source gave it (scanimage's batch file, the hot-folder file, `page-3.jpg` for eSCL). */
  name: z.string(),
});
export type PageOrigin = z.infer<typeof pageOriginSchema>;

export const jobStateSchema = z.enum(['running', 'done', 'failed', 'cancelled']);
export type JobState = z.infer<typeof jobStateSchema>;
