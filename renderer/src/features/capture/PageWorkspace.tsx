/**
 * The page workspace's pieces: the scan bar (device, paper source, colour, resolution, Scan/Stop with
 * progress), a strip of page thumbnails (the unassigned stack, or one component's pages) with drag and
 * keyboard editing, and the zoom view.
 *
 * Keyboard on a focused page: ←/→ move focus, Alt+←/→ move the page, R / Shift+R rotate, Delete removes,
 * Enter or Z zooms, Space selects (Shift+click or Shift+←/→ extends), digits 1–9 assign the selected pages
 * (or the focused one) to the n-th component, 0 returns them to the stack. P pairs a page carrying a sticky
 * note with the next page (the same sheet, note lifted), or undoes the pair.
 */
import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ColourMode, PaperSource } from '../../../../shared/capture/capture';
import type { ProcedureComponent } from '../../../../shared/domain/procedure';
import type { CapturePageRow } from '../../db/database';
import type { CaptureWorkspace } from './useCapture';
import { PageProcessingBadges } from './ProcessingBadges';
import { PdfThumbnail } from '../../ui/PdfPreview';
import { useServices } from '../../app/services';
import { readPageBytes } from './page-store';

const dragType = 'application/x-motcua-page';

export function ScanBar({ ws }: { ws: CaptureWorkspace }) {
  const { t } = useTranslation();
  const device = ws.devices?.find((d) => d.id === ws.deviceId);
  const sources: readonly PaperSource[] = device?.paperSources.length ? device.paperSources : [];
  const colours: readonly ColourMode[] = device?.colourModes.length ? device.colourModes : [];
  const resolutions = device?.resolutions.length ? device.resolutions : [];
  return (
    <div className="scan-bar" role="group" aria-label={t('capture.bar')}>
      <label>
        {t('capture.device')}
        <select value={ws.deviceId} onChange={(e) => ws.setDeviceId(e.currentTarget.value)} disabled={!!ws.scanning || !ws.devices?.length}>
          {ws.devices === null && <option value="">{t('capture.searching')}</option>}
          {ws.devices?.length === 0 && <option value="">{t('capture.noDevice')}</option>}
          {ws.devices?.map((d) => (
            <option key={d.id} value={d.id}>
              {t(`capture.kinds.${d.kind}`)}: {d.label}
            </option>
          ))}
        </select>
      </label>
      {sources.length > 0 && (
        <label>
          {t('capture.paperSource')}
          <select value={sources.includes(ws.settings.paperSource) ? ws.settings.paperSource : sources[0]} onChange={(e) => ws.setSettings({ ...ws.settings, paperSource: e.currentTarget.value as PaperSource })} disabled={!!ws.scanning}>
            {sources.map((s) => (
              <option key={s} value={s}>
                {t(`capture.sources.${s}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      {colours.length > 0 && (
        <label>
          {t('capture.colour')}
          <select value={ws.settings.colourMode} onChange={(e) => ws.setSettings({ ...ws.settings, colourMode: e.currentTarget.value as ColourMode })} disabled={!!ws.scanning}>
            {colours.map((c) => (
              <option key={c} value={c}>
                {t(`capture.colours.${c}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      {resolutions.length > 0 && (
        <label>
          {t('capture.dpi')}
          <select value={ws.settings.dpi} onChange={(e) => ws.setSettings({ ...ws.settings, dpi: Number(e.currentTarget.value) })} disabled={!!ws.scanning}>
            {resolutions.map((r) => (
              <option key={r} value={r}>
                {r} dpi{r < 200 ? ` (${t('capture.belowMinimum')})` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      {ws.scanning ? (
        <>
          <span className="scan-progress" role="status">
            <span className="spinner" aria-hidden="true" /> {t(ws.scanning.rescan ? 'capture.rescanning' : 'capture.scanning', { count: ws.scanning.received })}
          </span>
          <button type="button" onClick={ws.stop}>
            {t('capture.stop')}
          </button>
        </>
      ) : (
        <>
          <button type="button" className="primary" disabled={!device} onClick={() => ws.scan()}>
            {device?.kind === 'hot-folder' ? t('capture.watchFolder') : t('capture.scan')}
          </button>
          <button type="button" onClick={ws.refreshDevices}>
            {t('capture.refresh')}
          </button>
        </>
      )}
    </div>
  );
}

interface StripProps {
  readonly ws: CaptureWorkspace;
  /** null: the unassigned stack. */
  readonly componentCode: string | null;
  readonly components: readonly ProcedureComponent[];
  readonly pages: readonly CapturePageRow[];
  readonly label: string;
  readonly onZoom: (page: CapturePageRow) => void;
}

export function PageStrip({ ws, componentCode, components, pages, label, onZoom }: StripProps) {
  const { t } = useTranslation();
  const [dropTarget, setDropTarget] = useState(false);
  const refs = useRef(new Map<string, HTMLElement>());
  const anchor = useRef<string | null>(null);
  // A page to focus once the list has re-rendered after a move or delete (keyboard users keep their place).
  const pendingFocus = useRef<string | null>(null);
  const setFocusAfter = (id: string) => {
    pendingFocus.current = id;
  };

  useEffect(() => {
    const id = pendingFocus.current;
    const el = id ? refs.current.get(id) : undefined;
    if (el) {
      el.focus();
      pendingFocus.current = null;
    }
  });

  const dropOn = (e: DragEvent, beforeId: string | null) => {
    const id = e.dataTransfer.getData(dragType);
    if (!id) return;
    e.preventDefault();
    e.stopPropagation();
    setDropTarget(false);
    void ws.move(id, beforeId, componentCode);
  };

  const targets = (page: CapturePageRow) => (ws.selected.has(page.id) ? [...ws.selected] : [page.id]);

  const onKey = (e: KeyboardEvent, page: CapturePageRow, index: number) => {
    const focus = (i: number) => {
      const other = pages[Math.max(0, Math.min(pages.length - 1, i))];
      if (other) refs.current.get(other.id)?.focus();
      return other;
    };
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const step = e.key === 'ArrowRight' ? 1 : -1;
      e.preventDefault();
      if (e.altKey) {
        // Move the page one place; past the ends of this strip it stays (drag to move between strips).
        const beforeIndex = step > 0 ? index + 2 : index - 1;
        if (step < 0 && index === 0) return;
        if (step > 0 && index === pages.length - 1) return;
        void ws.move(page.id, pages[beforeIndex]?.id ?? null, componentCode).then(() => setFocusAfter(page.id));
        return;
      }
      const other = focus(index + step);
      if (e.shiftKey && other) ws.select([page.id, other.id], 'add');
      return;
    }
    if (e.key === 'r' || e.key === 'R') {
      e.preventDefault();
      void ws.rotate(page.id, e.shiftKey ? -90 : 90);
    } else if (e.key === 'p' || e.key === 'P') {
      e.preventDefault();
      void (page.notePair ? ws.unpair(page.id) : ws.pairWithNext(page.id)).then(() => setFocusAfter(page.id));
    } else if ((e.key === 'g' || e.key === 'G') && page.processing?.blank && !page.processing.blankKept) {
      // "Giữ": keep a page flagged as blank, without reaching for the small button.
      e.preventDefault();
      void ws.keepBlank(page.id);
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      const ids = targets(page);
      const next = pages.find((p, i) => i > index && !ids.includes(p.id)) ?? [...pages].reverse().find((p) => !ids.includes(p.id));
      // The keyboard stays in the page area: on the next page, or on "Hoàn tác" when the strip is now empty.
      void ws.remove(ids).then(() => {
        if (next) setFocusAfter(next.id);
        else setTimeout(() => document.querySelector<HTMLElement>('.undo-bar button')?.focus(), 0);
      });
    } else if (e.key === 'Enter' || e.key === 'z' || e.key === 'Z') {
      e.preventDefault();
      onZoom(page);
    } else if (e.key === ' ') {
      e.preventDefault();
      ws.select([page.id], 'toggle');
    } else if (/^[0-9]$/.test(e.key) && !e.altKey && !e.ctrlKey) {
      const n = Number(e.key);
      const target = n === 0 ? null : components[n - 1]?.code;
      if (target === undefined) return;
      e.preventDefault();
      // The sorted pages leave this strip: the keyboard stays here, on the next page still to sort.
      const ids = targets(page);
      const next = target === componentCode ? page : (pages.find((p, i) => i > index && !ids.includes(p.id)) ?? [...pages].reverse().find((p) => !ids.includes(p.id)));
      void ws.assign(ids, target).then(() => {
        if (next) setFocusAfter(next.id);
        // The strip is empty now: follow the page to where it went.
        else document.querySelector<HTMLElement>(`[data-page-id="${CSS.escape(page.id)}"]`)?.focus();
      });
    }
  };

  return (
    <div
      className={`page-strip${dropTarget ? ' drop-target' : ''}${componentCode === null ? ' stack' : ''}`}
      role="listbox"
      aria-multiselectable="true"
      aria-label={label}
      data-strip={componentCode ?? 'stack'}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(dragType)) {
          e.preventDefault();
          setDropTarget(true);
        }
      }}
      onDragLeave={() => setDropTarget(false)}
      onDrop={(e) => dropOn(e, null)}
    >
      {pages.length === 0 && <span className="strip-empty">{componentCode === null ? t('capture.stackEmpty') : t('capture.dropHere')}</span>}
      {pages.map((page, index) => {
        const url = ws.thumbnails[page.id];
        const lowDpi = page.dpi !== null && Math.round(page.dpi) < 200;
        const isSelected = ws.selected.has(page.id);
        const name = `${t('capture.pageName', { n: index + 1, name: page.name })}${page.notePair ? ` — ${t(`digitized.shot.${page.notePair.shot}`)}` : ''}`;
        return (
          <figure
            key={page.id}
            ref={(el) => {
              if (el) refs.current.set(page.id, el);
              else refs.current.delete(page.id);
            }}
            className={`page-thumb${isSelected ? ' selected' : ''}${page.notePair ? ` note-pair ${page.notePair.shot}` : ''}`}
            role="option"
            aria-selected={isSelected}
            aria-label={name}
            tabIndex={0}
            draggable
            data-page-id={page.id}
            {...(page.notePair ? { 'data-note-shot': page.notePair.shot } : {})}
            onDragStart={(e) => {
              e.dataTransfer.setData(dragType, page.id);
              e.dataTransfer.effectAllowed = 'move';
            }}
            onDragOver={(e) => {
              if (e.dataTransfer.types.includes(dragType)) e.preventDefault();
            }}
            onDrop={(e) => dropOn(e, page.id)}
            onClick={(e) => {
              if (e.shiftKey && anchor.current) {
                const from = pages.findIndex((p) => p.id === anchor.current);
                const [a, b] = from < index ? [from, index] : [index, from];
                ws.select(pages.slice(Math.max(0, a), b + 1).map((p) => p.id), 'add');
              } else {
                ws.select([page.id], e.ctrlKey || e.metaKey ? 'toggle' : 'only');
                anchor.current = page.id;
              }
            }}
            onDoubleClick={() => onZoom(page)}
            onKeyDown={(e) => onKey(e, page, index)}
          >
            <div className="page-image">
              {url ? (
                <img src={url} alt={page.name} style={{ transform: `rotate(${page.rotation}deg)` }} draggable={false} />
              ) : page.mediaType === 'application/pdf' ? (
                <StoredPdfThumb pageId={page.id} label={page.name} />
              ) : (
                <span className="pdf-badge">…</span>
              )}
            </div>
            <figcaption>
              <span className="page-no">{index + 1}</span>
              <span className="page-meta">{page.dpi ? `${Math.round(page.dpi)} dpi` : page.mediaType === 'application/pdf' ? `PDF · ${t('components.pages', { count: page.pageCount })}` : ''}</span>
              <PageProcessingBadges ws={ws} page={page} n={index + 1} lowDpi={lowDpi} />
              {page.notePair && <span className="badge note-shot">{t(`digitized.shot.${page.notePair.shot}`)}</span>}
            </figcaption>
            <div className="page-actions">
              <button type="button" tabIndex={-1} title={t('capture.rotateLeft')} aria-label={t('capture.rotateLeft')} onClick={(e) => (e.stopPropagation(), void ws.rotate(page.id, -90))}>
                ⟲
              </button>
              <button type="button" tabIndex={-1} title={t('capture.rotateRight')} aria-label={t('capture.rotateRight')} onClick={(e) => (e.stopPropagation(), void ws.rotate(page.id, 90))}>
                ⟳
              </button>
              <button type="button" tabIndex={-1} title={t('capture.zoom')} aria-label={t('capture.zoom')} onClick={(e) => (e.stopPropagation(), onZoom(page))}>
                ⤢
              </button>
              <button
                type="button"
                tabIndex={-1}
                title={t(page.notePair ? 'digitized.unpair' : 'digitized.pair')}
                aria-label={t(page.notePair ? 'digitized.unpairPage' : 'digitized.pairPage', { n: index + 1 })}
                onClick={(e) => (e.stopPropagation(), void (page.notePair ? ws.unpair(page.id) : ws.pairWithNext(page.id)))}
              >
                {page.notePair ? '⊘' : '⇔'}
              </button>
              <button type="button" tabIndex={-1} title={t('capture.rescan')} aria-label={t('capture.rescanPage', { n: index + 1 })} disabled={!!ws.scanning} onClick={(e) => (e.stopPropagation(), ws.scan({ replacePageId: page.id }))}>
                ↻
              </button>
              <button type="button" tabIndex={-1} className="danger" title={t('capture.delete')} aria-label={t('capture.deletePage', { n: index + 1 })} onClick={(e) => (e.stopPropagation(), void ws.remove([page.id]))}>
                ×
              </button>
            </div>
          </figure>
        );
      })}
    </div>
  );
}

/** First page of a PDF kept in the workspace (a born-digital file stays a PDF; it is drawn, not converted). */
function StoredPdfThumb({ pageId, label }: { pageId: string; label: string }) {
  const { db } = useServices();
  const [bytes, setBytes] = useState<Uint8Array | null>(null);
  useEffect(() => {
    let live = true;
    readPageBytes(db, pageId).then(
      (b) => live && setBytes(b),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [db, pageId]);
  return bytes ? <PdfThumbnail bytes={bytes} label={label} /> : <span className="pdf-badge">PDF</span>;
}

interface ZoomProps {
  readonly ws: CaptureWorkspace;
  readonly page: CapturePageRow;
  /** The pages of the strip the page is in, in order: ←/→ and the buttons step through them. */
  readonly siblings: readonly CapturePageRow[];
  /** Where the page is: the component's name, or the unsorted stack. */
  readonly place: string;
  readonly onNavigate: (page: CapturePageRow) => void;
  readonly onClose: () => void;
}

export function ZoomDialog({ ws, page, siblings, place, onNavigate, onClose }: ZoomProps) {
  const { t } = useTranslation();
  const [scale, setScale] = useState(1);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const url = ws.thumbnails[page.id];
  const at = siblings.findIndex((p) => p.id === page.id);
  const previous = at > 0 ? siblings[at - 1] : undefined;
  const next = at >= 0 ? siblings[at + 1] : undefined;
  return (
    <div
      className="zoom-overlay"
      role="dialog"
      aria-modal="true"
      aria-label={t('capture.zoomTitle', { name: page.name })}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
        if (e.key === '+' || e.key === '=') setScale((s) => Math.min(4, s * 1.25));
        if (e.key === '-') setScale((s) => Math.max(0.25, s / 1.25));
        if (e.key === 'r' || e.key === 'R') void ws.rotate(page.id, e.shiftKey ? -90 : 90);
        if (e.key === 'ArrowLeft' && previous) onNavigate(previous);
        if (e.key === 'ArrowRight' && next) onNavigate(next);
      }}
    >
      <div className="zoom-toolbar">
        <span className="zoom-where">
          <span className="zoom-place">
            <strong>{at >= 0 ? t('capture.zoomPosition', { n: at + 1, count: siblings.length }) : page.name}</strong> · {place}
          </span>
          <span className="zoom-file">
            {page.name} — {page.widthPx} × {page.heightPx} px{page.dpi ? `, ${Math.round(page.dpi)} dpi` : ''}
          </span>
        </span>
        <button type="button" disabled={!previous} onClick={() => previous && onNavigate(previous)}>
          ‹ {t('capture.previousPage')}
        </button>
        <button type="button" disabled={!next} onClick={() => next && onNavigate(next)}>
          {t('capture.nextPage')} ›
        </button>
        <button type="button" aria-label={t('capture.zoomOut')} onClick={() => setScale((s) => Math.max(0.25, s / 1.25))}>
          −
        </button>
        <span>{Math.round(scale * 100)} %</span>
        <button type="button" aria-label={t('capture.zoomIn')} onClick={() => setScale((s) => Math.min(4, s * 1.25))}>
          +
        </button>
        <button type="button" onClick={() => void ws.rotate(page.id, 90)}>{t('capture.rotateRight')}</button>
        <button type="button" ref={closeRef} onClick={onClose}>
          {t('capture.close')}
        </button>
      </div>
      <div className="zoom-body">
        {url ? (
          <img src={url} alt={page.name} style={{ transform: `scale(${scale}) rotate(${page.rotation}deg)` }} />
        ) : page.mediaType === 'application/pdf' ? (
          <div className="zoom-pdf" style={{ transform: `scale(${scale})` }}>
            <StoredPdfThumb pageId={page.id} label={page.name} />
          </div>
        ) : null}
      </div>
    </div>
  );
}
