/**
 * The page workspace's state and actions: the devices main offers, the running scan job (polled; each page
 * saved to IndexedDB the moment it arrives), the pages (a live query on metadata), their thumbnails (object
 * URLs made from the stored bytes), selection and the clerk's edits.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { defaultScanSettings, type CaptureDevice, type ScanSettings } from '../../../../shared/capture/capture';
import { describeError } from '../../../../shared/i18n/error-messages';
import { useServices } from '../../app/services';
import type { CapturePageRow } from '../../db/database';
import { errorText } from '../../ui/errors';
import { addPages, assignPages, deletePages, listPages, movePage, pairWithNextPage, readPageBytes, restorePages, rotatePage, unpairPage, type RemovedPages } from './page-store';
import { keepBlankPage, usePageProcessing } from './processing';

interface ScanProgress {
  readonly deviceLabel: string;
  readonly received: number;
  readonly rescan: boolean;
}

export interface CaptureWorkspace {
  readonly devices: readonly CaptureDevice[] | null;
  readonly deviceId: string;
  readonly settings: ScanSettings;
  readonly pages: readonly CapturePageRow[];
  readonly thumbnails: Readonly<Record<string, string>>;
  readonly scanning: ScanProgress | null;
  readonly messages: readonly string[];
  readonly notice: string | null;
  readonly selected: ReadonlySet<string>;
  readonly setDeviceId: (id: string) => void;
  readonly setSettings: (settings: ScanSettings) => void;
  readonly refreshDevices: () => void;
  readonly scan: (options?: { replacePageId?: string }) => void;
  readonly stop: () => void;
  /**
   * Picked files into the workspace (into `componentCode`, or the stack): each page saved as it arrives,
   * cleaned and read like a scanned page. Resolves with the messages of the files or pages refused.
   */
  readonly importFiles: (files: readonly File[], componentCode: string | null) => Promise<string[]>;
  /** Files being imported (read, checked, split) right now. */
  readonly importing: number;
  readonly select: (ids: readonly string[], mode: 'only' | 'toggle' | 'add') => void;
  readonly assign: (ids: readonly string[], componentCode: string | null) => Promise<void>;
  readonly rotate: (id: string, by: 90 | -90) => Promise<void>;
  readonly remove: (ids: readonly string[]) => Promise<void>;
  /** The last deletion, while it can still be undone ("Hoàn tác", Ctrl+Z); null when there is none. */
  readonly lastRemoved: { readonly count: number } | null;
  readonly undoRemove: () => Promise<void>;
  readonly move: (id: string, beforeId: string | null, componentCode?: string | null) => Promise<void>;
  readonly dismissMessages: () => void;
  /** The clerk keeps a page that clean-up flagged as blank. */
  readonly keepBlank: (id: string) => Promise<void>;
  /** A page with a sticky note and the shot after it (the note lifted) become a pair; or a pair is undone. */
  readonly pairWithNext: (id: string) => Promise<void>;
  readonly unpair: (id: string) => Promise<void>;
}

