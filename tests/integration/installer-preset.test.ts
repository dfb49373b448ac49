/**
 * A silent install's preset becomes a configured, enrolled counter on the first start, without a click
 * (electron/services/installer-preset.ts, issue 16 items 1 and 9). The files are laid out exactly as
 * build/installer.nsh writes them — the `/CONFIG` file copied as given, the switches as UTF-16LE lines with a BOM
 * — and the enrollment goes to a real central process.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHostConfig } from '../../electron/services/config';
import { loadStoredDevice } from '../../electron/services/device';
import { applyInstallerPreset, ignoredPresetFileName, pendingEnrollmentFileName, presetFileName, switchesFileName } from '../../electron/services/installer-preset';
import { AppError } from '../../shared/errors';
import { adminEnrollmentCodeResponseSchema } from '../../shared/sync/protocol';
import { adminCall, startCentralProcess, testUnit, type CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

let central: CentralProcess;
const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-preset-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  central = await startCentralProcess({ enroll: false });
});

afterAll(async () => {
  await central?.stop();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function issueCode(counterNo: number): Promise<string> {
  const issued = await adminCall(central, 'POST', pathFor('adminEnrollmentCodes'), { unit: testUnit, counterNo });
  return adminEnrollmentCodeResponseSchema.parse(issued.body).enrollmentCode;
}

/** What installer.nsh writes for the switches: a BOM, then `NAME=value` lines in UTF-16LE. */
async function writeSwitches(dataDir: string, lines: readonly string[]): Promise<void> {
  await writeFile(path.join(dataDir, switchesFileName), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'utf16le')]));
}

/** The shipped example, as an installer would pass it with `/CONFIG=`, pointed at the test central (a lab: http). */
async function examplePreset(dataDir: string, extra: Record<string, unknown> = {}): Promise<void> {
  const example = JSON.parse(await readFile(path.resolve('build/default-config.example.json'), 'utf8')) as Record<string, unknown>;
  const { trust: _trust, ...withoutTrust } = example;
  await writeFile(path.join(dataDir, presetFileName), JSON.stringify({ ...withoutTrust, allowHttpCentral: true, ...extra }));
}

