/**
 * The renderer's Content Security Policy, one definition for Electron and the web host.
 * Scripts only from the app itself; network only to the app and the configured central.
 * 'wasm-unsafe-eval' lets the app compile WebAssembly (the QR reader's .wasm, served by the app itself);
 * it does not allow eval() or new Function() for JavaScript.
 */
export function contentSecurityPolicy(centralUrl: string): string {
  const central = new URL(centralUrl).origin;
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
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
