/**
 * The counter's configuration, as the installer leaves it in `<dataDir>/config.json`. Parsed with a schema
 * at start-up; a missing file gets the demo defaults (a local central and the generated demo PKI) so the
 * app works out of the box.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { counterConfigSchema, type CounterConfig } from '../../shared/ipc/contract';

export const hostConfigSchema = counterConfigSchema.extend({
  signer: z.object({ kind: z.literal('pkcs12'), path: z.string().min(1), label: z.string().min(1) }),
});
export type HostConfig = z.infer<typeof hostConfigSchema>;

export const defaultCentralUrl = 'http://127.0.0.1:8787';

export function demoConfig(pkiDir: string, centralUrl = defaultCentralUrl): HostConfig {
  return {
    unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
    organisationName: 'Ủy ban nhân dân xã Demo',
    counterNo: 1,
    centralUrl,
    locale: 'vi',
    signer: { kind: 'pkcs12', path: path.join(pkiDir, 'counter-signer.p12'), label: 'Chứng thư số demo (PKCS#12)' },
  };
}

/** Reads `<dataDir>/config.json`, writing the demo default first if there is none. */
export async function loadHostConfig(dataDir: string, fallback: () => HostConfig): Promise<HostConfig> {
  const file = path.join(dataDir, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const config = fallback();
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(config, null, 2) + '\n', 'utf8');
    return config;
  }
  const parsed = hostConfigSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`Invalid ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The part of the configuration the renderer may see (no key store path). */
export function publicConfig(config: HostConfig): CounterConfig {
  const { signer: _signer, ...rest } = config;
  return rest;
}
