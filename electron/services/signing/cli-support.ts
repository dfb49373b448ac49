/**
 * Small pieces shared by the signing CLI commands: Vietnamese error text for AppErrors and loading trust
 * anchors from PEM/DER files.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError, type ErrorCode } from '../../../shared/errors';
import { describeError, errorMessages } from '../../../shared/i18n/error-messages';
import { messagesSigning } from '../../../shared/i18n/messages-signing';

/** The clerk-facing Vietnamese message for an error (codes added by this helper are looked up too). */
export function vietnameseMessage(err: unknown): string {
  if (!(err instanceof AppError)) return `Lỗi không mong muốn: ${err instanceof Error ? err.message : String(err)}`;
  const own = (messagesSigning.vi as Partial<Record<ErrorCode, string>>)[err.code];
  if (own) return fill(own, err.details);
  if ((errorMessages.vi as Partial<Record<ErrorCode, string>>)[err.code] !== undefined) return describeError('vi', err.code, err.details);
  return err.code;
}

function fill(template: string, details: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in details ? String(details[key]) : whole));
}

/** Certificates (DER) from a PEM/DER file, or from every .pem/.crt/.cer/.der file in a directory. */
export async function loadCertificates(fileOrDir: string): Promise<Uint8Array[]> {
  const info = await stat(fileOrDir);
  if (info.isDirectory()) {
    const names = (await readdir(fileOrDir)).filter((n) => /\.(pem|crt|cer|der)$/i.test(n)).sort();
    const all = await Promise.all(names.map((n) => loadCertificateFile(path.join(fileOrDir, n))));
    return all.flat();
  }
  return loadCertificateFile(fileOrDir);
}

async function loadCertificateFile(file: string): Promise<Uint8Array[]> {
  const bytes = await readFile(file);
  const text = bytes.toString('latin1');
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) return text.includes('-----BEGIN') ? [] : [new Uint8Array(bytes)];
  return blocks.map((m) => new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')));
}