export function useCaptureWorkspace(): CaptureWorkspace {
  const { t, i18n } = useTranslation();
  const { main, db } = useServices();
  const [devices, setDevices] = useState<CaptureDevice[] | null>(null);
  const [deviceId, setDeviceId] = useState('');
  const [settings, setSettings] = useState<ScanSettings>(defaultScanSettings);
  const [scanning, setScanning] = useState<ScanProgress | null>(null);
  const [messages, setMessages] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [lastRemoved, setLastRemoved] = useState<RemovedPages | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [thumbnails, setThumbnails] = useState<Record<string, string>>({});
  const [importing, setImporting] = useState(0);
  const jobRef = useRef<string | null>(null);
  const pages = useLiveQuery(() => listPages(db), [db]) ?? [];
  const locale = i18n.language === 'en' ? 'en' : 'vi';

  const refreshDevices = useCallback(() => {
    setDevices(null);
    main
      .call('capture:devices', {})
      .then(({ devices: found, problems }) => {
        setDevices(found);
        setDeviceId((current) => (found.some((d) => d.id === current) ? current : (found[0]?.id ?? '')));
        if (problems.length) setMessages((m) => [...m, ...problems.map((p) => describeError(locale, p.code, p.details))]);
      })
      .catch((err: unknown) => {
        setDevices([]);
        setMessages((m) => [...m, errorText(t, err)]);
      });
  }, [main, t, locale]);

  useEffect(() => refreshDevices(), [refreshDevices]);
  usePageProcessing(db, main, pages, (err) => setMessages((m) => [...m, errorText(t, err)]));

  // Thumbnails: an object URL per stored page, made once, revoked when the page goes.
  // Keyed by id and size: clean-up replaces a page's bytes, and its thumbnail follows.
  const thumbVersions = useRef(new Map<string, number>());
  const pageKey = pages.map((p) => `${p.id}:${p.size}`).join(',');
  useEffect(() => {
    let cancelled = false;
    const wanted = new Map(pages.filter((p) => p.mediaType !== 'application/pdf').map((p) => [p.id, p.size]));
    for (const [id, size] of thumbVersions.current) if (wanted.get(id) !== size) thumbVersions.current.delete(id);
    setThumbnails((current) => {
      const kept: Record<string, string> = {};
      for (const [id, url] of Object.entries(current)) {
        if (thumbVersions.current.has(id)) kept[id] = url;
        else URL.revokeObjectURL(url);
      }
      return kept;
    });
    void (async () => {
      for (const page of pages) {
        if (cancelled || !wanted.has(page.id) || thumbVersions.current.get(page.id) === page.size) continue;
        const bytes = await readPageBytes(db, page.id).catch(() => null);
        if (!bytes || cancelled) continue;
        thumbVersions.current.set(page.id, page.size);
        const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: page.mediaType }));
        setThumbnails((current) => {
          const old = current[page.id];
          if (old) URL.revokeObjectURL(old);
          return { ...current, [page.id]: url };
        });
      }
    })();
    return () => {
      cancelled = true;
    };
    // pageKey stands for the list of ids: thumbnails change only when pages come or go.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pageKey, db]);

  const scan = useCallback(
    (options: { replacePageId?: string } = {}) => {
      const device = devices?.find((d) => d.id === deviceId);
      if (!device || jobRef.current) return;
      const rescan = options.replacePageId !== undefined;
      const jobSettings: ScanSettings = {
        ...settings,
        ...(device.paperSources.length && !device.paperSources.includes(settings.paperSource) ? { paperSource: device.paperSources[0] ?? settings.paperSource } : {}),
        ...(rescan ? { maxPages: 1 } : {}),
      };
      setMessages([]);
      setNotice(null);
      setScanning({ deviceLabel: device.label, received: 0, rescan });
      void (async () => {
        let received = 0;
        try {
          const { jobId } = await main.call('capture:start', { deviceId, settings: jobSettings });
          jobRef.current = jobId;
          let since = 0;
          for (;;) {
            const poll = await main.call('capture:poll', { jobId, since, waitMs: 1000 });
            for (const item of poll.items) {
              if (item.kind === 'page') {
                // Saved before anything else happens to it: from here on a crash cannot lose it.
                await addPages(db, [{ bytes: item.bytes, info: item.info, origin: item.origin, ...(item.processingId ? { processingId: item.processingId } : {}) }], received === 0 && options.replacePageId ? { replacePageId: options.replacePageId } : {});
                received++;
                setScanning((s) => (s ? { ...s, received } : s));
              } else {
                setMessages((m) => [...m, describeError(locale, item.error.code, item.error.details)]);
              }
            }
            since = poll.next;
            if (poll.state !== 'running') {
              if (poll.error) setMessages((m) => [...m, describeError(locale, poll.error?.code ?? 'INTERNAL', poll.error?.details)]);
              setNotice(t(poll.state === 'cancelled' ? 'capture.stopped' : 'capture.finished', { count: received }));
              break;
            }
          }
        } catch (err) {
          setMessages((m) => [...m, errorText(t, err)]);
        } finally {
          jobRef.current = null;
          setScanning(null);
        }
      })();
    },
    [devices, deviceId, settings, main, db, t, locale],
  );

  const importFiles = useCallback(
    async (files: readonly File[], componentCode: string | null): Promise<string[]> => {
      if (files.length === 0) return [];
      setImporting((n) => n + files.length);
      const problems: string[] = [];
      try {
        const picked = await Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
        const { jobId } = await main.call('capture:import', { files: picked });
        let since = 0;
        for (;;) {
          const poll = await main.call('capture:poll', { jobId, since, waitMs: 1000 });
          for (const item of poll.items) {
            if (item.kind === 'page') await addPages(db, [{ bytes: item.bytes, info: item.info, origin: item.origin, ...(item.processingId ? { processingId: item.processingId } : {}) }], { componentCode });
            else problems.push(describeError(locale, item.error.code, item.error.details));
          }
          since = poll.next;
          if (poll.state !== 'running') break;
        }
      } catch (err) {
        problems.push(errorText(t, err));
      } finally {
        setImporting((n) => n - files.length);
      }
      return problems;
    },
    [main, db, t, locale],
  );

  const stop = useCallback(() => {
    const jobId = jobRef.current;
    if (jobId) void main.call('capture:cancel', { jobId }).catch(() => undefined);
  }, [main]);

  const report = useCallback((err: unknown) => setMessages((m) => [...m, errorText(t, err)]), [t]);

  return {
    devices,
    deviceId,
    settings,
    pages,
    thumbnails,
    scanning,
    messages,
    notice,
    selected,
    setDeviceId,
    setSettings,
    refreshDevices,
    scan,
    stop,
    importFiles,
    importing,
    select(ids, mode) {
      setSelected((current) => {
        if (mode === 'only') return new Set(ids);
        const next = new Set(current);
        for (const id of ids) {
          if (mode === 'toggle' && next.has(id)) next.delete(id);
          else next.add(id);
        }
        return next;
      });
    },
    assign: (ids, code) => assignPages(db, ids, code).then(() => setSelected(new Set()), report),
    rotate: (id, by) => rotatePage(db, id, by).catch(report),
    remove: (ids) =>
      deletePages(db, ids).then((removed) => {
        setSelected((current) => new Set([...current].filter((id) => !ids.includes(id))));
        setLastRemoved(removed.rows.length ? removed : null);
      }, report),
    lastRemoved: lastRemoved ? { count: lastRemoved.rows.length } : null,
    undoRemove: async () => {
      if (!lastRemoved) return;
      await restorePages(db, lastRemoved).then(() => setLastRemoved(null), report);
    },
    move: (id, beforeId, code) => movePage(db, id, beforeId, code).catch(report),
    dismissMessages: () => setMessages([]),
    keepBlank: (id) => keepBlankPage(db, id).catch(report),
    pairWithNext: (id) => pairWithNextPage(db, id).catch(report),
    unpair: (id) => unpairPage(db, id).catch(report),
  };
}
