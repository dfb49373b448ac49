/**
 * Start-up work that nothing waits on (the spool's first reconcile pass) is scheduled after the clerk's first
 * screen: once the page has painted, `graceMs` more, then at an idle moment of the UI thread.
 */

/** Resolves once a frame has been painted (or after `maxWaitMs`: a hidden window paints no frames). */
function firstFrame(maxWaitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, maxWaitMs);
    requestAnimationFrame(() => {
      clearTimeout(fallback);
      resolve();
    });
  });
}

export async function afterFirstPaint({ graceMs, idleTimeoutMs = 5_000 }: { readonly graceMs: number; readonly idleTimeoutMs?: number }): Promise<void> {
  await firstFrame(1_000);
  await new Promise((resolve) => setTimeout(resolve, graceMs));
  await new Promise<void>((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: idleTimeoutMs });
    else resolve();
  });
}
