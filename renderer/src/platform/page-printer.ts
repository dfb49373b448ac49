import type { MainClient } from './main-client';

/**
 * How a print of the current page ended. `dialog-closed`: the browser's own dialog was shown and closed,
 * and the browser does not say whether the clerk printed or cancelled.
 */
export type PagePrintResult = { readonly kind: 'printed'; readonly printer?: string } | { readonly kind: 'cancelled' } | { readonly kind: 'dialog-closed' };

/**
 * Prints the page as it is laid out for print. Each entry point supplies its own: Electron asks main (which
 * can print silently to the configured printer), plain Chromium calls window.print().
 */
export interface PagePrinter {
  print(): Promise<PagePrintResult>;
  /** True when the page must stay laid out for print until the browser fires `afterprint`. */
  readonly waitsForAfterprint: boolean;
}

/** Electron: main prints the sender's page (`print:page`) and answers once the job was handed over. */
export function mainPagePrinter(main: MainClient): PagePrinter {
  return {
    waitsForAfterprint: false,
    async print() {
      const answer = await main.call('print:page', {});
      if (answer.outcome === 'cancelled') return { kind: 'cancelled' };
      return answer.printer === undefined ? { kind: 'printed' } : { kind: 'printed', printer: answer.printer };
    },
  };
}

/**
 * Any Chromium (the web host): window.print() shows the browser's dialog and returns when it closes
 * (`afterprint` follows). A browser that returns at once instead still has the page to print until then.
 */
export function browserPagePrinter(win: Pick<Window, 'print'> = window): PagePrinter {
  return {
    waitsForAfterprint: true,
    print() {
      win.print();
      return Promise.resolve({ kind: 'dialog-closed' });
    },
  };
}
