/**
 * The preload exposes named functions only — one per contract channel — never ipcRenderer itself.
 * It imports channel names alone so the sandboxed preload stays tiny; main validates every payload.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannelNames } from '../../shared/ipc/channels';
import type { MotcuaBridge } from '../../shared/ipc/contract';

const bridge = Object.fromEntries(
  ipcChannelNames.map((channel) => [channel, (request: unknown) => ipcRenderer.invoke(channel, request)]),
) as unknown as MotcuaBridge;

contextBridge.exposeInMainWorld('motcua', bridge satisfies MotcuaBridge);
