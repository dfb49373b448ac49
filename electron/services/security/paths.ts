import path from 'node:path';

/** Maps a URL path to a file inside `root`, or null when it would escape it (`..`, encoded slashes). */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, '.' + path.posix.normalize('/' + decoded));
  // The root itself is a directory, not a file to serve.
  return file.startsWith(base + path.sep) ? file : null;
}
