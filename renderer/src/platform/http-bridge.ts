import { isErrorCode, type ErrorCode } from '../../../shared/errors';
import { perChannel } from '../../../shared/ipc/channels';
import type { IpcResult, MotcuaBridge } from '../../../shared/ipc/contract';
import { decodeWire, encodeWire } from '../../../shared/ipc/wire';

/** The header and fragment names the web host uses (electron/web-host/server.ts; kept in step there). */
export const webHostTokenHeader = 'x-motcua-host-token';
const tokenFragmentParam = 'token';
const tokenSessionKey = 'motcua.webHostToken';

export interface HttpBridgeOptions {
  /** This launch's token (`readLaunchToken`); sent on every call. Absent: calls go without it (a test harness). */
  readonly token?: string;
  readonly fetch?: typeof fetch;
}

/**
 * The web host's transport: the same contract as the preload bridge, over POST /ipc/<channel>. A failure of
 * HTTP itself (refused, too large, server error, nobody listening) comes back as a coded error result like any
 * handler's, so the UI tells the clerk what happened instead of showing a raw exception.
 */
export function createHttpBridge(baseUrl: string, options: HttpBridgeOptions = {}): MotcuaBridge {
  type Call = (request: unknown) => Promise<IpcResult<unknown>>;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.token ? { [webHostTokenHeader]: options.token } : {}) };
  // Every channel and no other, by construction; the answers' types are the host's word (it validates them).
  const bridge = perChannel<Call>(
    (channel) => async (request) => {
      let response: Response;
      try {
        response = await doFetch(new URL(`ipc/${channel}`, baseUrl), { method: 'POST', headers, body: encodeWire(request ?? {}) });
      } catch {
        return failure('WEB_HOST_UNREACHABLE', { channel });
      }
      const text = await response.text().catch(() => '');
      if (response.ok) return decodeWire(text) as IpcResult<unknown>;
      return httpFailure(channel, response.status, text);
    },
  );
  return bridge as MotcuaBridge;
}

function failure(code: ErrorCode, details: Readonly<Record<string, string | number>>): IpcResult<unknown> {
  return { ok: false, error: { code, details } };
}

/** The host's own coded answer when it gave one (403 token/origin, 413, 500); otherwise one from the status. */
function httpFailure(channel: string, status: number, text: string): IpcResult<unknown> {
  try {
    const answered = decodeWire(text) as { ok?: unknown; error?: { code?: unknown } } | null;
    if (answered?.ok === false && isErrorCode(answered.error?.code)) return failure(answered.error.code, { channel, status });
  } catch {
    // Not the host's JSON (a proxy's page, a cut connection): fall through to the status.
  }
  if (status === 403) return failure('IPC_FORBIDDEN_SENDER', { channel, status });
  if (status === 413) return failure('WEB_HOST_REQUEST_TOO_LARGE', { channel, status });
  return failure('WEB_HOST_SERVER_ERROR', { channel, status });
}

/**
 * Reads the launch token the host put in the address's fragment, once, and takes it out of the address bar
 * (and so out of the history and of anything a clerk copies). It is then kept in this tab's sessionStorage
 * only so that a reload (F5) keeps working: that storage is per tab and per origin, is gone with the tab, and
 * a token from an earlier launch opens nothing.
 */
export function readLaunchToken(location: Pick<Location, 'hash' | 'pathname' | 'search'>, history: Pick<History, 'replaceState' | 'state'>, storage: Pick<Storage, 'getItem' | 'setItem'> | undefined): string | undefined {
  const fromFragment = new URLSearchParams(location.hash.replace(/^#/, '')).get(tokenFragmentParam);
  if (fromFragment) {
    history.replaceState(history.state, '', location.pathname + location.search);
    try {
      storage?.setItem(tokenSessionKey, fromFragment);
    } catch {
      // Storage refused (private mode quota): the token still works until the page is reloaded.
    }
    return fromFragment;
  }
  try {
    return storage?.getItem(tokenSessionKey) ?? undefined;
  } catch {
    return undefined;
  }
}
