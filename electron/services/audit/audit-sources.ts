/** What main itself puts in the audit log: the signing guard's lines, and who the clerk is. */
import type { AuditClerk, MainAuditRecord } from '../../../shared/audit/chain';
import type { SignerRole } from '../../../shared/ipc/contract';
import type { KeyStore } from '../signing/keystore';
import type { SigningLogLine } from '../signing/signing-guard';

export function auditRecordOfSigningLine(line: SigningLogLine): MainAuditRecord {
  switch (line.event) {
    case 'session-open':
      return { action: 'signing-session-opened', dossierId: line.dossierId, details: { sessionId: line.sessionId, expected: line.expected } };
    case 'sign':
      return { action: 'digest-signed', dossierId: line.dossierId, details: { sessionId: line.sessionId, component: line.component, role: line.role, digest: line.digest } };
    case 'session-close':
      return { action: 'signing-session-closed', dossierId: line.dossierId, details: { sessionId: line.sessionId, outcome: line.outcome, signed: line.signed } };
    case 'lock':
      return { action: 'key-locked', details: { reason: line.reason, ...(line.role ? { role: line.role } : {}) } };
  }
}

/**
 * The clerk is whoever holds the open personal key (their certificate's subject CN and serial). The
 * organisation's key names the centre, not a person: with only that open, the clerk is "unidentified".
 */
export async function clerkFromKeystores(keystores: ReadonlyMap<SignerRole, KeyStore>): Promise<AuditClerk> {
  const status = await keystores.get('personal')?.status();
  if (status?.state === 'unlocked' && status.certificate.subjectCommonName) {
    return { kind: 'certificate', commonName: status.certificate.subjectCommonName.slice(0, 200), serial: status.certificate.serialNumber.slice(0, 100) };
  }
  return { kind: 'unidentified' };
}
