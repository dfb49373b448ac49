/**
 * The renderer's Content Security Policy, one definition for Electron and the web host.
 * Scripts only from the app itself; network only to the app and the configured central.
 */
export function contentSecurityPolicy(centralUrl: string): string {
  const central = new URL(centralUrl).origin;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self' ${central}`,
    "worker-src 'self' blob:",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
