/**
 * Counter updates served by the central (issue 16, item 5). The central keeps releases in electron-updater's
 * "generic provider" layout (`latest.yml` naming an installer by url, sha512 and size), so the same files
 * electron-builder writes are uploaded as they are. Two things are added:
 *
 * - a **publisher signature**: Ed25519 over {@link releaseSignedMessage}, made by whoever builds the app
 *   (`motcua release-sign`) and checked by the counter against keys in its configuration. The central only
 *   stores and serves; a central that is broken into cannot push an installer the counters accept.
 * - **staged rollout**: the central gives a counter the newest release whose rollout includes it. Membership
 *   is {@link rolloutBucket}, a hash of the device and the version, so raising the percentage only adds counters
 *   (a counter that had a release keeps being offered it) and each release picks a different first group.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import semver from 'semver';
import { z } from 'zod';
import { compareVersions } from './version';

export { compareVersions, counterVersionHeader } from './version';

/** A release version as electron-builder writes it (semver, no leading "v"). */
export const releaseVersionSchema = z
  .string()
  .max(64)
  .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'semver x.y.z[-pre]')
  .refine((v) => semver.valid(v) === v, 'semver');

/** An installer's or blockmap's file name: no folders, nothing a path could be made of. */
export const releaseFileNameSchema = z
  .string()
  .min(1)
  .max(160)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._ -]*$/, 'letters, digits, space, . _ -')
  .refine((name) => !name.includes('..'), 'no ".."');

/** SHA-512 in base64, as electron-builder writes it into `latest.yml`. */
const sha512Base64Schema = z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'sha512 base64');
/** An Ed25519 signature (64 bytes) in base64. */
export const ed25519SignatureSchema = z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'Ed25519 signature base64');

export const rolloutSchema = z.strictObject({
  /** 0–100: the share of the eligible counters offered this release. */
  percent: z.number().int().min(0).max(100),
  /** Only counters of these units (unit codes); empty = every unit. */
  units: z.array(z.string().min(1).max(64)).max(500).default([]),
});
export type Rollout = z.infer<typeof rolloutSchema>;

/** What an administrator registers once the installer (and its blockmap) are uploaded. */
export const newReleaseSchema = z.strictObject({
  version: releaseVersionSchema,
  file: releaseFileNameSchema,
  sha512: sha512Base64Schema,
  size: z.number().int().positive().max(4 * 1024 ** 3),
  blockmap: releaseFileNameSchema.optional(),
  publisherSignature: ed25519SignatureSchema,
  releaseDate: z.iso.datetime({ offset: true }).optional(),
  rollout: rolloutSchema,
});
export type NewRelease = z.infer<typeof newReleaseSchema>;

/** The oldest counter version still allowed to send dossiers; older counters update first, keeping their dossiers. */
export const updatePolicySchema = z.strictObject({ minimumVersion: releaseVersionSchema.nullable() });
export type UpdatePolicy = z.infer<typeof updatePolicySchema>;

/** Where a release's file is served, relative to the feed (`latest.yml`), as electron-updater resolves it. */
export const releaseFileUrl = (version: string, name: string): string => `files/${version}/${encodeURIComponent(name)}`;

/**
 * `latest.yml` as the central serves it to one counter: electron-updater's generic-provider fields, plus the
 * publisher signature and the central's minimum version (electron-updater ignores fields it does not know).
 */
export const updateManifestSchema = z.object({
  version: releaseVersionSchema,
  files: z
    .array(z.object({ url: z.string().min(1).max(400), sha512: sha512Base64Schema, size: z.number().int().positive() }))
    .min(1)
    .max(4),
  path: z.string().min(1).max(400),
  sha512: sha512Base64Schema,
  releaseDate: z.string().max(40),
  publisherSignature: ed25519SignatureSchema,
  minimumVersion: releaseVersionSchema.nullable().optional(),
});
export type UpdateManifest = z.infer<typeof updateManifestSchema>;

/** What the publisher signs: the version, the installer's name, its sha512 and size — each on its own line. */
export function releaseSignedMessage(release: { version: string; file: string; sha512: string; size: number }): Uint8Array {
  return new TextEncoder().encode(['motcua-release/v1', release.version, release.file, release.sha512, String(release.size)].join('\n'));
}

/** 0–99, fixed for a (device, version) pair. */
export function rolloutBucket(deviceId: string, version: string): number {
  const digest = sha256(new TextEncoder().encode(`${deviceId}/${version}`));
  const word = ((digest[0] ?? 0) << 24) | ((digest[1] ?? 0) << 16) | ((digest[2] ?? 0) << 8) | (digest[3] ?? 0);
  return (word >>> 0) % 100;
}

export function isInRollout(device: { deviceId: string; unitCode: string }, version: string, rollout: Rollout): boolean {
  if (rollout.units.length > 0 && !rollout.units.includes(device.unitCode)) return false;
  return rolloutBucket(device.deviceId, version) < rollout.percent;
}

/** True when a counter at `version` must update before it may send (the central's minimum is newer). */
export const isBelowMinimum = (version: string, minimumVersion: string | null | undefined): boolean =>
  !!minimumVersion && compareVersions(version, minimumVersion) < 0;
