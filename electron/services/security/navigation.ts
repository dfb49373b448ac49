/**
 * Which URLs the app's window may show and which frames may talk to main. Pure functions so they are
 * tested in Node; electron/main wires them to Electron's events.
 */
const appScheme = 'app';
const appHost = 'motcua';
export const appOrigin = `${appScheme}://${appHost}`;

/**
 * The window never navigates away from the app itself (a link in a PDF, a dropped file, a redirect).
 * Compares scheme and host, not `URL.origin`: WHATWG URL gives "null" as the origin of custom schemes.
 */
export function isAllowedNavigation(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${appScheme}:` && parsed.host === appHost && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** Only the app's own top frame may call main: not an iframe, not a page that navigated elsewhere. */
export function isTrustedSender(frame: { readonly url: string; readonly isTopFrame: boolean } | null): boolean {
  return frame !== null && frame.isTopFrame && isAllowedNavigation(frame.url);
}
