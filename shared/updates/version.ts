/**
 * Counter versions, one definition for the sync protocol (the header every request carries, the fleet view) and
 * for updates (rollout, the central's minimum). Ordered by semver (the `semver` package): pre-releases before
 * their release, `-rc.10` after `-rc.9`.
 */
import semver from 'semver';

/** Sent on every request of a counter (lower case: how Node and fetch name headers). */
export const counterVersionHeader = 'x-motcua-counter-version';

/** Negative when `a` is older than `b` (semver order; an unparseable version counts as the oldest). */
export function compareVersions(a: string, b: string): number {
  const va = semver.valid(a);
  const vb = semver.valid(b);
  if (!va || !vb) return va ? 1 : vb ? -1 : 0;
  return semver.compare(va, vb);
}
