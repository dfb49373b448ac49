/**
 * A production counter talks to its central over HTTPS only (issue 17, finding 6, counter side): plain HTTP is
 * accepted for a lab that says so (`allowHttpCentral: true`) and, in the demo only, on loopback.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { describeError } from '../../shared/i18n/error-messages';
import { openCounterHost, type CounterHostOptions } from '../../electron/services/counter-host';
import { getTestPki } from '../support/pki';

let dir: string;
let signerP12Path: string;

beforeAll(async () => {
  signerP12Path = (await getTestPki()).counterSignerP12Path;
  dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-transport-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counterNo = 0;
/** A counter data directory whose config.json has this central address (and the extra fields). */
async function configured(centralUrl: string, extra: Record<string, unknown> = {}): Promise<string> {
  const dataDir = await mkdtemp(path.join(dir, 'counter-'));
  counterNo += 1;
  await writeFile(
    path.join(dataDir, 'config.json'),
    JSON.stringify({
      unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
      organisationName: 'Ủy ban nhân dân xã Demo',
      counterNo,
      centralUrl,
      locale: 'vi',
      signers: [{ role: 'organisation', keystore: { kind: 'pkcs12', path: signerP12Path, label: 'org' } }],
      ...extra,
    }),
  );
  return dataDir;
}

/** Opens the counter's services as Electron main and the web host do; answers the refusal's code, or 'opened'. */
async function open(options: CounterHostOptions): Promise<{ outcome: string; error?: AppError }> {
  try {
    const counter = await openCounterHost(options);
    await counter.close();
    return { outcome: 'opened' };
  } catch (err) {
    if (err instanceof AppError) return { outcome: err.code, error: err };
    throw err;
  }
}

describe('the central address a counter accepts', () => {
  it('production: an http:// central is refused — on the network and on loopback, from the file and from an override — with what to configure', async () => {
    const remote = await configured('http://central.tinh.example:8080/');
    const refused = await open({ dataDir: remote });
    expect(refused.outcome).toBe('CONFIG_CENTRAL_NOT_HTTPS');
    expect(refused.error?.details).toMatchObject({ url: 'http://central.tinh.example:8080', file: path.join(remote, 'config.json') });
    const vi = describeError('vi', 'CONFIG_CENTRAL_NOT_HTTPS', refused.error?.details);
    expect(vi).toContain('https://');
    expect(vi).toContain('"allowHttpCentral": true');
    expect(describeError('en', 'CONFIG_CENTRAL_NOT_HTTPS', refused.error?.details)).toContain('does not use HTTPS');

    expect((await open({ dataDir: await configured('http://127.0.0.1:8787') })).outcome).toBe('CONFIG_CENTRAL_NOT_HTTPS');
    // An https file with an http override (MOTCUA_CENTRAL_URL, --central) is checked on the address used.
    expect((await open({ dataDir: await configured('https://central.tinh.example/'), centralUrl: 'http://central.tinh.example/' })).outcome).toBe('CONFIG_CENTRAL_NOT_HTTPS');
  });

  it('production: an https:// central is accepted', async () => {
    expect((await open({ dataDir: await configured('https://central.tinh.example/') })).outcome).toBe('opened');
  });

  it('a lab configuration (`allowHttpCentral: true`) accepts http://, on any address', async () => {
    expect((await open({ dataDir: await configured('http://10.0.0.5:8787', { allowHttpCentral: true }) })).outcome).toBe('opened');
  });

  it('the demo keeps http:// on loopback, and only there', async () => {
    expect((await open({ dataDir: await configured('http://127.0.0.1:8787'), demo: true })).outcome).toBe('opened');
    expect((await open({ dataDir: await configured('https://central.tinh.example/'), demo: true, centralUrl: 'http://localhost:9' })).outcome).toBe('opened');
    expect((await open({ dataDir: await configured('http://central.tinh.example/'), demo: true })).outcome).toBe('CONFIG_CENTRAL_NOT_HTTPS');
  });
});

describe('motcua enroll', () => {
  it('refuses to send the one-time code to an http:// central unless the counter is configured as a lab', async () => {
    const dataDir = await mkdtemp(path.join(dir, 'enroll-'));
    const args = [path.resolve('electron/cli/bin.mjs'), 'enroll', '--central', 'http://central.tinh.example:8080/', '--code', 'ABCD-EFGH-JKLM', '--name', 'Quầy 1', '--data', dataDir];
    const failed = await promisify(execFile)(process.execPath, args).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed.code).toBe(1);
    // Refused before any request (an attempt would have answered CENTRAL_UNREACHABLE), nothing stored.
    expect(failed.stderr).toContain('Địa chỉ hệ thống trung tâm "http://central.tinh.example:8080"');
    expect(failed.stderr).toContain('không dùng HTTPS');
    expect(await readdir(dataDir)).toEqual([]);
  });
});
