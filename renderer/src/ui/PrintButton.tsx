import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../app/services';
import { errorText } from './errors';
import { printPdf, type PrintStage } from './print-pdf';

type PrintState = { readonly kind: 'idle' } | { readonly kind: 'busy'; readonly stage: PrintStage | null } | { readonly kind: 'done'; readonly text: string } | { readonly kind: 'failed'; readonly text: string };

/**
 * "In" for a produced PDF: draws its pages for print with progress, prints through the platform, and says
 * how it ended — a failure always in words, never silently.
 */
export function PrintButton({
  pdf,
  label,
  children,
  className,
  autoFocus,
  ariaLabel,
  disabled,
}: {
  pdf: Uint8Array | null;
  /** What is printed ("Mẫu 02 — …"): named in the status and in error messages. */
  label: string;
  children: ReactNode;
  className?: string;
  autoFocus?: boolean;
  ariaLabel?: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const { printer } = useServices();
  const [state, setState] = useState<PrintState>({ kind: 'idle' });
  const busy = state.kind === 'busy';

  const print = async () => {
    if (!pdf || busy) return;
    setState({ kind: 'busy', stage: null });
    try {
      const result = await printPdf(pdf, { printer, label, onStage: (stage) => setState({ kind: 'busy', stage }) });
      const text =
        result.kind === 'cancelled'
          ? t('printing.cancelled')
          : result.kind === 'dialog-closed'
            ? t('printing.dialogClosed', { label })
            : result.printer
              ? t('printing.sentTo', { label, printer: result.printer })
              : t('printing.sent', { label });
      setState({ kind: 'done', text });
    } catch (err) {
      setState({ kind: 'failed', text: t('printing.failed', { label, error: errorText(t, err) }) });
    }
  };

  const stageText = (stage: PrintStage | null): string =>
    stage?.stage === 'drawing' ? t('printing.drawing', { page: stage.page, pages: stage.pages }) : stage?.stage === 'sending' ? t('printing.sending') : t('printing.starting');

  return (
    <span className="print-control">
      <button
        type="button"
        className={className}
        // Where printing is the screen's next step (the receipt), Enter prints.
        autoFocus={autoFocus}
        disabled={disabled || !pdf || busy}
        aria-busy={busy}
        aria-label={ariaLabel}
        onClick={() => void print()}
      >
        {children}
      </button>
      {state.kind === 'busy' && (
        <span className="print-status" role="status">
          {stageText(state.stage)}
          {state.stage?.stage === 'drawing' && <progress className="progress" max={state.stage.pages} value={state.stage.page - 1} aria-hidden="true" />}
        </span>
      )}
      {state.kind === 'done' && (
        <span className="print-status" role="status">
          {state.text}
        </span>
      )}
      {state.kind === 'failed' && (
        <span className="print-status error" role="alert">
          {state.text}
        </span>
      )}
    </span>
  );
}
