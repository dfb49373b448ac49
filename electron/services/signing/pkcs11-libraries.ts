/**
 * Where the PKCS#11 driver libraries of the Vietnamese CAs' USB tokens live, per OS, and which of them
 * are installed on this machine. This is data: each row says where its file names come from, and
 * `confirmed: false` marks names seen in third-party code or documentation that we have not checked
 * against a real installer (UNCONFIRMED). The installer and the settings screen show what was found;
 * the deployment may always give an explicit path instead.
 */
import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';

export type Pkcs11Platform = 'win32' | 'linux' | 'darwin';

export interface Pkcs11LibraryEntry {
  /** Who ships the driver (a CA, or a token maker whose driver several CAs reuse). */
  readonly vendor: string;
  /** File names looked up in the platform's library folders; absolute paths are checked as they are. */
  readonly files: Readonly<Partial<Record<Pkcs11Platform, readonly string[]>>>;
  /** Where the names come from. */
  readonly source: string;
  /** false: UNCONFIRMED — names reported by others, not yet checked against the vendor's installer. */
  readonly confirmed: boolean;
  /** A generic driver (test token, OpenSC), listed after the CAs' own. */
  readonly generic?: true;
}

const domainNotes = 'project domain notes §7 (DLL names seen in production Vietnamese signing code)';

export const pkcs11Libraries: readonly Pkcs11LibraryEntry[] = [
  {
    vendor: 'VNPT-CA',
    files: {
      win32: ['vnpt-ca_csp11.dll', 'vnptca_p11_v6.dll', 'vnptca_p11_v7.dll', 'vnptca_p11_v8.dll', 'vnptca_p11_v9.dll', 'vnptca_p11_v10.dll'],
      // One public Rust project lists these; not confirmed against VNPT's Linux/macOS packages.
      linux: ['/usr/lib/vnpt-ca/libcryptoki.so'],
      darwin: ['/Library/vnpt-ca/lib/libcryptoki.dylib'],
    },
    source: `${domainNotes}; Linux/macOS paths: third-party code (UNCONFIRMED)`,
    confirmed: false,
  },
  {
    vendor: 'Viettel-CA',
    files: {
      win32: ['viettel-ca_v1.dll', 'viettel-ca_v2.dll', 'viettel-ca_v3.dll', 'viettel-ca_v4.dll', 'viettel-ca_v5.dll', 'viettel-ca_v6.dll'],
      // A Viettel-CA web-plugin sample lists these macOS names (viettel-ca_v6/v5/v4.dylib).
      darwin: ['viettel-ca_v6.dylib', 'viettel-ca_v5.dylib', 'viettel-ca_v4.dylib'],
      linux: ['/usr/lib/viettel-ca/libpkcs11.so'],
    },
    source: `${domainNotes}; macOS names: Viettel-CA plugin sample code; Linux path: third-party code (UNCONFIRMED)`,
    confirmed: false,
  },
  {
    vendor: 'FPT-CA',
    files: {
      win32: ['fpt-ca.dll', 'fpt-ca_v5.dll'],
      // Reported by a public project as installed by the dpkg package fptca-4.0.
      linux: ['/usr/lib/fptca_v4.so'],
      darwin: ['/Library/FPT/libpkcs11.dylib'],
    },
    source: `${domainNotes}; Linux: third-party project citing the fptca-4.0 package; macOS: third-party code (UNCONFIRMED)`,
    confirmed: false,
  },
  {
    vendor: 'BKAV-CA',
    files: { win32: ['BkavCA.dll', 'BkavCA_P11.dll'] },
    source: `${domainNotes}; no Linux/macOS name found (UNCONFIRMED)`,
    confirmed: false,
  },
  {
    vendor: 'CA2 (Nacencomm)',
    files: { win32: ['CA2_csp11.dll'] },
    source: `${domainNotes}; no Linux/macOS name found (UNCONFIRMED)`,
    confirmed: false,
  },
  {
    vendor: 'Safe-CA',
    files: { win32: ['Safe-ca_v2.dll'] },
    source: `${domainNotes}; no Linux/macOS name found (UNCONFIRMED)`,
    confirmed: false,
  },
  {
    vendor: 'MISA-CA',
    files: { win32: ['misaca_csp11_v2.dll'] },
    source: `${domainNotes}; no Linux/macOS name found (UNCONFIRMED)`,
    confirmed: false,
  },
  {
    vendor: 'SafeNet eToken (Thales), used by several CAs',
    files: {
      win32: ['eTPKCS11.dll'],
      linux: ['libeTPkcs11.so', '/usr/lib/libeTPkcs11.so'],
      darwin: ['/usr/local/lib/libeTPkcs11.dylib'],
    },
    source: `${domainNotes}; Linux/macOS: SafeNet Authentication Client paths quoted in many public projects (UNCONFIRMED here)`,
    confirmed: false,
  },
  {
    vendor: 'Feitian ePass2003, used by several CAs',
    files: {
      win32: ['eps2003csp11.dll'],
      linux: ['libcastle.so.1.0.0', 'libcastle.so'],
      darwin: ['/usr/local/lib/libcastle.1.0.0.dylib'],
    },
    source: `${domainNotes}; Linux/macOS: Feitian middleware names quoted in public projects (UNCONFIRMED here)`,
    confirmed: false,
  },
  {
    vendor: 'OpenSC (generic smart-card driver)',
    files: {
      win32: ['opensc-pkcs11.dll', 'C:\\Program Files\\OpenSC Project\\OpenSC\\pkcs11\\opensc-pkcs11.dll'],
      linux: ['opensc-pkcs11.so', '/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so'],
      darwin: ['/Library/OpenSC/lib/opensc-pkcs11.so'],
    },
    source: 'Debian package opensc-pkcs11 (checked on this machine); Windows/macOS: OpenSC installer defaults',
    confirmed: true,
    generic: true,
  },
  {
    vendor: 'SoftHSM2 (software token for tests)',
    files: {
      linux: ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'],
      darwin: ['/usr/local/lib/softhsm/libsofthsm2.so', '/opt/homebrew/lib/softhsm/libsofthsm2.so'],
      win32: ['C:\\SoftHSM2\\lib\\softhsm2-x64.dll'],
    },
    source: 'Debian package softhsm2 (checked on this machine); macOS: Homebrew; Windows: SoftHSM2 installer default',
    confirmed: true,
    generic: true,
  },
];

