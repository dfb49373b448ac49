/**
 * The central's own TLS certificate and key (issue 17, finding 6): read from PEM files at start, checked before
 * the server listens (a wrong or missing file is a start-up error, not a handshake failure later), and read
 * again on SIGHUP so a renewed certificate is served without a restart. A reload that fails keeps the old one.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import { AppError } from '../../shared/errors';

export interface TlsFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

export interface TlsMaterial {
  /** PEM: the server certificate, then any intermediates. */
  readonly cert: Buffer;
  readonly key: Buffer;
  /** The leaf's serial (hex, upper case) and expiry, for the log. */
  readonly serialNumber: string;
  readonly validTo: string;
  readonly subject: string;
}

async function readTlsFile(which: 'cert' | 'key', file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new AppError('CENTRAL_TLS_FILE_UNREADABLE', { file: which === 'cert' ? '--tls-cert' : '--tls-key', path: path.resolve(file), reason });
  }
}

/** Reads and checks the pair: a PEM certificate, a private key that belongs to it. */
export async function loadTlsMaterial(files: TlsFiles): Promise<TlsMaterial> {
  const [cert, key] = await Promise.all([readTlsFile('cert', files.certPath), readTlsFile('key', files.keyPath)]);
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch (err) {
    throw new AppError('CENTRAL_TLS_INVALID', { reason: `${path.resolve(files.certPath)}: not a certificate (${errorText(err)})` });
  }
  try {
    // The same check the server does on its first handshake, done now: a key of another certificate fails here.
    createSecureContext({ cert, key });
  } catch (err) {
    throw new AppError('CENTRAL_TLS_INVALID', { reason: `${path.resolve(files.keyPath)}: ${errorText(err)}` });
  }
  return { cert, key, serialNumber: leaf.serialNumber.toUpperCase(), validTo: leaf.validTo, subject: leaf.subject.replace(/\n/g, ', ') };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
