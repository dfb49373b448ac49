/**
 * A counter update downloading over a link that is cut mid-file (issue 16, item 5): the central runs in its own
 * network namespace behind a veth pair (harness/netns.ts); the cable is pulled (`ip link set … down`) while the
 * installer is a third through, the download gives up after its stall timeout keeping what it received, and after
 * the cable is back the next attempt resumes with a Range request and ends with the published sha512.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UpdateClient } from '../../electron/services/updates/update-client';
import { enrollTestDevice } from '../support/central-process';
import { publishTestRelease } from '../support/releases';
import { skipWithout } from '../support/requirements';
import { startFaultCentral, type FaultCentral } from './harness/central';
import { createNetLink, netnsUnavailableReason, type NetLink } from './harness/netns';

const skip = skipWithout('the update download across a cut link: network namespaces', await netnsUnavailableReason());

let link: NetLink | undefined;
let central: FaultCentral | undefined;
let work: string | undefined;
afterAll(async () => {
  await central?.stop();
  await link?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a counter update over a cut link', () => {
  it.skipIf(skip)('keeps what it received when the cable is pulled, and resumes with Range once it is back', { timeout: 180_000 }, async () => {
    link = await createNetLink();
    central = await startFaultCentral({ link });
    work = await mkdtemp(path.join(os.tmpdir(), 'motcua-update-cut-'));
    const device = await enrollTestDevice(central, { counterNo: 1 });
    const release = await publishTestRelease(central, { bytes: 12 * 1024 * 1024 });
    // 8 Mbit/s down: the 12 MB file takes ~12 s, time enough to pull the cable a third of the way through.
    await link.shapeDownstream(8_000);

    const client = new UpdateClient({
      centralUrl: central.url,
      authorization: () => Promise.resolve(`Bearer ${device.credential}`),
      currentVersion: '1.0.0',
      publisherKeysPem: [release.publisherKeyPem],
      downloadDir: work,
    });
    const check = await client.check();
    if (check.state !== 'available') throw new Error('the release was not offered');

    const cutLink = link;
    let pulled: Promise<void> | undefined;
    const first = await client
      .download(check.manifest, check.file, {
        stallTimeoutMs: 3_000,
        onProgress: (received) => {
          if (!pulled && received > release.installer.length / 3) pulled = cutLink.down();
        },
      })
      .catch((e: unknown) => e);
    await pulled;
    expect(first).toMatchObject({ code: 'UPDATE_DOWNLOAD_FAILED', details: { version: release.version } });
    const kept = (await stat(`${client.downloadedPath(check.manifest, check.file)}.partial`)).size;
    expect(kept).toBeGreaterThan(release.installer.length / 3);
    expect(kept).toBeLessThan(release.installer.length);

    await link.up();
    let firstProgress: number | undefined;
    const file = await client.download(check.manifest, check.file, { stallTimeoutMs: 10_000, onProgress: (received) => (firstProgress ??= received) });
    // Resumed, not restarted: the first count after the cut already includes what was kept.
    expect(firstProgress).toBeGreaterThan(kept);
    expect(createHash('sha512').update(await readFile(file)).digest('base64')).toBe(release.sha512);
  });
});
