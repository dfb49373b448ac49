/**
 * A counter update downloading beside dossier uploads, on a link shaped to 2 Mbit/s each way (a weak 3G/4G
 * line, `tc … tbf` on a veth pair into the central's network namespace). Issue 16, item 5: "the update download
 * yields to dossier uploads".
 *
 * The central (a real process in the namespace) holds a signed release of --update-mb; the counter side uploads a
 * dossier file of --dossier-mb with tus (as the sync engine does) and downloads the release with the app's
 * UpdateClient. In one run:
 *   (a) the upload alone — the anchor;
 *   (b) the download alone;
 *   (c) both at once, the download not yielding (what an updater that ignores the sync would do);
 *   (d) both at once, the download yielding while the upload runs (the app's `yieldWhile`).
 * For (c) and (d): the upload's time as a ratio to (a) (1.0 = the update costs the dossier nothing), and when the
 * download finished. Load average printed with each figure.
 *
 * Run (root): npm run bench:update-yield -- [--dossier-mb 3] [--update-mb 6] [--rate-kbit 2000]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UpdateClient } from '../electron/services/updates/update-client';
import { startFaultCentral } from '../tests/fault/harness/central';
import { createNetLink, netnsUnavailableReason } from '../tests/fault/harness/netns';
import { enrollTestDevice, tusUpload } from '../tests/support/central-process';
import { publishTestRelease } from '../tests/support/releases';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}
const dossierMb = option('dossier-mb', 3);
const updateMb = option('update-mb', 6);
const rateKbit = option('rate-kbit', 2000);
const load = () => loadavg()[0]?.toFixed(2) ?? '?';

async function main(): Promise<void> {
  const unavailable = await netnsUnavailableReason();
  if (unavailable) {
    console.error(`update-yield: cannot build a shaped link here (${unavailable}); run as root with iproute2.`);
    process.exitCode = 2;
    return;
  }
  const work = await mkdtemp(join(tmpdir(), 'motcua-update-yield-'));
  const link = await createNetLink();
  const central = await startFaultCentral({ link });
  try {
    const device = await enrollTestDevice(central, { counterNo: 1 });
    const target = { url: central.url, credential: device.credential };

    // A release, signed by a key made for this run.
    const release = await publishTestRelease(central, { bytes: updateMb * 1024 * 1024 });
    const installer = release.installer;

    await link.shape(rateKbit);
    await link.shapeDownstream(rateKbit);

    const dossierBytes = randomBytes(dossierMb * 1024 * 1024);
    const upload = async (): Promise<number> => {
      const started = performance.now();
      await tusUpload(target, dossierBytes, { dossierId: randomUUID(), chunkSize: 1024 * 1024 });
      return performance.now() - started;
    };
    let round = 0;
    const download = async (yieldWhile?: () => boolean): Promise<number> => {
      const dir = join(work, `download-${round++}`);
      await mkdir(dir);
      const client = new UpdateClient({ centralUrl: central.url, authorization: () => Promise.resolve(`Bearer ${device.credential}`), currentVersion: '1.0.0', publisherKeysPem: [release.publisherKeyPem], downloadDir: dir });
      const check = await client.check();
      if (check.state !== 'available') throw new Error('the release was not offered');
      const started = performance.now();
      await client.download(check.manifest, check.file, yieldWhile ? { yieldWhile } : {});
      return performance.now() - started;
    };

    const rows: Record<string, unknown>[] = [];
    const report = (name: string, figures: Record<string, number | string>) => {
      const row = { name, ...figures, load1: load() };
      rows.push(row);
      console.log(JSON.stringify(row));
    };
    const uploadAlone = await upload();
    report('(a) upload alone', { uploadS: +(uploadAlone / 1000).toFixed(2), uploadKbit: Math.round((dossierBytes.length * 8) / uploadAlone) });
    const downloadAlone = await download();
    report('(b) download alone', { downloadS: +(downloadAlone / 1000).toFixed(2), downloadKbit: Math.round((installer.length * 8) / downloadAlone) });

    for (const yielding of [false, true]) {
      let uploading = true;
      const started = performance.now();
      const [uploadMs, downloadMs] = await Promise.all([
        upload().finally(() => (uploading = false)),
        download(yielding ? () => uploading : undefined),
      ]);
      report(yielding ? '(d) both, the download yielding' : '(c) both, the download not yielding', {
        uploadS: +(uploadMs / 1000).toFixed(2),
        uploadRatioToAlone: +(uploadMs / uploadAlone).toFixed(3),
        downloadDoneS: +(downloadMs / 1000).toFixed(2),
        wallS: +((performance.now() - started) / 1000).toFixed(2),
      });
    }
    const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, 'update-yield.json'), JSON.stringify({ at: new Date().toISOString(), rateKbit, dossierMb, updateMb, rows }, null, 2));
  } finally {
    await central.stop().catch(() => undefined);
    await link.destroy();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
