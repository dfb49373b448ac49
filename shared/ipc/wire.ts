import { fromBase64, toBase64 } from '../util/bytes';

/**
 * JSON with Uint8Array support, for the web host's HTTP transport (Electron's IPC clones bytes natively).
 * Bytes travel as {"$bytes": "<base64>"}.
 */
export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { $bytes: toBase64(v) } : v));
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const record = v as Record<string, unknown>;
      const keys = Object.keys(record);
      if (keys.length === 1 && keys[0] === '$bytes' && typeof record.$bytes === 'string') return fromBase64(record.$bytes);
    }
    return v;
  });
}
