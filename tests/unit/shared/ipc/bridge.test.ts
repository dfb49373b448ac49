/**
 * The bridge the preload exposes (and the web host's HTTP bridge) is built per channel from shared/ipc/channels.ts:
 * at run time one function per contract channel; at compile time (npm run typecheck) a bridge missing a channel
 * or carrying one more is refused as a MotcuaBridge — the `@ts-expect-error` lines fail the typecheck if it is not.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ipcChannelNames, perChannel, type PerChannel } from '../../../../shared/ipc/channels';
import type { IpcChannel, MotcuaBridge } from '../../../../shared/ipc/contract';

type AnyCall = (request: unknown) => Promise<never>;
const unused: AnyCall = () => Promise.reject(new Error('not called'));

describe('a bridge built per channel', () => {
  it('has one function per contract channel, each called with its own channel', () => {
    const bridge = perChannel((channel) => () => channel);
    expect(Object.keys(bridge).sort()).toEqual([...ipcChannelNames].sort());
    for (const channel of ipcChannelNames) expect(bridge[channel]()).toBe(channel);
    expectTypeOf<keyof PerChannel<unknown>>().toEqualTypeOf<IpcChannel>();
    expectTypeOf<keyof MotcuaBridge>().toEqualTypeOf<IpcChannel>();
  });

  it('is a MotcuaBridge as built, and not with a channel missing or one more', () => {
    const full: PerChannel<AnyCall> = perChannel(() => unused);
    const bridge: MotcuaBridge = full;
    expect(Object.keys(bridge)).toHaveLength(ipcChannelNames.length);

    const { 'config:get': dropped, ...lacking } = full;
    expect(dropped).toBe(unused);
    // @ts-expect-error a bridge without 'config:get' is not a MotcuaBridge
    const missing: MotcuaBridge = lacking;
    // @ts-expect-error a channel the contract does not have is refused
    const extra: MotcuaBridge = { ...full, 'not:a-channel': unused };
    expect(Object.keys(missing).length + 1).toBe(Object.keys(extra).length - 1);
  });
});
