/**
 * The workspace's pages as the intake's attachments: each component's captured pages, in workspace order,
 * followed by the files picked for it. The assembly embeds each JPEG as it is, turned by the clerk's rotation.
 */
import { probeSourceFile } from '../../../../shared/pdf/image-probe';
import type { Procedure } from '../../../../shared/domain/procedure';
import type { CounterDatabase } from '../../db/database';
import type { Attachment } from '../intake/attachments';
import type { AttachmentsByComponent } from '../intake/ComponentsStep';
import { listPages, readPageBytes } from './page-store';

export async function withCapturedPages(db: CounterDatabase, procedure: Procedure, picked: AttachmentsByComponent): Promise<AttachmentsByComponent> {
  const pages = await listPages(db);
  const merged: Record<string, readonly Attachment[]> = {};
  for (const component of procedure.components) {
    const captured: Attachment[] = [];
    for (const page of pages.filter((p) => p.componentCode === component.code)) {
      const bytes = await readPageBytes(db, page.id);
      captured.push({ id: page.id, name: page.name, bytes, probe: await probeSourceFile(bytes, page.name), rotation: page.rotation });
    }
    merged[component.code] = [...captured, ...(picked[component.code] ?? [])];
  }
  return merged;
}
