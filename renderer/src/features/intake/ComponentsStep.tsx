import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Procedure } from '../../../../shared/domain/procedure';
import { pageCountOf, type Attachment } from './attachments';
import { AttachmentTiles } from './AttachmentTiles';
import { PageStrip, ScanBar, ZoomDialog } from '../capture/PageWorkspace';
import { ProcessingSummary } from '../capture/ProcessingBadges';
import { useCaptureWorkspace } from '../capture/useCapture';
import { CameraCapture } from '../camera/CameraCapture';
import type { CapturePageRow } from '../../db/database';
import type { DocumentSource } from '../../../../shared/domain/reception-duties';
import { DocumentSourceSelect } from './ReceptionDutyControls';
import { countPages, pageCountConfirmation, pageCountMatches, type PageCountConfirmation, type PaperPageEntry } from '../../../../shared/domain/digitization';
import { PageCountCheck } from '../capture/PageCountCheck';

/** Where messages about files imported into the unsorted stack are kept (no component code looks like this). */
const stackKey = '';
const acceptedFiles = 'image/jpeg,image/png,image/tiff,application/pdf,.jpg,.jpeg,.png,.tif,.tiff,.pdf';

export type AttachmentsByComponent = Readonly<Record<string, readonly Attachment[]>>;

interface Props {
  readonly procedure: Procedure;
  readonly attachments: AttachmentsByComponent;
  /** Takes an updater, never a value: files for several components may finish reading in any order. */
  readonly onChange: (update: (previous: AttachmentsByComponent) => AttachmentsByComponent) => void;
  readonly onBack: () => void;
  /** The paper page counts the clerk typed and the differences acknowledged, per component code. */
  readonly paperPages: Readonly<Record<string, PaperPageEntry>>;
  readonly onPaperPages: (code: string, entry: PaperPageEntry) => void;
  /** Accept: go on to signing (only when nothing required is missing and every page count is confirmed). */
  readonly onNext: (pageCounts: readonly PageCountConfirmation[]) => void;
  /** Request completion (Mẫu 02) or refuse (Mẫu 03) instead of accepting. */
  readonly onRequestCompletion: () => void;
  readonly onRefuse: () => void;
  /** Where each component's document came from (Decree 118 Art. 17.1.b); paper when not set. */
  readonly sources: Readonly<Record<string, DocumentSource>>;
  readonly onSourceChange: (componentCode: string, source: DocumentSource) => void;
}

