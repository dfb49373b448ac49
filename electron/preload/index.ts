/**
 * The preload exposes named functions only — one per contract channel — never ipcRenderer itself.
 * It imports channel names alone so the sandboxed preload stays tiny; main validates every payload.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { perChannel } from '../../shared/ipc/channels';
import type { MotcuaBridge } from '../../shared/ipc/contract';

// Built from the channel list, so the annotation checks every channel is there and no other (no cast). The
// answers are ipcRenderer's untyped promises: main validates each request and answers in the contract's shape.
const bridge: MotcuaBridge = perChannel((channel) => (request: unknown) => ipcRenderer.invoke(channel, request));

contextBridge.exposeInMainWorld('motcua', bridge);
