/**
 * Which URLs the app's window may show and which frames may talk to main. Pure functions so they are
 * tested in Node; electron/main wires them to Electron's events.
 */
export const appOrigin = 'app://motcua';

/** The window never navigates away from the app itself (a link in a PDF, a dropped file, a redirect). */
export function isAllowedNavigation(url: string): boolean {
  try {
    return new URL(url).origin === appOrigin;
  } catch {
    return false;
  }
}

/** Only the app's own top frame may call main: not an iframe, not a page that navigated elsewhere. */
export function isTrustedSender(frame: { readonly url: string; readonly isTopFrame: boolean } | null): boolean {
  return frame !== null && frame.isTopFrame && isAllowedNavigation(frame.url);
}
