/**
 * The content hash that decides whether a repeated commit is the same dossier (answer the first ack) or a
 * different one under the same id (conflict).
 */
import type { DossierCommit } from '../../shared/sync/protocol';
import { sha256Hex } from '../../shared/util/bytes';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** JSON with object keys sorted at every level, no whitespace: equal values give equal text. */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as Json)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What the dossier *is*: the record fields and its files, sorted by hash. The upload URLs are left out on
 * purpose — a counter that re-uploaded a file after losing its upload URL commits the same dossier.
 */
function commitContent(commit: DossierCommit): Json {
  const { files, ...record } = commit;
  const contentFiles = files
    .map(({ uploadUrl: _uploadUrl, ...file }) => file)
    .sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : a.componentCode.localeCompare(b.componentCode)));
  return JSON.parse(JSON.stringify({ ...record, files: contentFiles })) as Json;
}

export function commitContentHash(commit: DossierCommit): string {
  return sha256Hex(new TextEncoder().encode(canonicalJson(commitContent(commit))));
}
