/**
 * Issue 17, finding 10, against the real `motcua central` process: one device may have only so many tus uploads
 * in progress (`--max-uploads-per-device`); one more is refused with 429 `CENTRAL_UPLOADS_BUSY` (which the
 * counter's sync engine retries later: renderer/src/sync/attempt.ts), finishing one frees a slot, and another
 * device is not held back by the first one's uploads.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralErrorSchema } from '../../shared/sync/protocol';
import { sha256Hex } from '../../shared/util/bytes';
import { isRetryableStatus } from '../../renderer/src/sync/attempt';
import { enrollTestDevice, startCentralProcess, type CentralProcess } from '../support/central-process';
import { tusEndpointPath } from '../../shared/sync/api-contract';

const cap = 3;
const fileBytes = new TextEncoder().encode('%PDF-1.7\n% not parsed by tus\n');

const metadataHeader = (dossierId: string): string =>
  Object.entries({ dossierId, sha256: sha256Hex(fileBytes), filename: 'tep.pdf', filetype: 'application/pdf' })
    .map(([key, value]) => `${key} ${Buffer.from(value, 'utf8').toString('base64')}`)
    .join(',');

/** A tus creation (no bytes yet): the upload is in progress until all of `fileBytes` arrive. */
async function createUpload(central: CentralProcess, credential: string): Promise<Response> {
  return fetch(new URL(tusEndpointPath, central.url), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${credential}`,
      'tus-resumable': '1.0.0',
      'upload-length': String(fileBytes.byteLength),
      'upload-metadata': metadataHeader(randomUUID()),
    },
  });
}

async function finishUpload(central: CentralProcess, credential: string, location: string): Promise<Response> {
  return fetch(new URL(location, central.url), {
    method: 'PATCH',
    headers: { authorization: `Bearer ${credential}`, 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    body: fileBytes,
  });
}

describe('uploads in progress per device', () => {
  let central: CentralProcess;
  let credential: string;

  beforeAll(async () => {
    central = await startCentralProcess({ args: ['--max-uploads-per-device', String(cap)] });
    credential = central.credential ?? '';
  }, 120_000);
  afterAll(async () => {
    await central?.stop();
  });

  it(`refuses upload ${cap + 1} of one device with 429 CENTRAL_UPLOADS_BUSY, and takes it once one is finished`, { timeout: 60_000 }, async () => {
    const locations: string[] = [];
    for (let i = 0; i < cap; i++) {
      const created = await createUpload(central, credential);
      expect(created.status).toBe(201);
      locations.push(created.headers.get('location') ?? '');
    }

    const refused = await createUpload(central, credential);
    expect(refused.status).toBe(429);
    expect(centralErrorSchema.parse(await refused.json())).toEqual({ error: 'CENTRAL_UPLOADS_BUSY', details: { inProgress: cap, limit: cap } });
    // The counter's sync engine keeps the dossier and tries again later on a 429.
    expect(isRetryableStatus(refused.status)).toBe(true);

    // Another counter of the unit is not held back by this one's uploads.
    const other = await enrollTestDevice(central, { counterNo: 2, deviceName: 'Quầy 2 (upload cap)' });
    expect((await createUpload(central, other.credential)).status).toBe(201);

    // Finishing one upload frees its slot.
    const finished = await finishUpload(central, credential, locations[0] ?? '');
    expect(finished.status).toBe(204);
    expect((await createUpload(central, credential)).status).toBe(201);
    expect((await createUpload(central, credential)).status).toBe(429);

    // Resuming an upload already started is never refused.
    expect((await finishUpload(central, credential, locations[1] ?? '')).status).toBe(204);
    expect((await createUpload(central, credential)).status).toBe(201);
    expect((await createUpload(central, credential)).status).toBe(429);
    // Terminating one (tus DELETE) frees its slot too.
    const terminated = await fetch(new URL(locations[2] ?? '', central.url), { method: 'DELETE', headers: { authorization: `Bearer ${credential}`, 'tus-resumable': '1.0.0' } });
    expect(terminated.status).toBe(204);
    expect((await createUpload(central, credential)).status).toBe(201);
  });
});
