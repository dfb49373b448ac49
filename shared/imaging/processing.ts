/**
 * What crosses IPC about page processing (clean-up, then OCR) in main: the configuration the renderer may
 * see, the OCR words of a page and the state of one page's processing. Platform-free.
 */
import { z } from 'zod';
import { errorCodes } from '../errors';

const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes');

export const imagingConfigSchema = z
  .object({
    /** Clean every captured page (crop, orientation, deskew, levels, blank check, JPEG) in main. */
    cleanup: z.boolean().default(true),
    /** A page under Decree 30's 200 dpi: shown with a warning, or the component cannot be signed until rescanned. */
    minDpiPolicy: z.enum(['warn', 'block']).default('warn'),
    /** Vietnamese OCR text layer (tesseract.js, trained data shipped with the app), added when ready before signing. */
    ocr: z.boolean().default(true),
  })
  .default({ cleanup: true, minDpiPolicy: 'warn', ocr: true });
export type ImagingConfig = z.output<typeof imagingConfigSchema>;

/** One recognised word; the box in pixels of the image OCR ran on (origin top-left). */
const ocrWordSchema = z.object({
  text: z.string().min(1).max(200),
  x0: z.number(),
  y0: z.number(),
  x1: z.number(),
  y1: z.number(),
});
export type OcrWord = z.infer<typeof ocrWordSchema>;

/** The words of one page, with the size of the image their boxes refer to (checked before drawing). */
const ocrPageSchema = z.object({
  widthPx: z.number().int().positive(),
  heightPx: z.number().int().positive(),
  words: z.array(ocrWordSchema).max(20_000),
});
export type OcrPage = z.infer<typeof ocrPageSchema>;

/** What clean-up did to a page. */
const cleanupFactsSchema = z.object({
  widthPx: z.number().int().positive(),
  heightPx: z.number().int().positive(),
  dpi: z.number().positive(),
  skewDegrees: z.number(),
  quarterTurns: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  cropped: z.boolean(),
  blank: z.boolean(),
  belowMinimumDpi: z.boolean(),
});
export type CleanupFacts = z.infer<typeof cleanupFactsSchema>;

const wireErrorSchema = z.object({ code: z.enum(errorCodes), details: z.record(z.string(), z.union([z.string(), z.number()])) });

const stepStateSchema = z.enum(['pending', 'done', 'failed', 'off']);
export type StepState = z.infer<typeof stepStateSchema>;

/**
 * One page's processing as main knows it. `unknown`: main has no such id (restarted, or the result was
 * dropped): the renderer submits its stored original again. The cleaned JPEG is sent while `want` asks for it.
 */
export const processingResultSchema = z.discriminatedUnion('state', [
  z.object({ id: z.string(), state: z.literal('unknown') }),
  z.object({
    id: z.string(),
    state: z.literal('known'),
    cleanup: stepStateSchema,
    cleaned: z.object({ jpeg: bytes, facts: cleanupFactsSchema }).optional(),
    ocr: stepStateSchema,
    ocrPage: ocrPageSchema.optional(),
    error: wireErrorSchema.optional(),
  }),
]);
export type ProcessingResult = z.infer<typeof processingResultSchema>;

/** What the renderer still needs of a page: the cleaned image (not stored yet), or only its OCR words. */
export const processingWantSchema = z.object({ id: z.string().min(1).max(100), want: z.enum(['cleaned', 'ocr']) });
export type ProcessingWant = z.infer<typeof processingWantSchema>;
