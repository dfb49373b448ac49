// Who signs each digitized copy (Decree 118/2025 Art. 17.1.c, Art. 19.2) and what the dossier records of it.
import { describe, expect, it } from 'vitest';
import { copySignatureRecords, copySignerOf, copySigningPolicy, signersNeeded } from '../../../../shared/domain/copy-signature';
import { componentSchema, type ProcedureComponent } from '../../../../shared/domain/procedure';
import { counterConfigSchema } from '../../../../shared/ipc/contract';
import { dossierCommitSchema } from '../../../../shared/sync/protocol';
import { makeCommit } from '../../../support/central-process';

const plain: ProcedureComponent = { code: 'TK', name: 'Tờ khai', required: true };
const special: ProcedureComponent = { code: 'GT', name: 'Giấy tờ luật chuyên ngành yêu cầu sao y', required: true, signature: 'organisation' };

describe('the signer of a component copy', () => {
  it('is the clerk (personal) by default, whatever keys the counter has', () => {
    for (const roles of [['personal'], ['organisation', 'personal'], []] as const) {
      const policy = copySigningPolicy(undefined, roles);
      expect(policy).toEqual({ defaultSigner: 'personal', legacyFallback: false });
      expect(copySignerOf(plain, policy)).toBe('personal');
    }
  });

  it('is the organisation where the component says so (a special law), with either default', () => {
    expect(copySignerOf(special, copySigningPolicy(undefined, ['organisation', 'personal']))).toBe('organisation');
    expect(copySignerOf(special, copySigningPolicy('personal', ['organisation', 'personal']))).toBe('organisation');
  });

  it('an old configuration with only the organisation key keeps signing with it, flagged as a fallback', () => {
    const policy = copySigningPolicy(undefined, ['organisation']);
    expect(policy).toEqual({ defaultSigner: 'organisation', legacyFallback: true });
    expect(copySignerOf(plain, policy)).toBe('organisation');
    // A component that names the personal signer still needs it (SIGNER_NOT_CONFIGURED at signing).
    expect(copySignerOf({ ...plain, signature: 'personal' }, policy)).toBe('personal');
  });

  it('an explicit default is taken as configured, without the fallback', () => {
    expect(copySigningPolicy('organisation', ['organisation', 'personal'])).toEqual({ defaultSigner: 'organisation', legacyFallback: false });
    expect(copySigningPolicy('personal', ['organisation'])).toEqual({ defaultSigner: 'personal', legacyFallback: false });
  });

  it('the sign step asks for exactly the keys the present components need, organisation first', () => {
    const policy = copySigningPolicy(undefined, ['organisation', 'personal']);
    expect(signersNeeded([plain], policy)).toEqual(['personal']);
    expect(signersNeeded([special], policy)).toEqual(['organisation']);
    expect(signersNeeded([plain, special, plain], policy)).toEqual(['organisation', 'personal']);
    expect(signersNeeded([], policy)).toEqual([]);
  });
});

describe('configuration', () => {
  it('a component without `signature` parses (catalogs from before) and an unknown signer is refused', () => {
    expect(componentSchema.parse(plain).signature).toBeUndefined();
    expect(componentSchema.parse(special).signature).toBe('organisation');
    expect(componentSchema.safeParse({ ...plain, signature: 'both' }).success).toBe(false);
  });

  it('a counter configuration without copySigning (written before issue 15) stays valid; the old signatureAppearance is kept', () => {
    const old = {
      unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
      organisationName: 'Ủy ban nhân dân xã Demo',
      counterNo: 1,
      centralUrl: 'http://127.0.0.1:8787',
      locale: 'vi',
      signatureAppearance: { kind: 'copy-stamp', copyForm: 'SAO LỤC' },
      retention: { filesDaysAfterAck: 0, dossiersDaysAfterClose: 30, applicantsDaysUnseen: 90 },
    };
    const parsed = counterConfigSchema.parse(old);
    expect(parsed.copySigning).toBeUndefined();
    expect(parsed.signatureAppearance).toEqual({ kind: 'copy-stamp', copyForm: 'SAO LỤC' });
    expect(counterConfigSchema.parse({ ...old, copySigning: { defaultSigner: 'personal', personalAppearance: 'none' } }).copySigning).toEqual({ defaultSigner: 'personal', personalAppearance: 'none' });
    expect(counterConfigSchema.safeParse({ ...old, copySigning: { defaultSigner: 'clerk' } }).success).toBe(false);
  });
});

describe('what the dossier records', () => {
  const clerk = { subject: 'CN=Nguyễn Thị Lan, O=UBND xã Demo', subjectCommonName: 'Nguyễn Thị Lan', issuer: 'CN=Test CA', serialNumber: '0a1b' };
  const centre = { subject: 'CN=UBND xã Demo', subjectCommonName: 'UBND xã Demo', issuer: 'CN=Test CA', serialNumber: '0c' };

  it('one record per certificate with the components it signed, in order', () => {
    expect(
      copySignatureRecords([
        { componentCode: 'TK', role: 'personal', certificate: clerk },
        { componentCode: 'GT', role: 'organisation', certificate: centre },
        { componentCode: 'CC', role: 'personal', certificate: clerk },
      ]),
    ).toEqual([
      { role: 'personal', ...clerk, components: ['TK', 'CC'] },
      { role: 'organisation', ...centre, components: ['GT'] },
    ]);
    expect(copySignatureRecords([])).toEqual([]);
  });
});

describe('the sync commit', () => {
  const file = { bytes: new Uint8Array([1, 2, 3]), uploadUrl: 'http://central/files/1' };
  const records = [{ role: 'personal' as const, subject: 'CN=Nguyễn Thị Lan', subjectCommonName: 'Nguyễn Thị Lan', issuer: 'CN=Test CA', serialNumber: '0a1b', components: ['TP1'] }];
  const digitization = { confirmedAt: '2026-12-06T09:00:00+07:00', components: [{ code: 'TP1', images: 3, notePairs: 1, inputPages: 2, paperPages: 3, mismatchAcknowledged: true }] };

  it('carries the signing certificates and the confirmed page counts to the central, and stays valid without them', () => {
    const withRecords = dossierCommitSchema.parse(makeCommit(crypto.randomUUID(), [file], { copySignatures: records, digitization }));
    expect(withRecords.copySignatures).toEqual(records);
    expect(withRecords.digitization).toEqual(digitization);
    const older = dossierCommitSchema.parse(makeCommit(crypto.randomUUID(), [file]));
    expect(older.copySignatures).toBeUndefined();
    expect(older.digitization).toBeUndefined();
    expect(dossierCommitSchema.safeParse(makeCommit(crypto.randomUUID(), [file], { copySignatures: [{ ...records[0], role: 'clerk' }] })).success).toBe(false);
  });
});
