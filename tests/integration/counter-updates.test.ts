/**
 * Counter updates served by the central (issue 16, item 5), end to end on real processes: the publisher signs
 * with `motcua release-sign`, IT uploads and rolls out with `motcua central release …`, and counters
 * (electron/services/updates/update-client.ts, with real device credentials) check, download and verify.
 *
 * A link cut is a real TCP proxy that closes the connection part-way through the file; the counter resumes
 * with a Range request. A tampered file on the central and a signature by another key are refused.
 */
import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideInstall, UpdateClient, type UpdateCheck } from '../../electron/services/updates/update-client';
import { UpdateScheduler } from '../../electron/services/updates/update-scheduler';
import { rolloutBucket } from '../../shared/updates/release';
import { adminCall, enrollTestDevice, startCentralProcess, testUnit, type CentralProcess } from '../support/central-process';
import { pathFor } from '../../shared/sync/api-contract';

const motcuaBin = path.resolve(import.meta.dirname, '..', '..', 'electron', 'cli', 'bin.mjs');
const version = '1.2.0';
const installerName = 'Motcua Kiosk Setup 1.2.0.exe';

let central: CentralProcess;
let work: string;
let installer: Uint8Array;
let installerPath: string;
let publisherPem: string;
let otherPublisherPem: string;
const devices: { deviceId: string; credential: string }[] = [];

