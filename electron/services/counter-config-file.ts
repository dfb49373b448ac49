/**
 * `motcua config show|set|validate` on the counter's configuration file (issue 16 item 3): reading with the
 * secrets masked, changing one field with the whole file checked against the schema before an atomic write,
 * and checking it with each problem told in Vietnamese (zod's own `vi` locale; our custom messages as written).
 */
import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { hostConfigSchema } from './config';
import { writeFileDurably } from '../../shared-node/durable-file';

export interface ConfigIssue {
  /** Dotted path of the field (`trust.maxRevocationAgeHours`), `(gốc)` for the file itself. */
  readonly path: string;
  readonly message: string;
}

/** Field names whose values are secrets wherever they appear (`tokenLabel` is a label, not a token). */
const secretKey = /(password|passphrase|secret|pin|token|credential)$/i;
const maskedValue = '••••••';

/** A copy of the raw configuration with secrets hidden: the preset's enrollment code, passwords, and the user:password of URLs. */
export function maskConfigSecrets(raw: unknown, keyPath: readonly string[] = []): unknown {
  if (Array.isArray(raw)) return raw.map((item, i) => maskConfigSecrets(item, [...keyPath, String(i)]));
  if (raw && typeof raw === 'object') {
    return Object.fromEntries(
      Object.entries(raw).map(([key, value]) => {
        const here = [...keyPath, key];
        const isSecret = (here.join('.') === 'enrollment.code' || secretKey.test(key)) && value !== null && typeof value !== 'object';
        return [key, isSecret ? maskedValue : maskConfigSecrets(value, here)];
      }),
    );
  }
  if (typeof raw === 'string' && /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+@/i.test(raw)) {
    try {
      const url = new URL(raw);
      if (url.username || url.password) {
        url.username = maskedValue;
        url.password = '';
        return url.toString();
      }
    } catch {
      return raw;
    }
  }
  return raw;
}

async function readRaw(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('CONFIG_MISSING', { file }, { cause: err });
    throw err;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AppError('CONFIG_INVALID', { file, issue: `không phải JSON hợp lệ (${err instanceof Error ? err.message : String(err)})` }, { cause: err });
  }
}

/** The file as written, secrets masked (`show`). */
export async function showConfig(file: string): Promise<unknown> {
  return maskConfigSecrets(await readRaw(file));
}

/** Every problem of a raw configuration, in Vietnamese. Empty: valid. */
function configIssues(raw: unknown): ConfigIssue[] {
  const parsed = hostConfigSchema.safeParse(raw, { error: z.locales.vi().localeError });
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(gốc)', message: issue.message }));
}

/** `validate`: the file's problems (a file that is not JSON is one problem). */
export async function validateConfigFile(file: string): Promise<ConfigIssue[]> {
  let raw: unknown;
  try {
    raw = await readRaw(file);
  } catch (err) {
    if (err instanceof AppError && err.code === 'CONFIG_INVALID') return [{ path: '(gốc)', message: String(err.details.issue) }];
    throw err;
  }
  return configIssues(raw);
}

/** A value typed on the command line: JSON when it parses (`72`, `true`, `{"kind":…}`), else the text itself. */
export function parseConfigValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function valueAt(root: unknown, keys: readonly string[]): { found: boolean; value: unknown } {
  let here: unknown = root;
  for (const key of keys) {
    if (here === null || typeof here !== 'object' || !(key in here)) return { found: false, value: undefined };
    here = (here as Record<string, unknown>)[key];
  }
  return { found: true, value: here };
}

function withValue(root: unknown, keys: readonly string[], value: unknown): unknown {
  const [key, ...rest] = keys;
  if (key === undefined) return value;
  if (Array.isArray(root) && /^\d+$/.test(key)) {
    const copy: unknown[] = [...(root as unknown[])];
    copy[Number(key)] = withValue(copy[Number(key)], rest, value);
    return copy;
  }
  const base = root !== null && typeof root === 'object' && !Array.isArray(root) ? (root as Record<string, unknown>) : {};
  return { ...base, [key]: withValue(base[key], rest, value) };
}

/**
 * `set key.path value`: the whole file is checked with the new value before anything is written; the write is
 * atomic (temporary file, flush, rename — durable-file.ts) and keeps the file's permissions. A path the schema
 * does not know (it would be silently dropped at start-up) is CONFIG_KEY_UNKNOWN.
 */
export async function setConfigValue(file: string, keyPath: string, value: unknown): Promise<void> {
  const keys = keyPath.split('.').filter((k) => k.length > 0);
  if (keys.length === 0 || keys.some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype')) throw new AppError('CONFIG_KEY_UNKNOWN', { key: keyPath });
  const raw = await readRaw(file);
  const next = withValue(raw, keys, value);
  const parsed = hostConfigSchema.safeParse(next, { error: z.locales.vi().localeError });
  if (!parsed.success) {
    const issue = parsed.error.issues.find((i) => i.path.join('.').startsWith(keyPath)) ?? parsed.error.issues[0];
    throw new AppError('CONFIG_VALUE_INVALID', { key: keyPath, issue: issue ? `${issue.path.join('.') || '(gốc)'}: ${issue.message}` : '?' });
  }
  // Known fields survive parsing; an unknown one is stripped by the schema and would have no effect.
  if (!valueAt(parsed.data, keys).found) throw new AppError('CONFIG_KEY_UNKNOWN', { key: keyPath });
  const mode = (await stat(file)).mode & 0o777;
  await writeFileDurably(file, JSON.stringify(next, null, 2) + '\n', mode);
}
