/**
 * The workspace's pages as the intake's attachments: each component's captured pages, in workspace order,
 * followed by the files picked for it. The assembly embeds each JPEG as it is, turned by the clerk's rotation,
 * with the OCR words main had read by now (none for a page still being read: it is signed without them).
 */
import { probeSourceFile } from '../../../../shared/pdf/image-probe';
import type { Procedure } from '../../../../shared/domain/procedure';
import type { CounterDatabase } from '../../db/database';
import type { Attachment } from '../intake/attachments';
import type { AttachmentsByComponent } from '../intake/ComponentsStep';
import { AppError } from '../../../../shared/errors';
import { minimumDpi } from '../../../../shared/pdf/assemble';
import { listPages } from './page-store';

export async function withCapturedPages(db: CounterDatabase, procedure: Procedure, picked: AttachmentsByComponent, policy: { minDpi: 'warn' | 'block' } = { minDpi: 'warn' }): Promise<AttachmentsByComponent> {
  const pages = await listPages(db);
  const merged: Record<string, readonly Attachment[]> = {};
  for (const component of procedure.components) {
    const captured: Attachment[] = [];
    const componentPages = pages.filter((p) => p.componentCode === component.code);
    // Decree 30's 200 dpi, when the deployment blocks rather than warns: the clerk rescans those pages first.
    const low = componentPages.flatMap((p, i) => (p.dpi !== null && Math.round(p.dpi) < minimumDpi ? [i + 1] : []));
    if (policy.minDpi === 'block' && low.length) throw new AppError('IMAGING_PAGE_BELOW_MIN_DPI', { component: component.name, count: low.length, pages: low.join(', ') });
    for (const page of componentPages) {
      const stored = await db.capturePageBytes.get(page.id);
      if (!stored) throw new Error(`page ${page.id} has no bytes`);
      const { bytes, ocr } = stored;
      captured.push({ id: page.id, name: page.name, bytes, probe: await probeSourceFile(bytes, page.name), rotation: page.rotation, ...(ocr ? { textLayer: ocr } : {}) });
    }
    merged[component.code] = [...captured, ...(picked[component.code] ?? [])];
  }
  return merged;
}
