/**
 * Who signs each digitized copy of a dossier (Decree 118/2025/NĐ-CP Art. 17.1.c, Art. 19.2).
 *
 * Since 1 July 2025 the receiving clerk "dùng chữ ký số cá nhân được cấp để ký trên bản sao chụp điện tử"
 * (Decree 118/2025 Art. 17.1.c, CONFIRMED): the default signer of a component's copy is the clerk's personal certificate, without a
 * "SAO Y" stamp. The organisation's copy signature (with the Decree 30/2020 stamp) stays available per
 * procedure component, for the papers a special law requires it for (Art. 19.2).
 *
 * Under the 2018 texts the counter signed every copy with the organisation's certificate (and the clerk's
 * too, when configured). A configuration from then that has no personal key keeps signing with the
 * organisation's — the only key it has — and the sign step says so (`legacyFallback`); one that names the
 * default explicitly gets exactly that.
 */
import { z } from 'zod';
import { copySignerSchema, type CopySigner, type ProcedureComponent } from './procedure';

export {  type CopySigner };

export interface CopySigningPolicy {
  /** The signer of components that do not name their own. */
  readonly defaultSigner: CopySigner;
  /**
   * No default was configured and the counter has no personal key: copies are signed by the organisation, as
   * before 2025, until IT adds the clerks' certificates.
   */
  readonly legacyFallback: boolean;
}

/**
 * The policy for a counter: the configured default when there is one; else the law's default (personal), or
 * the organisation's key when that is the only one configured (old configurations, see the header).
 */
export function copySigningPolicy(configuredDefault: CopySigner | undefined, configuredRoles: readonly CopySigner[]): CopySigningPolicy {
  if (configuredDefault) return { defaultSigner: configuredDefault, legacyFallback: false };
  if (!configuredRoles.includes('personal') && configuredRoles.includes('organisation')) return { defaultSigner: 'organisation', legacyFallback: true };
  return { defaultSigner: 'personal', legacyFallback: false };
}

export function copySignerOf(component: Pick<ProcedureComponent, 'signature'>, policy: CopySigningPolicy): CopySigner {
  return component.signature ?? policy.defaultSigner;
}

/**
 * The signers a dossier needs for the components it holds, each once, organisation first (the order the sign
 * step lists them). A dossier of personal components asks for the clerk's key only.
 */
export function signersNeeded(components: readonly Pick<ProcedureComponent, 'signature'>[], policy: CopySigningPolicy): CopySigner[] {
  const needed = new Set(components.map((c) => copySignerOf(c, policy)));
  return copySignerSchema.options.slice().reverse().filter((role) => needed.has(role));
}

/** The certificate that signed some of a dossier's copies, as the dossier records it. */
export const copySignatureRecordSchema = z
  .object({
    role: copySignerSchema,
    /** Full subject DN, and its CN (the clerk's name on a personal certificate). */
    subject: z.string().min(1).max(1000),
    subjectCommonName: z.string().max(300).nullable(),
    issuer: z.string().min(1).max(1000),
    /** Hex serial number as the key store reports it: with the issuer, names one certificate. */
    serialNumber: z.string().min(1).max(100),
    /** Codes of the components whose copy this certificate signed. */
    components: z.array(z.string().min(1).max(64)).min(1).max(100),
  })
  .strict();
export type CopySignatureRecord = z.infer<typeof copySignatureRecordSchema>;

/** One record per certificate, components in the order given. */
export function copySignatureRecords(
  signed: readonly { readonly componentCode: string; readonly role: CopySigner; readonly certificate: { readonly subject: string; readonly subjectCommonName: string | null; readonly issuer: string; readonly serialNumber: string } }[],
): CopySignatureRecord[] {
  const records: CopySignatureRecord[] = [];
  for (const { componentCode, role, certificate } of signed) {
    const existing = records.find((r) => r.role === role && r.serialNumber === certificate.serialNumber && r.issuer === certificate.issuer);
    if (existing) existing.components.push(componentCode);
    else records.push({ role, subject: certificate.subject, subjectCommonName: certificate.subjectCommonName, issuer: certificate.issuer, serialNumber: certificate.serialNumber, components: [componentCode] });
  }
  return records;
}
