import { fromWireError } from '../../../shared/errors';
import type { IpcChannel, IpcRequest, IpcResponse, IpcResult, MotcuaBridge } from '../../../shared/ipc/contract';

/** The renderer's typed client for main: unwraps results into values or thrown AppErrors. */
export interface MainClient {
  call<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>>;
}

export function createMainClient(bridge: MotcuaBridge): MainClient {
  return {
    async call(channel, request) {
      // Indexing a mapped type by a generic key loses the pairing of request and result; the contract keeps it.
      const invoke = bridge[channel] as unknown as (req: typeof request) => Promise<IpcResult<unknown>>;
      const result = await invoke(request);
      if (result.ok) return result.value as IpcResponse<typeof channel>;
      throw fromWireError(result.error);
    },
  };
}
