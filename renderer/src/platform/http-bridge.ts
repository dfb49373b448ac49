import { ipcChannelNames } from '../../../shared/ipc/channels';
import type { IpcResult, MotcuaBridge } from '../../../shared/ipc/contract';
import { decodeWire, encodeWire } from '../../../shared/ipc/wire';

/** The web host's transport: the same contract as the preload bridge, over POST /ipc/<channel>. */
export function createHttpBridge(baseUrl: string): MotcuaBridge {
  type Call = (request: unknown) => Promise<IpcResult<unknown>>;
  const entries = ipcChannelNames.map((channel): [string, Call] => [
    channel,
    async (request) => {
      const response = await fetch(new URL(`ipc/${channel}`, baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: encodeWire(request ?? {}),
      });
      return decodeWire(await response.text()) as IpcResult<unknown>;
    },
  ]);
  return Object.fromEntries(entries) as unknown as MotcuaBridge;
}