export function ComponentsStep({ procedure, attachments, onChange, paperPages, onPaperPages, onBack, onNext: onNextWith, onRequestCompletion, onRefuse, sources, onSourceChange }: Props) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<Readonly<Record<string, readonly string[]>>>({});
  const ws = useCaptureWorkspace();
  const [zoomed, setZoomed] = useState<CapturePageRow | null>(null);
  const [assignTo, setAssignTo] = useState('');
  /** "Tiếp tục" with pages still unsorted: they would not go into the dossier, so the clerk is asked first. */
  const [askUnsorted, setAskUnsorted] = useState(false);
  // The step's heading takes the keyboard when the step opens: Tab goes on to the scanner and the files,
  // rather than starting again from the header.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const busy = ws.importing > 0 || ws.scanning !== null;
  const codes = new Set(procedure.components.map((c) => c.code));
  // Pages assigned to a component this procedure lacks (another procedure was chosen) go back to the stack.
  const stack = ws.pages.filter((p) => p.componentCode === null || !codes.has(p.componentCode));
  const pagesOf = (code: string) => ws.pages.filter((p) => p.componentCode === code);
  const hasContent = (code: string) => (attachments[code]?.length ?? 0) > 0 || pagesOf(code).length > 0;
  const missing = procedure.components.filter((c) => c.required && !hasContent(c.code));
  const requiredCount = procedure.components.filter((c) => c.required).length;
  const pagesInDossier = ws.pages.length - stack.length + Object.values(attachments).reduce((n, list) => n + list.reduce((m, a) => m + pageCountOf(a), 0), 0);
  const selectedInStack = stack.filter((p) => ws.selected.has(p.id)).map((p) => p.id);
  // Circular 01/2023 Art. 8.2: each present component's images against the paper's page count.
  const pageCounts = procedure.components.filter((c) => hasContent(c.code)).map((c) =>
    pageCountConfirmation(
      c.code,
      countPages([...pagesOf(c.code).map((p) => ({ id: p.id, pageCount: p.pageCount, notePair: p.notePair })), ...(attachments[c.code] ?? []).map((a) => ({ id: a.id, pageCount: pageCountOf(a) }))]),
      paperPages[c.code],
    ),
  );
  const unconfirmed = procedure.components.filter((c) => pageCounts.some((p) => p.code === c.code && !pageCountMatches(p) && !p.mismatchAcknowledged));
  const onNext = () => onNextWith(pageCounts);

  // Picked files go into the workspace like scanned pages (kept across a restart, cleaned, read by OCR);
  // a refused file or page is reported under its component and the others carry on.
  const addFiles = async (componentCode: string | null, files: FileList | null) => {
    if (!files?.length) return;
    const problems = await ws.importFiles(Array.from(files), componentCode);
    setErrors((previous) => ({ ...previous, [componentCode ?? stackKey]: problems }));
  };

  const remove = (componentCode: string, attachment: Attachment) => {
    if (attachment.previewUrl) URL.revokeObjectURL(attachment.previewUrl);
    onChange((previous) => ({ ...previous, [componentCode]: (previous[componentCode] ?? []).filter((a) => a.id !== attachment.id) }));
  };

  return (
    <section aria-labelledby="components-heading">
      <h2 id="components-heading" ref={heading} tabIndex={-1}>
        {t('components.heading')}
      </h2>
      <p className="procedure-chosen">
        <span className="code">{procedure.code}</span> {procedure.name}
      </p>
      <section
        className="capture"
        aria-labelledby="capture-heading"
        onKeyDown={(e) => {
          // Ctrl+Z undoes the last deletion while the keyboard is in the page area (not while typing elsewhere).
          if ((e.ctrlKey || e.metaKey) && (e.key === 'z' || e.key === 'Z') && ws.lastRemoved) {
            e.preventDefault();
            void ws.undoRemove();
          }
        }}
      >
        <h3 id="capture-heading">{t('capture.heading')}</h3>
        <ScanBar ws={ws} />
        <ProcessingSummary pages={ws.pages} />
        <CameraCapture />
        {ws.notice && (
          <p className="hint" role="status">
            {ws.notice}
          </p>
        )}
        {ws.lastRemoved && (
          <p className="undo-bar" role="status">
            {t('capture.removed', { count: ws.lastRemoved.count })}{' '}
            <button type="button" onClick={() => void ws.undoRemove()}>
              {t('capture.undo')}
            </button>
          </p>
        )}
        {ws.messages.map((message, i) => (
          <p key={`${i}-${message}`} className="error" role="alert">
            {message}
          </p>
        ))}
        <div className="stack-head">
          <span className="component-name">{t('capture.stack', { count: stack.length })}</span>
          <label className="button import-files">
            {t('capture.importFiles')}
            <input
              className="visually-hidden"
              type="file"
              multiple
              accept={acceptedFiles}
              data-testid="files-stack"
              onChange={(e) => {
                const input = e.currentTarget;
                void addFiles(null, input.files).then(() => {
                  input.value = '';
                });
              }}
            />
          </label>
          {stack.length > 0 && (
            <>
              <button type="button" onClick={() => ws.select(stack.map((p) => p.id), 'only')}>
                {t('capture.selectAll')}
              </button>
              <label>
                {t('capture.assignTo')}
                <select value={assignTo} onChange={(e) => setAssignTo(e.currentTarget.value)}>
                  <option value="">—</option>
                  {procedure.components.map((c, i) => (
                    <option key={c.code} value={c.code}>
                      {i + 1}. {c.name}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" disabled={!assignTo || selectedInStack.length === 0} onClick={() => void ws.assign(selectedInStack, assignTo)}>
                {t('capture.assign', { count: selectedInStack.length })}
              </button>
            </>
          )}
        </div>
        {(errors[stackKey] ?? []).map((message) => (
          <p key={message} className="error" role="alert">
            {message}
          </p>
        ))}
        <PageStrip ws={ws} componentCode={null} components={procedure.components} pages={stack} label={t('capture.stackLabel')} onZoom={setZoomed} />
        <p className="keys-hint">{t('capture.keys')}</p>
        <p className="keys-hint">{t('digitized.keys')}</p>
      </section>
      <ol className="components">
        {procedure.components.map((component, index) => {
          const list = attachments[component.code] ?? [];
          const captured = pagesOf(component.code);
          const present = list.length > 0 || captured.length > 0;
          return (
            <li key={component.code} className="component" data-component={component.code}>
              <div className="component-head">
                <span className="component-name">{component.name}</span>
                <span className={`badge ${component.required ? 'required' : 'optional'}`}>{component.required ? t('components.required') : t('components.optional')}</span>
                <span className={`badge ${present ? 'present' : component.required ? 'missing' : 'absent'}`}>
                  {present ? t('components.present') : component.required ? t('components.missing') : t('components.absent')}
                </span>
                {captured.length > 0 && <span className="badge optional">{t('capture.scannedPages', { count: captured.length })}</span>}
                <DocumentSourceSelect componentCode={component.code} componentName={component.name} value={sources[component.code] ?? 'paper'} onChange={(source) => onSourceChange(component.code, source)} />
                <kbd title={t('capture.assignKey')}>{index + 1}</kbd>
                <label className="button import-files add-to-component">
                  <span aria-hidden="true">+ </span>
                  {t('components.addFiles')}
                  <input
                    className="visually-hidden"
                    type="file"
                    multiple
                    accept={acceptedFiles}
                    data-testid={`files-${component.code}`}
                    onChange={(e) => {
                      const input = e.currentTarget;
                      void addFiles(component.code, input.files).then(() => {
                        input.value = '';
                      });
                    }}
                  />
                </label>
              </div>
              <PageStrip ws={ws} componentCode={component.code} components={procedure.components} pages={captured} label={t('capture.componentLabel', { name: component.name })} onZoom={setZoomed} />
              {list.length > 0 && <AttachmentTiles attachments={list} onRemove={(a) => remove(component.code, a)} />}
              {(() => {
                const confirmation = pageCounts.find((p) => p.code === component.code);
                return confirmation ? <PageCountCheck componentName={component.name} confirmation={confirmation} entry={paperPages[component.code] ?? {}} onChange={(entry) => onPaperPages(component.code, entry)} /> : null;
              })()}
              {(errors[component.code] ?? []).map((message) => (
                <p key={message} className="error" role="alert">
                  {message}
                </p>
              ))}
            </li>
          );
        })}
      </ol>
      {ws.importing > 0 && (
        <p className="hint" role="status">
          {t('components.reading')}
        </p>
      )}
      {missing.length > 0 && (
        <p className="hint" role="status">
          {t('errors.DOSSIER_REQUIRED_COMPONENT_MISSING', { name: missing.map((c) => c.name).join('; ') })}
        </p>
      )}
      {unconfirmed.length > 0 && (
        <p className="hint" role="status">
          {t('digitized.unconfirmed', { names: unconfirmed.map((c) => c.name).join('; ') })}
        </p>
      )}
      {zoomed && (() => {
        const current = ws.pages.find((p) => p.id === zoomed.id) ?? zoomed;
        const inComponent = procedure.components.find((c) => c.code === current.componentCode);
        return (
          <ZoomDialog
            ws={ws}
            page={current}
            siblings={inComponent ? pagesOf(inComponent.code) : stack}
            place={inComponent ? inComponent.name : t('capture.stackLabel')}
            onNavigate={setZoomed}
            onClose={() => {
              setZoomed(null);
              // Back on the page's thumbnail (wherever it sits now), not on the page's <body>.
              setTimeout(() => document.querySelector<HTMLElement>(`[data-page-id="${CSS.escape(current.id)}"]`)?.focus(), 0);
            }}
          />
        );
      })()}
      <div className="actions sticky-actions">
        <p className="dossier-summary" data-testid="dossier-summary">
          <span className={missing.length ? 'summary-missing' : 'summary-ok'}>
            {t('components.summaryRequired', { present: requiredCount - missing.length, count: requiredCount })}
          </span>
          <span>{t('components.summaryPages', { count: pagesInDossier })}</span>
          {stack.length > 0 && <span className="summary-unsorted">{t('components.summaryUnsorted', { count: stack.length })}</span>}
        </p>
        <button type="button" onClick={onBack}>
          {t('common.back')}
        </button>
        <button type="button" disabled={busy} onClick={onRefuse}>
          {t('decision.refuse')}
        </button>
        <button type="button" className={missing.length > 0 ? 'primary' : ''} disabled={busy} onClick={onRequestCompletion}>
          {t('decision.requestCompletion')}
        </button>
        <button type="button" className={missing.length > 0 ? '' : 'primary'} disabled={missing.length > 0 || unconfirmed.length > 0 || busy} onClick={() => (stack.length > 0 ? setAskUnsorted(true) : onNext())}>
          {t('common.next')}
        </button>
        {askUnsorted && stack.length > 0 && (
          <div className="confirm-unsorted" role="alertdialog" aria-labelledby="unsorted-question">
            <p id="unsorted-question">{t('components.unsortedQuestion', { count: stack.length })}</p>
            <button type="button" autoFocus onClick={() => setAskUnsorted(false)}>
              {t('components.sortFirst')}
            </button>
            <button type="button" onClick={onNext}>
              {t('components.leaveUnsorted', { count: stack.length })}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
