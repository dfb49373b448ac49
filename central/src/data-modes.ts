/**
 * The central's data directory holds citizens' names and ID numbers (the database and its WAL, the dossiers'
 * files): only the account running the central may read or write it. Everything is created owner-only
 * (directories 0700, files 0600); a directory that another user could already read or change is refused at
 * start, with the `chmod` that fixes it — tightening it silently would hide that the data was exposed.
 */
import { chmod, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

export const OWNER_ONLY_DIR_MODE = 0o700;
export const OWNER_ONLY_FILE_MODE = 0o600;
/** Group and other permission bits: none may be set on anything under the data directory. */
const GROUP_OTHER_BITS = 0o077;

/** Owner-only for everything this process creates from now on (files written by PGlite included). */
export function restrictUmask(): void {
  process.umask(GROUP_OTHER_BITS);
}

interface UnsafeEntry {
  readonly path: string;
  readonly mode: number;
}

/** Every entry under (and including) `root` whose mode lets a group or other users in; symbolic links are not followed. */
async function findUnsafeModes(root: string): Promise<UnsafeEntry[]> {
  const unsafe: UnsafeEntry[] = [];
  const walk = async (entry: string): Promise<void> => {
    const info = await lstat(entry);
    if (info.isSymbolicLink()) return;
    if ((info.mode & GROUP_OTHER_BITS) !== 0) unsafe.push({ path: entry, mode: info.mode & 0o777 });
    if (info.isDirectory()) for (const name of await readdir(entry)) await walk(path.join(entry, name));
  };
  try {
    await walk(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return unsafe;
    throw err;
  }
  return unsafe;
}

/** The command a Linux administrator runs to make `root` owner-only. */
function chmodCommandFor(root: string): string {
  const quoted = `'${root.replaceAll("'", `'\\''`)}'`;
  return `chmod -R u=rwX,go= ${quoted}`;
}

/** Throws (Vietnamese, for the person starting the central) when existing data under `root` is not owner-only. */
export async function requireOwnerOnlyData(root: string): Promise<void> {
  if (process.platform === 'win32') return; // POSIX modes mean nothing there; ACLs are the installer's job.
  const unsafe = await findUnsafeModes(root);
  if (unsafe.length === 0) return;
  const shown = unsafe.slice(0, 5).map((entry) => `${entry.path} (${entry.mode.toString(8).padStart(4, '0')})`);
  throw new Error(
    `thư mục dữ liệu ${root} có ${unsafe.length} mục người dùng khác đọc hoặc ghi được: ${shown.join(', ')}${unsafe.length > 5 ? ', …' : ''}. ` +
      `Dữ liệu chứa họ tên, số định danh của công dân nên trung tâm không chạy. Hãy kiểm tra ai đã truy cập, rồi chạy: ${chmodCommandFor(root)}`,
  );
}

/**
 * Sets owner-only modes on everything under `root` — for what this process just created without going through
 * the umask (a PGlite directory copied from the template keeps the template's modes).
 */
export async function makeOwnerOnly(root: string): Promise<void> {
  if (process.platform === 'win32') return;
  const walk = async (entry: string): Promise<void> => {
    const info = await lstat(entry);
    if (info.isSymbolicLink()) return;
    if (info.isDirectory()) {
      await chmod(entry, OWNER_ONLY_DIR_MODE);
      for (const name of await readdir(entry)) await walk(path.join(entry, name));
    } else if ((info.mode & GROUP_OTHER_BITS) !== 0) {
      await chmod(entry, info.mode & 0o700);
    }
  };
  await walk(root);
}
