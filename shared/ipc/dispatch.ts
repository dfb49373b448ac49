import { AppError, toWireError } from '../errors';
import { ipcContract, type IpcChannel, type IpcHandlers, type IpcResult } from './contract';

/**
 * Parses the request against the contract, runs the handler and wraps the answer.
 * Shared by Electron main and the web host so both validate in exactly the same way.
 */
export async function dispatchIpc(
  handlers: IpcHandlers,
  channel: string,
  payload: unknown,
  onUnexpected: (channel: string, err: unknown) => void,
): Promise<IpcResult<unknown>> {
  if (!Object.hasOwn(ipcContract, channel)) return { ok: false, error: { code: 'IPC_BAD_REQUEST', details: { channel } } };
  const name = channel as IpcChannel;
  const parsed = ipcContract[name].request.safeParse(payload ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'IPC_BAD_REQUEST', details: { channel, issue: parsed.error.issues[0]?.message ?? 'invalid' } } };
  }
  try {
    const handler = handlers[name] as (request: unknown) => Promise<unknown>;
    const value = ipcContract[name].response.parse(await handler(parsed.data));
    return { ok: true, value };
  } catch (err) {
    if (!(err instanceof AppError)) onUnexpected(channel, err);
    return { ok: false, error: toWireError(err) };
  }
}
