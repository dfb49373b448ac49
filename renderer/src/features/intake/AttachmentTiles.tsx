/**
 * Picked files as tiles (thumbnail, name, page count, low-resolution warning, ×) followed by the "add files"
 * tile: one component for the desk's supplement receipt and for the intake's list of files kept outside the
 * page workspace, so both look and behave the same.
 */
import { useTranslation } from 'react-i18next';
import { PdfThumbnail } from '../../ui/PdfPreview';
import { isLowResolution, pageCountOf, type Attachment } from './attachments';

const pickableFileTypes = 'image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf';

interface Props {
  readonly attachments: readonly Attachment[];
  readonly onRemove: (attachment: Attachment) => void;
  /** The add tile's file input; absent: no add tile (the files are added elsewhere). */
  readonly add?: { readonly testId: string; readonly accept?: string; readonly onFiles: (files: FileList | null) => Promise<void> };
  readonly disabled?: boolean;
}

export function AttachmentTiles({ attachments, onRemove, add, disabled = false }: Props) {
  const { t } = useTranslation();
  return (
    <div className="thumbs">
      {attachments.map((a) => (
        <figure key={a.id} className="thumb">
          {a.previewUrl ? <img src={a.previewUrl} alt={a.name} /> : <PdfThumbnail bytes={a.bytes} label={a.name} />}
          <figcaption>
            <span className="file-name" title={a.name}>
              {a.name}
            </span>
            <span>{t('components.pages', { count: pageCountOf(a) })}</span>
            {isLowResolution(a) && <span className="warn">{t('components.lowDpi')}</span>}
          </figcaption>
          <button type="button" className="remove" aria-label={t('components.remove', { name: a.name })} disabled={disabled} onClick={() => onRemove(a)}>
            ×
          </button>
        </figure>
      ))}
      {add && (
        <label className="add-files">
          <span className="plus" aria-hidden="true">
            +
          </span>
          <span>{t('components.addFilesNoTiff')}</span>
          <input
            className="visually-hidden"
            type="file"
            multiple
            accept={add.accept ?? pickableFileTypes}
            data-testid={add.testId}
            disabled={disabled}
            onChange={(e) => {
              const input = e.currentTarget;
              void add.onFiles(input.files).then(() => {
                input.value = '';
              });
            }}
          />
        </label>
      )}
    </div>
  );
}
