/**
 * A counter release published on a central through its admin API, signed by a publisher key made for the run
 * (issue 16, item 5): for tests and benches that need a release to download, not the publishing path itself
 * (tests/integration/counter-updates.test.ts covers that through the CLI).
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { releaseSignedMessage } from '../../shared/updates/release';
import { pathFor } from '../../shared/sync/api-contract';

export interface PublishedRelease {
  readonly version: string;
  readonly file: string;
  readonly installer: Uint8Array;
  readonly sha512: string;
  /** The publisher's public key (PEM, SPKI), for the counter's `publisherKeysPem`. */
  readonly publisherKeyPem: string;
}

export async function publishTestRelease(central: { url: string; adminToken: string }, opts: { version?: string; bytes: number; percent?: number }): Promise<PublishedRelease> {
  const version = opts.version ?? '9.9.9';
  const file = `Motcua Kiosk Setup ${version}.exe`;
  const installer = randomBytes(opts.bytes);
  const keys = generateKeyPairSync('ed25519');
  const sha512 = createHash('sha512').update(installer).digest('base64');
  const publisherSignature = sign(null, releaseSignedMessage({ version, file, sha512, size: installer.length }), keys.privateKey).toString('base64');
  const admin = { authorization: `Bearer ${central.adminToken}` };
  const put = await fetch(new URL(pathFor('adminReleaseFile', { version, name: file }), central.url), {
    method: 'PUT',
    headers: { ...admin, 'content-type': 'application/octet-stream' },
    body: installer,
  });
  if (put.status !== 201) throw new Error(`upload of the release: ${put.status} ${await put.text()}`);
  const registered = await fetch(new URL(pathFor('adminRegisterRelease'), central.url), {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ version, file, sha512, size: installer.length, publisherSignature, rollout: { percent: opts.percent ?? 100, units: [] } }),
  });
  if (registered.status !== 201) throw new Error(`release registration: ${registered.status} ${await registered.text()}`);
  return { version, file, installer, sha512, publisherKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
