import { AppError } from '../../../../shared/errors';
import { probeSourceFile, type SourceProbe } from '../../../../shared/pdf/image-probe';
import { minimumDpi, type QuarterTurn } from '../../../../shared/pdf/assemble';
import type { OcrPage } from '../../../../shared/imaging/processing';

/** A file the clerk attached to a component, checked and ready for assembly. */
export interface Attachment {
  readonly id: string;
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly probe: SourceProbe;
  /** Object URL of the image for its thumbnail (images only). */
  readonly previewUrl?: string;
  /** Clockwise turn the clerk gave a scanned page in the page workspace. */
  readonly rotation?: QuarterTurn;
  /** OCR words of a scanned page, when main had read it before the dossier was signed. */
  readonly textLayer?: OcrPage;
}

/**
 * Reads and checks one picked file. The probe rejects what is not JPEG/PNG/PDF by its bytes; images are
 * also decoded by the browser, which catches damage past the headers (a truncated scan).
 */
export async function readAttachment(file: File): Promise<Attachment> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const probe = await probeSourceFile(bytes, file.name);
  let previewUrl: string | undefined;
  if (probe.kind !== 'pdf') {
    const blob = new Blob([bytes], { type: probe.kind === 'jpeg' ? 'image/jpeg' : 'image/png' });
    try {
      const bitmap = await createImageBitmap(blob);
      bitmap.close();
    } catch (cause) {
      throw new AppError('FILE_CORRUPT_IMAGE', { name: file.name }, { cause });
    }
    previewUrl = URL.createObjectURL(blob);
  }
  return { id: crypto.randomUUID(), name: file.name, bytes, probe, ...(previewUrl ? { previewUrl } : {}) };
}

export function pageCountOf(attachment: Attachment): number {
  return attachment.probe.kind === 'pdf' ? attachment.probe.pageCount : 1;
}

/**
 * Below the Decree 30 minimum. Rounded first: PNG stores pixels per metre, so 200 dpi reads back as 199.9.
 */
export function isLowResolution(attachment: Attachment): boolean {
  const { probe } = attachment;
  return probe.kind !== 'pdf' && probe.dpi !== null && Math.round(Math.min(probe.dpi.x, probe.dpi.y)) < minimumDpi;
}
