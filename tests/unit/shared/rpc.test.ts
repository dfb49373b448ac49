/**
 * shared/rpc.ts over a real MessageChannel: results and transfers reach the caller, a thrown AppError comes back
 * with its code and details, calls cross in both directions on one port, and a dead peer fails every waiting call.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { errorWithOriginalMessage, RpcClient, serveRpc, withTransfer } from '../../../shared/rpc';

interface Api {
  double: { request: { n: number }; result: number };
  bytes: { request: { size: number }; result: Uint8Array };
  refuse: { request: null; result: never };
  crash: { request: null; result: never };
  never: { request: null; result: never };
}

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

function connect(): { client: RpcClient<Api>; sent: ArrayBuffer[] } {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const sent: ArrayBuffer[] = [];
  const receive = serveRpc<Api>(
    {
      double: ({ n }) => n * 2,
      bytes({ size }) {
        const out = new Uint8Array(size).fill(7);
        sent.push(out.buffer);
        return Promise.resolve(withTransfer(out, [out.buffer])); // an async handler
      },
      refuse: () => {
        throw new AppError('SIGNER_TOKEN_ABSENT', { reason: 'test' });
      },
      crash: () => {
        throw new Error('plain failure');
      },
      never: () => new Promise<never>(() => undefined),
    },
    (message, transfer) => port2.postMessage(message, [...transfer]),
  );
  port2.on('message', receive);
  const client = new RpcClient<Api>((message, transfer) => port1.postMessage(message, [...transfer]));
  port1.on('message', (message: unknown) => client.receive(message));
  return { client, sent };
}

describe('shared/rpc', () => {
  it('answers each call with its own result, out of order included', async () => {
    const { client } = connect();
    const answers = await Promise.all([1, 2, 3].map((n) => client.call('double', { n })));
    expect(answers).toEqual([2, 4, 6]);
    expect(client.pending).toBe(0);
  });

  it('hands transferred buffers over instead of copying them', async () => {
    const { client, sent } = connect();
    const bytes = await client.call('bytes', { size: 16 });
    expect([...bytes]).toEqual(new Array(16).fill(7));
    expect(sent[0]?.byteLength).toBe(0); // detached on the sending side
  });

  it('rejects with the AppError the handler threw, code and details intact', async () => {
    const { client } = connect();
    const err: unknown = await client.call('refuse', null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('SIGNER_TOKEN_ABSENT');
    expect((err as AppError).details).toEqual({ reason: 'test' });
  });

  it('carries a plain error as INTERNAL, or as its own message with errorWithOriginalMessage', async () => {
    const { client } = connect();
    await expect(client.call('crash', null)).rejects.toMatchObject({ code: 'INTERNAL', details: { message: 'plain failure' } });
    expect(errorWithOriginalMessage({ code: 'INTERNAL', details: { message: 'plain failure' } }).message).toBe('plain failure');
  });

  it('fails every waiting call when the peer is gone', async () => {
    const { client } = connect();
    const waiting = [client.call('never', null), client.call('never', null)];
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.pending).toBe(2);
    client.failAll(new AppError('INTERNAL', { message: 'worker stopped' }));
    for (const call of waiting) await expect(call).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(client.pending).toBe(0);
  });

  it('calls both ways over one port: a client and a server on each end tell their messages apart', async () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    const aClient = new RpcClient<Api>((m) => port1.postMessage(m));
    const aServe = serveRpc<Api>({ double: ({ n }) => n + 100, bytes: () => new Uint8Array(), refuse: () => { throw new Error('x'); }, crash: () => { throw new Error('x'); }, never: () => new Promise<never>(() => undefined) }, (m) => port1.postMessage(m));
    port1.on('message', (m: unknown) => aClient.receive(m) || aServe(m));
    const bClient = new RpcClient<Api>((m) => port2.postMessage(m));
    const bServe = serveRpc<Api>({ double: ({ n }) => n * 2, bytes: () => new Uint8Array(), refuse: () => { throw new Error('x'); }, crash: () => { throw new Error('x'); }, never: () => new Promise<never>(() => undefined) }, (m) => port2.postMessage(m));
    port2.on('message', (m: unknown) => bClient.receive(m) || bServe(m));
    expect(await Promise.all([aClient.call('double', { n: 5 }), bClient.call('double', { n: 5 })])).toEqual([10, 105]);
  });
});
