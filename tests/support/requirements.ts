/**
 * Some tests need a part of the machine that a developer's laptop may lack: a PostgreSQL server, root (mounts,
 * network namespaces). Outside CI such a test is skipped with its reason printed. Under `CI=true` a missing part
 * fails the test file instead: CI that silently ran half of the suite would pass while proving less.
 */

/** True when CI asked for the whole suite (`CI=true`, as `.ci/run` is run). */
const underCi = /^(1|true)$/i.test(process.env.CI ?? '');

/**
 * Whether to skip tests needing `what`, which is missing for `missingReason` (undefined = present). Under CI a
 * missing part throws, so the test file fails with the reason; otherwise the reason is printed and the tests skip.
 */
export function skipWithout(what: string, missingReason: string | undefined): boolean {
  if (missingReason === undefined) return false;
  const message = `${what} unavailable: ${missingReason}`;
  if (underCi) throw new Error(`CI=true and ${message}. .ci/run installs and starts it; run tests/environment/check.sh to see what is missing.`);
  console.warn(`skipped — ${message}`);
  return true;
}

/** The reason root-only tests cannot run here, or undefined as root. */
export function notRootReason(): string | undefined {
  return process.getuid?.() === 0 ? undefined : 'needs root (mounts a tmpfs / makes network namespaces); CI runs as root';
}