async function motcua(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, MOTCUA_CENTRAL_ADMIN_TOKEN: central.adminToken };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [motcuaBin, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function clientFor(device: { credential: string }, opts: { url?: string; keys?: string[]; currentVersion?: string; dir?: string } = {}): UpdateClient {
  return new UpdateClient({
    centralUrl: opts.url ?? central.url,
    authorization: () => Promise.resolve(`Bearer ${device.credential}`),
    currentVersion: opts.currentVersion ?? '1.1.0',
    publisherKeysPem: opts.keys ?? [publisherPem],
    downloadDir: opts.dir ?? path.join(work, 'downloads', randomBytes(4).toString('hex')),
  });
}

const sha512 = (bytes: Uint8Array) => createHash('sha512').update(bytes).digest('base64');
const available = (check: UpdateCheck) => (check.state === 'available' ? check : undefined);

beforeAll(async () => {
  // 50 enrollments from one address in a few seconds: above the default enroll bucket (30).
  central = await startCentralProcess({ enroll: false, args: ['--rate-limit', 'enroll=100/1,admin=1000/100'] });
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-updates-'));
  const pair = generateKeyPairSync('ed25519');
  publisherPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  await writeFile(path.join(work, 'publisher.pem'), pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  otherPublisherPem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  installer = randomBytes(3 * 1024 * 1024 + 123);
  installerPath = path.join(work, installerName);
  await writeFile(installerPath, installer);
  await writeFile(`${installerPath}.blockmap`, randomBytes(2048));
  // 50 counters: a unit has counters 1–9, so six units (the first is testUnit).
  for (let n = 0; n < 50; n++) {
    const unitNo = Math.floor(n / 9) + 1;
    const unit = unitNo === 1 ? testUnit : { code: `000.00.${String(unitNo).padStart(2, '0')}.H22`, name: `UBND xã Thử Nghiệm ${unitNo}` };
    const enrolled = await enrollTestDevice(central, { unit, counterNo: (n % 9) + 1, deviceName: `Máy quầy ${n + 1}` });
    devices.push({ deviceId: enrolled.device.deviceId, credential: enrolled.credential });
  }
}, 180_000);

afterAll(async () => {
  await central?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('counter updates served by the central', () => {
  it('publishes a signed release with the CLI and offers it to a stable 20 % of 50 counters, then to more', { timeout: 120_000 }, async () => {
    const signed = await motcua(['release-sign', '--key', path.join(work, 'publisher.pem'), '--file', installerPath, '--version', version]);
    expect(signed.code, signed.stderr).toBe(0);
    const added = await motcua(['central', 'release', 'add', '--central', central.url, '--file', installerPath, '--version', version, '--signature-file', `${installerPath}.sig`, '--blockmap', `${installerPath}.blockmap`, '--percent', '20']);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ version, file: installerName, sha512: sha512(installer), size: installer.length, rollout: { percent: 20, units: [] } });

    const offered = async () => {
      const ids = new Set<string>();
      for (const device of devices) if (available(await clientFor(device).check())) ids.add(device.deviceId);
      return ids;
    };
    const at20 = await offered();
    const predicted20 = devices.filter((d) => rolloutBucket(d.deviceId, version) < 20).map((d) => d.deviceId);
    expect([...at20].sort()).toEqual(predicted20.sort());
    // Random device ids: about 10 of 50 (3..20 holds with probability > 0.999).
    expect(at20.size).toBeGreaterThanOrEqual(3);
    expect(at20.size).toBeLessThanOrEqual(20);

    const widened = await motcua(['central', 'release', 'rollout', version, '--central', central.url, '--percent', '60']);
    expect(widened.code, widened.stderr).toBe(0);
    const at60 = await offered();
    for (const id of at20) expect(at60.has(id)).toBe(true);
    expect(at60.size).toBeGreaterThan(at20.size);

    // Limited to another unit: nobody of ours.
    expect((await motcua(['central', 'release', 'rollout', version, '--central', central.url, '--percent', '100', '--units', '000.00.99.H99'])).code).toBe(0);
    expect((await offered()).size).toBe(0);
    // A counter already at this version is told it is current.
    expect((await motcua(['central', 'release', 'rollout', version, '--central', central.url, '--percent', '100', '--units', testUnit.code])).code).toBe(0);
    expect(await clientFor(devices[0]!, { currentVersion: version }).check()).toMatchObject({ state: 'current' });
  });

  it('a counter below the minimum version is offered the release whatever the rollout, marked required', async () => {
    expect((await motcua(['central', 'release', 'rollout', version, '--central', central.url, '--percent', '0'])).code).toBe(0);
    expect(await clientFor(devices[1]!).check()).toMatchObject({ state: 'current' });
    expect((await motcua(['central', 'release', 'minimum', version, '--central', central.url])).code).toBe(0);
    const check = available(await clientFor(devices[1]!).check());
    expect(check).toMatchObject({ required: true, manifest: { version, minimumVersion: version } });
    expect((await motcua(['central', 'release', 'minimum', 'none', '--central', central.url])).code).toBe(0);
    expect((await motcua(['central', 'release', 'rollout', version, '--central', central.url, '--percent', '100'])).code).toBe(0);
    expect(available(await clientFor(devices[1]!).check())?.required).toBe(false);
  });

  it('resumes a download cut part-way through (a real TCP cut) with a Range request, and verifies it', { timeout: 60_000 }, async () => {
    const proxy = await cuttingProxy(new URL(central.url), 1024 * 1024);
    try {
      const dir = path.join(work, 'resume');
      const client = clientFor(devices[2]!, { url: proxy.url, dir });
      const check = available(await client.check());
      if (!check) throw new Error('no release offered');
      const first = await client.download(check.manifest, check.file).catch((e: unknown) => e);
      expect(first).toMatchObject({ code: 'UPDATE_DOWNLOAD_FAILED', details: { version } });
      const partial = `${client.downloadedPath(check.manifest, check.file)}.partial`;
      const kept = (await stat(partial)).size;
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(installer.length);

      const file = await client.download(check.manifest, check.file);
      expect(proxy.ranges()).toContain(`bytes=${kept}-`);
      expect(sha512(await readFile(file))).toBe(sha512(installer));
      expect(await readdir(path.dirname(file))).toEqual([installerName]);
    } finally {
      await proxy.close();
    }
  });

  it('holds the download while dossiers are being sent, and goes on after', { timeout: 60_000 }, async () => {
    const client = clientFor(devices[3]!);
    const check = available(await client.check());
    if (!check) throw new Error('no release offered');
    let sending = true;
    let received = 0;
    const done = client.download(check.manifest, check.file, { yieldWhile: () => sending, onProgress: (n) => (received = n) });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const whileSending = received;
    expect(whileSending).toBeLessThan(installer.length);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(received).toBe(whileSending);
    sending = false;
    expect(sha512(await readFile(await done))).toBe(sha512(installer));
  });

  it('refuses a release signed by another key before downloading anything', async () => {
    const dir = path.join(work, 'other-key');
    const refused = await clientFor(devices[4]!, { keys: [otherPublisherPem], dir }).check().catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'UPDATE_SIGNATURE_INVALID', details: { version } });
    expect(await readdir(dir).catch(() => [])).toEqual([]);
  });

  it('deletes a download whose sha512 does not match the published one (file changed on the central)', async () => {
    const stored = path.join(central.dataDir, 'releases', version, installerName);
    const original = await readFile(stored);
    const tampered = Buffer.from(original);
    tampered[1000] = (tampered[1000] ?? 0) ^ 0xff;
    await writeFile(stored, tampered);
    try {
      const dir = path.join(work, 'tampered');
      const client = clientFor(devices[5]!, { dir });
      const check = available(await client.check());
      if (!check) throw new Error('no release offered');
      const refused = await client.download(check.manifest, check.file).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'UPDATE_FILE_INVALID', details: { version } });
      expect(await readdir(path.join(dir, version))).toEqual([]);
    } finally {
      await writeFile(stored, original);
    }
  });

  it('the central refuses a release whose file is missing, differs, or replaces a registered one', async () => {
    const signature = (await readFile(`${installerPath}.sig`, 'utf8')).trim();
    const base = { file: installerName, sha512: sha512(installer), size: installer.length, publisherSignature: signature, rollout: { percent: 10, units: [] } };
    const missing = await adminCall(central, 'POST', pathFor('adminRegisterRelease'), { ...base, version: '1.3.0' });
    expect(missing).toMatchObject({ status: 409, body: { error: 'RELEASE_FILE_MISSING' } });

    const uploaded = await fetch(new URL(pathFor('adminReleaseFile', { version: '1.3.0', name: installerName }), central.url), {
      method: 'PUT',
      headers: { authorization: `Bearer ${central.adminToken}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(installer.subarray(0, 1000)),
    });
    expect(uploaded.status).toBe(201);
    const differs = await adminCall(central, 'POST', pathFor('adminRegisterRelease'), { ...base, version: '1.3.0' });
    expect(differs).toMatchObject({ status: 409, body: { error: 'RELEASE_FILE_MISMATCH', details: { size: 1000 } } });

    const replace = await fetch(new URL(pathFor('adminReleaseFile', { version, name: installerName }), central.url), {
      method: 'PUT',
      headers: { authorization: `Bearer ${central.adminToken}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(10),
    });
    expect(replace.status).toBe(409);
    expect(await replace.json()).toMatchObject({ error: 'RELEASE_CONFLICT' });
    // A counter's credential is not the back office's.
    const asCounter = await fetch(new URL(pathFor('adminReleases'), central.url), { headers: { authorization: `Bearer ${devices[0]!.credential}` } });
    expect(asCounter.status).toBe(401);
  });

  it('serves files only to enrolled counters, and only the files of a release', async () => {
    const url = (name: string) => new URL(pathFor('updateFile', { version, name }), central.url);
    expect((await fetch(url(installerName))).status).toBe(401);
    const auth = { authorization: `Bearer ${devices[0]!.credential}` };
    expect((await fetch(url('../admin-token'), { headers: auth })).status).toBe(404);
    expect((await fetch(url('other.exe'), { headers: auth })).status).toBe(404);
    const tail = await fetch(url(installerName), { headers: { ...auth, range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(new Uint8Array(installer.subarray(installer.length - 10)));
    expect((await fetch(url(installerName), { headers: { ...auth, range: `bytes=${installer.length}-` } })).status).toBe(416);
  });
});

describe('the update scheduler (main’s loop)', () => {
  it('checks, downloads, waits for the clerk to be idle, then installs the verified file once', { timeout: 60_000 }, async () => {
    const installs: { file: string; version: string }[] = [];
    const states: string[] = [];
    let idleSeconds = 5;
    let clock = Date.parse('2026-12-06T08:00:00Z');
    const scheduler = new UpdateScheduler({
      client: clientFor(devices[6]!),
      now: () => clock,
      idleSeconds: () => idleSeconds,
      signingSessionOpen: () => false,
      sending: () => false,
      install: (file, installed) => {
        installs.push({ file, version: installed });
        return Promise.resolve();
      },
      onState: (state) => states.push(state.phase === 'ready' ? `ready:${state.waitingFor}` : state.phase),
    });
    await scheduler.tick();
    expect(scheduler.state).toMatchObject({ phase: 'ready', version, waitingFor: 'clerk-active' });
    expect(states).toContain('downloading');
    expect(installs).toEqual([]);
    idleSeconds = 15 * 60;
    clock += 60_000;
    await scheduler.tick();
    expect(installs).toHaveLength(1);
    expect(installs[0]?.version).toBe(version);
    expect(sha512(await readFile(installs[0]!.file))).toBe(sha512(installer));
  });
});

describe('when an update may be installed', () => {
  it('never while signing or sending, and only once the clerk is idle', () => {
    const ready = { downloaded: true, idleMs: 11 * 60_000, signingSessionOpen: false, sending: false };
    expect(decideInstall(ready)).toEqual({ install: true, reason: 'ready' });
    expect(decideInstall({ ...ready, downloaded: false }).reason).toBe('not-downloaded');
    expect(decideInstall({ ...ready, signingSessionOpen: true }).reason).toBe('signing');
    expect(decideInstall({ ...ready, sending: true }).reason).toBe('sending');
    expect(decideInstall({ ...ready, idleMs: 60_000 }).reason).toBe('clerk-active');
  });
});

/** A TCP proxy to `target` that closes the first connection carrying more than `cutAfter` response bytes. */
async function cuttingProxy(target: URL, cutAfter: number): Promise<{ url: string; ranges: () => string[]; close: () => Promise<void> }> {
  let cut = false;
  const ranges: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    let sent = 0;
    client.on('data', (data: Buffer) => {
      const range = /\r\nrange: *([^\r\n]+)/i.exec(data.toString('latin1'));
      if (range?.[1]) ranges.push(range[1]);
      upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => {
      sent += data.length;
      if (!cut && sent > cutAfter) {
        cut = true;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(data);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ranges: () => ranges,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
