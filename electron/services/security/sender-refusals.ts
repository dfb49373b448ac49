/**
 * A record of IPC messages main refused because their sender was not the app's own top frame
 * (`isTrustedSender`): an iframe, a page that navigated elsewhere, an injected frame. The app's own renderer
 * never does that, so each line is worth a look by IT (issue 16 item 2). Only the channel, the sender's origin
 * and whether it was a subframe are written — never the payload, which may carry personal data.
 *
 * A hostile frame could call in a loop: at most `maxLinesPerMinute` lines a minute are written, then one line
 * saying how many were left out.
 */
export interface RefusedSender {
  readonly channel: string;
  /** The sender frame's URL (only its origin is kept), or null when the frame was already gone. */
  readonly url: string | null;
  readonly isTopFrame: boolean;
}

export interface SenderRefusalLogOptions {
  readonly write: (line: string) => void;
  readonly now?: () => Date;
  readonly maxLinesPerMinute?: number;
}

/** The origin only: a path or query of a foreign page may hold anything. Custom schemes have a "null" origin. */
function originOf(url: string | null): string {
  if (url === null) return '(không còn khung gửi)';
  try {
    const parsed = new URL(url);
    return parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(địa chỉ không hợp lệ)';
  }
}

export function createSenderRefusalLog(options: SenderRefusalLogOptions): (refused: RefusedSender) => void {
  const now = options.now ?? (() => new Date());
  const max = options.maxLinesPerMinute ?? 20;
  let windowStart = Number.NEGATIVE_INFINITY;
  let written = 0;
  let suppressed = 0;
  return (refused) => {
    const at = now();
    if (at.getTime() - windowStart >= 60_000) {
      if (suppressed > 0) options.write(`${at.toISOString()} ipc-refused (bỏ qua ${suppressed} lần từ chối khác trong phút trước / ${suppressed} more refusals not written)`);
      windowStart = at.getTime();
      written = 0;
      suppressed = 0;
    }
    if (written >= max) {
      suppressed += 1;
      return;
    }
    written += 1;
    const channel = refused.channel.replace(/[^\w:.-]/g, '?').slice(0, 64);
    options.write(`${at.toISOString()} ipc-refused channel=${channel} sender=${originOf(refused.url)} frame=${refused.isTopFrame ? 'top' : 'sub'}`);
  };
}
