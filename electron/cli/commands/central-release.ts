/**
 * `motcua central release …`: counter releases on a running central (issue 16, item 5; central/src/releases.ts).
 *
 *   add      uploads the installer (and blockmap) as electron-builder wrote them, then registers the release with
 *            the publisher's signature (`motcua release-sign`) and its rollout. The file's sha512 is computed here
 *            and checked again by the central on registration.
 *   rollout  widens or narrows a release (percentage, units). Raising the percentage only adds counters.
 *   minimum  the oldest counter version allowed to send dossiers (`none` lifts it).
 *   list     every release and the policy.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { describeError } from '../../../shared/i18n/error-messages';
import { centralErrorSchema } from '../../../shared/sync/protocol';
import { pathFor } from '../../../shared/sync/api-contract';
import { isErrorCode } from '../../../shared/errors';
import { ed25519SignatureSchema, releaseFileNameSchema, releaseVersionSchema, type NewRelease } from '../../../shared/updates/release';
import { adminTokenFrom, adminUsage, call, commonOptions, UsageError } from './central-admin';
import { sha512OfFile } from '../../services/updates/update-client';

function units(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
}

function percent(text: string | undefined, fallback?: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (value === undefined || !Number.isInteger(value) || value < 0 || value > 100) throw new UsageError(`--percent phải là số nguyên 0..100.\n${adminUsage}`);
  return value;
}

function version(text: string | undefined): string {
  const parsed = releaseVersionSchema.safeParse(text);
  if (!parsed.success) throw new UsageError(`Phiên bản "${text ?? ''}" không hợp lệ (dạng x.y.z).\n${adminUsage}`);
  return parsed.data;
}

async function upload(central: string, token: string, releaseVersion: string, file: string): Promise<void> {
  const name = releaseFileNameSchema.safeParse(path.basename(file));
  if (!name.success) throw new UsageError(`Tên tệp "${path.basename(file)}" không dùng được (chỉ chữ, số, dấu cách, . _ -).`);
  const { size } = await stat(file);
  let res: Response;
  try {
    res = await fetch(new URL(pathFor('adminReleaseFile', { version: releaseVersion, name: name.data }), central), {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
  } catch (err) {
    throw new Error(`${describeError('vi', 'CENTRAL_UNREACHABLE')} (${central}: ${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  if (!res.ok) {
    const text = await res.text();
    const error = centralErrorSchema.safeParse(text ? JSON.parse(text) : undefined);
    if (error.success && isErrorCode(error.data.error)) throw new Error(`${describeError('vi', error.data.error, error.data.details)} [${error.data.error}]`);
    throw new Error(`HTTP ${res.status}: ${text.slice(0, 500)}`);
  }
}

export async function runRelease(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  switch (action) {
    case 'add': {
      const { values } = parseArgs({
        args: rest,
        options: { ...commonOptions, file: { type: 'string' }, version: { type: 'string' }, 'signature-file': { type: 'string' }, blockmap: { type: 'string' }, percent: { type: 'string' }, units: { type: 'string' } },
      });
      if (!values.file || !values['signature-file']) throw new UsageError(`Cần --file và --signature-file.\n${adminUsage}`);
      const releaseVersion = version(values.version);
      const signature = ed25519SignatureSchema.safeParse((await readFile(values['signature-file'], 'utf8')).trim());
      if (!signature.success) throw new UsageError(`Tệp chữ ký "${values['signature-file']}" không phải chữ ký Ed25519 (base64) do motcua release-sign tạo.`);
      const token = await adminTokenFrom(values);
      const { sha512, size } = await sha512OfFile(values.file);
      await upload(values.central, token, releaseVersion, values.file);
      if (values.blockmap) await upload(values.central, token, releaseVersion, values.blockmap);
      const release: NewRelease = {
        version: releaseVersion,
        file: path.basename(values.file),
        sha512,
        size,
        ...(values.blockmap ? { blockmap: path.basename(values.blockmap) } : {}),
        publisherSignature: signature.data,
        rollout: { percent: percent(values.percent, 0), units: units(values.units) },
      };
      console.log(JSON.stringify(await call(values.central, token, 'POST', pathFor('adminRegisterRelease'), release), null, 2));
      return 0;
    }
    case 'rollout': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { ...commonOptions, percent: { type: 'string' }, units: { type: 'string' } } });
      const body = { percent: percent(values.percent), units: units(values.units) };
      console.log(JSON.stringify(await call(values.central, await adminTokenFrom(values), 'PUT', pathFor('adminReleaseRollout', { version: version(positionals[0]) }), body), null, 2));
      return 0;
    }
    case 'minimum': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: commonOptions });
      const minimumVersion = positionals[0] === 'none' ? null : version(positionals[0]);
      console.log(JSON.stringify(await call(values.central, await adminTokenFrom(values), 'PUT', pathFor('adminSetUpdatePolicy'), { minimumVersion }), null, 2));
      return 0;
    }
    case 'list': {
      const { values } = parseArgs({ args: rest, options: commonOptions });
      console.log(JSON.stringify(await call(values.central, await adminTokenFrom(values), 'GET', pathFor('adminReleases')), null, 2));
      return 0;
    }
    default:
      throw new UsageError(`Cần add, rollout, minimum hoặc list.\n${adminUsage}`);
  }
}