/** The folders a platform's loader uses for driver libraries (where CA installers drop them). */
export function defaultSearchDirs(platform: Pkcs11Platform, env: Readonly<Record<string, string | undefined>> = {}): string[] {
  switch (platform) {
    case 'win32': {
      const root = env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows';
      return [path.win32.join(root, 'System32'), path.win32.join(root, 'SysWOW64')];
    }
    case 'linux':
      return ['/usr/lib', '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib/softhsm', '/usr/lib/pkcs11', '/usr/local/lib', '/lib'];
    case 'darwin':
      return ['/usr/local/lib', '/opt/homebrew/lib', '/Library/Frameworks', '/usr/lib'];
  }
}

export interface InstalledLibrary {
  readonly vendor: string;
  readonly path: string;
  readonly confirmed: boolean;
  readonly generic: boolean;
  /** 'table' when found from the table, 'configured' when given by the deployment. */
  readonly origin: 'table' | 'configured';
}

export interface FindLibrariesOptions {
  readonly platform?: Pkcs11Platform;
  /** Folders to look in for bare file names (default: the platform's library folders). */
  readonly searchDirs?: readonly string[];
  /** Paths the deployment configured (checked first, kept even when not in the table). */
  readonly extraPaths?: readonly string[];
  /** The table to use (default: pkcs11Libraries). */
  readonly table?: readonly Pkcs11LibraryEntry[];
}

/** The driver libraries that exist on disk: configured paths first, then the CAs' drivers, then generic ones. */
export async function findInstalledLibraries(opts: FindLibrariesOptions = {}): Promise<InstalledLibrary[]> {
  const platform = opts.platform ?? currentPlatform();
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  const searchDirs = opts.searchDirs ?? defaultSearchDirs(platform, process.env);
  const table = [...(opts.table ?? pkcs11Libraries)].sort((a, b) => Number(a.generic ?? false) - Number(b.generic ?? false));

  const found: InstalledLibrary[] = [];
  const seen = new Set<string>();
  const consider = async (candidate: InstalledLibrary): Promise<void> => {
    const key = platform === 'win32' ? candidate.path.toLowerCase() : candidate.path;
    if (seen.has(key)) return;
    if (!(await isReadableFile(candidate.path))) return;
    seen.add(key);
    found.push(candidate);
  };

  for (const extra of opts.extraPaths ?? []) {
    await consider({ vendor: 'configured', path: extra, confirmed: false, generic: false, origin: 'configured' });
  }
  for (const entry of table) {
    for (const file of entry.files[platform] ?? []) {
      // Joined with the host's rules: the files are looked up on this machine's disk.
      const paths = pathApi.isAbsolute(file) ? [file] : searchDirs.map((dir) => path.join(dir, file));
      for (const p of paths) {
        await consider({ vendor: entry.vendor, path: p, confirmed: entry.confirmed, generic: entry.generic ?? false, origin: 'table' });
      }
    }
  }
  return found;
}

function currentPlatform(): Pkcs11Platform {
  const p = process.platform;
  if (p === 'win32' || p === 'darwin') return p;
  return 'linux';
}

async function isReadableFile(file: string): Promise<boolean> {
  try {
    await access(file, constants.R_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
