/**
 * Signing would drop the text layer of pages still being read (issue 20): the OCR words are inside what is
 * signed, so they cannot be added afterwards. On the signing step the pages of this dossier are still followed
 * (their words land in IndexedDB while the clerk unlocks the key), and when the clerk presses "sign" while some
 * are being read, `OcrWaitPrompt` says how many and about how long, with "Chờ đọc xong" as the default (Enter):
 * the dossier is then signed by itself as soon as the last page is read. "Ký ngay…" signs without their text
 * layer; Esc goes back to the signing step.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { CapturePageRow, CounterDatabase } from '../../db/database';
import type { MainClient } from '../../platform/main-client';
import { listPages } from '../capture/page-store';
import { isProcessing, usePageProcessing } from '../capture/processing';

/** The dossier's captured pages (in the given components) whose clean-up or OCR has not finished. */
export function pagesStillReading(pages: readonly CapturePageRow[], componentCodes: readonly string[]): CapturePageRow[] {
  const codes = new Set(componentCodes);
  return pages.filter((p) => p.componentCode !== null && codes.has(p.componentCode) && isProcessing(p));
}

/** A wait as the clerk reads it: whole seconds under a minute and a half, else whole minutes (rounded up). */
export function waitParts(ms: number): { unit: 'seconds' | 'minutes'; count: number } {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 90 ? { unit: 'seconds', count: seconds } : { unit: 'minutes', count: Math.ceil(seconds / 60) };
}

export interface OcrWait {
  /** Pages of this dossier still being cleaned or read. */
  readonly reading: number;
  /** Main's estimate until the last of them is read; null before main answered. */
  readonly expectedMs: number | null;
}

/** Follows the dossier's pages still being processed (so their words are stored) and counts them. */
export function useOcrWait(db: CounterDatabase, main: MainClient, componentCodes: readonly string[]): OcrWait {
  const pages = useLiveQuery(() => listPages(db), [db]);
  const reading = pagesStillReading(pages ?? [], componentCodes);
  const [expectedMs, setExpectedMs] = useState<number | null>(null);
  const onExpected = useCallback((ms: number | undefined) => setExpectedMs(ms ?? null), []);
  // Main unreachable for a moment: the follower retries by itself; the count simply stays until it answers.
  usePageProcessing(db, main, reading, () => undefined, onExpected);
  // Until the live query answers, nothing is known: count none rather than flash a prompt.
  return { reading: pages ? reading.length : 0, expectedMs };
}

function WaitText({ ms }: { ms: number | null }) {
  const { t } = useTranslation();
  if (ms === null) return <>{t('ocrWait.estimating')}</>;
  const { unit, count } = waitParts(ms);
  return <>{t(`ocrWait.about.${unit}`, { count })}</>;
}

/**
 * The question, then the wait. `waiting` is false while the clerk decides and true once "Chờ đọc xong" was
 * chosen; the caller signs when `reading` reaches 0 during the wait.
 */
export function OcrWaitPrompt({ wait, waiting, onWait, onSignNow, onCancel }: { wait: OcrWait; waiting: boolean; onWait: () => void; onSignNow: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const waitButton = useRef<HTMLButtonElement>(null);
  // The default answer takes the keyboard: Enter waits. While waiting the box itself holds the focus, so a second
  // Enter does nothing (it must not sign without the text layer by accident); Esc still goes back.
  useEffect(() => (waiting ? box.current : waitButton.current)?.focus(), [waiting]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onCancel();
  };
  return (
    <div ref={box} tabIndex={-1} className="ocr-wait" role="alertdialog" aria-modal="false" aria-labelledby="ocr-wait-title" aria-describedby="ocr-wait-detail" onKeyDown={onKeyDown}>
      <p id="ocr-wait-title">
        <strong>{waiting ? t('ocrWait.waitingTitle', { count: wait.reading }) : t('ocrWait.title', { count: wait.reading })}</strong>
      </p>
      <p id="ocr-wait-detail" role="status" aria-live="polite">
        {waiting ? t('ocrWait.waitingDetail') : t('ocrWait.detail')} <WaitText ms={wait.expectedMs} />
      </p>
      <div className="actions">
        {!waiting && (
          <button ref={waitButton} type="button" className="primary" onClick={onWait}>
            {t('ocrWait.wait')}
          </button>
        )}
        <button type="button" onClick={onSignNow}>
          {t('ocrWait.signNow', { count: wait.reading })}
        </button>
        <button type="button" onClick={onCancel}>
          {t('ocrWait.cancel')}
        </button>
      </div>
    </div>
  );
}