describe('silent-install preset on first start', () => {
  it('writes config.json from the /CONFIG file and the switches, enrolls with the one-time code and forgets it', async () => {
    const dataDir = await tempDir();
    const code = await issueCode(3);
    await examplePreset(dataDir);
    await writeSwitches(dataDir, [`CENTRAL=${central.url}`, `UNIT=${testUnit.code}`, `UNITNAME=${testUnit.name}`, 'COUNTER=3', `CODE=${code}`, 'DEVICENAME=Máy quầy 3 — xã Thử Nghiệm']);

    const result = await applyInstallerPreset({ dataDir });
    expect(result.preset).toBe('applied');
    expect(result.enrollment.state).toBe('enrolled');

    const config = await loadHostConfig(dataDir, undefined);
    // The Vietnamese unit name crossed the UTF-16 file intact; the switches won over the /CONFIG file.
    expect(config.unit).toEqual(testUnit);
    expect(config.counterNo).toBe(3);
    expect(config.centralUrl).toBe(central.url);
    expect(config.organisationName).toBe('Ủy ban nhân dân xã Demo');
    // An installed counter is a production one: no signing without revocation evidence.
    expect(config.trust.requireRevocation).toBe(true);

    const device = await loadStoredDevice(dataDir);
    expect(device?.device).toMatchObject({ unit: testUnit, counterNo: 3, deviceName: 'Máy quầy 3 — xã Thử Nghiệm' });

    // The preset and the one-time code are gone from the data folder.
    const files = await readdir(dataDir);
    expect(files).not.toContain(presetFileName);
    expect(files).not.toContain(switchesFileName);
    expect(files).not.toContain(pendingEnrollmentFileName);
    for (const file of files) expect(await readFile(path.join(dataDir, file), 'utf8')).not.toContain(code);

    // The next start has nothing to do.
    expect(await applyInstallerPreset({ dataDir })).toEqual({ preset: 'none', enrollment: { state: 'none' } });
  });

  it('keeps the code for the next start while the central cannot be reached, then enrolls', async () => {
    const dataDir = await tempDir();
    const code = await issueCode(4);
    await examplePreset(dataDir, { centralUrl: central.url, unit: testUnit, counterNo: 4, enrollment: { code } });

    const offline = await applyInstallerPreset({ dataDir, fetch: () => Promise.reject(new TypeError('fetch failed')) });
    expect(offline.preset).toBe('applied');
    expect(offline.enrollment.state).toBe('pending');
    expect(await readdir(dataDir)).toContain(pendingEnrollmentFileName);
    expect(await loadStoredDevice(dataDir)).toBeUndefined();

    const online = await applyInstallerPreset({ dataDir });
    expect(online).toMatchObject({ preset: 'none', enrollment: { state: 'enrolled' } });
    expect((await loadStoredDevice(dataDir))?.device.counterNo).toBe(4);
    expect(await readdir(dataDir)).not.toContain(pendingEnrollmentFileName);
  });

  it('forgets a code the central refused for good and says why', async () => {
    const first = await tempDir();
    const code = await issueCode(5);
    await examplePreset(first, { centralUrl: central.url, unit: testUnit, counterNo: 5, enrollment: { code } });
    expect((await applyInstallerPreset({ dataDir: first })).enrollment.state).toBe('enrolled');

    // The same preset copied to a second PC: the code was single-use.
    const second = await tempDir();
    await examplePreset(second, { centralUrl: central.url, unit: testUnit, counterNo: 5, enrollment: { code } });
    const refused = await applyInstallerPreset({ dataDir: second });
    expect(refused.preset).toBe('applied');
    expect(refused.enrollment).toMatchObject({ state: 'refused', error: { code: 'ENROLLMENT_CODE_USED' } });
    expect(await readdir(second)).not.toContain(pendingEnrollmentFileName);
  });

  it('a code for another counter than the preset names is refused without being spent, and kept for after IT fixes config.json', async () => {
    const dataDir = await tempDir();
    // The code was issued for counter 8; the preset (meant for another PC) says counter 2. The enrollment service
    // sends the configured unit and counter along, so the central refuses before spending the code.
    const code = await issueCode(8);
    await examplePreset(dataDir, { centralUrl: central.url, unit: testUnit, counterNo: 2, enrollment: { code } });
    const result = await applyInstallerPreset({ dataDir });
    expect(result.enrollment).toMatchObject({ state: 'pending', reason: expect.stringContaining('ENROLLMENT_UNIT_MISMATCH') as unknown });
    expect(await readdir(dataDir)).toContain(pendingEnrollmentFileName);
    expect(await loadStoredDevice(dataDir)).toBeUndefined();
  });

  it('never overwrites the configuration of a counter already set up (reinstall, update)', async () => {
    const dataDir = await tempDir();
    const existing = JSON.parse(await readFile(path.resolve('build/default-config.example.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(dataDir, 'config.json'), JSON.stringify({ ...existing, counterNo: 2 }));
    const before = await readFile(path.join(dataDir, 'config.json'), 'utf8');
    await writeSwitches(dataDir, ['COUNTER=7', 'CODE=ABCD-EFGH-JKLM']);

    expect(await applyInstallerPreset({ dataDir })).toEqual({ preset: 'ignored-existing-config', enrollment: { state: 'none' } });
    expect(await readFile(path.join(dataDir, 'config.json'), 'utf8')).toBe(before);
    const ignored = await readFile(path.join(dataDir, ignoredPresetFileName), 'utf8');
    expect(ignored).toContain('"counterNo": 7');
    expect(ignored).not.toContain('ABCD-EFGH-JKLM');
  });

  it('refuses an unknown switch or an invalid field by name, and writes nothing', async () => {
    const dataDir = await tempDir();
    await examplePreset(dataDir);
    await writeSwitches(dataDir, ['CENTRL=https://typo.example']);
    const typo = await applyInstallerPreset({ dataDir }).catch((e: unknown) => e);
    expect(typo).toBeInstanceOf(AppError);
    expect(typo).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((typo as AppError).details.issue).toContain('/CENTRL');

    await writeSwitches(dataDir, ['COUNTER=12']);
    const outOfRange = await applyInstallerPreset({ dataDir }).catch((e: unknown) => e);
    expect(outOfRange).toMatchObject({ code: 'CONFIG_INVALID', details: { issue: expect.stringContaining('counterNo') as unknown } });
    expect(await readdir(dataDir)).not.toContain('config.json');
  });
});
