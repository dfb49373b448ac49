import { describe, expect, it } from 'vitest';
import { CURRENT_LEGAL_BASIS, LEGAL_BASIS_2018, LEGAL_BASIS_2025, legalBasisOf } from '../../../../shared/domain/legal-basis';
import { spooledDossierSchema } from '../../../../shared/ipc/contract';

describe('legal basis of a dossier', () => {
  it('is the 2025 circular for new dossiers', () => {
    expect(CURRENT_LEGAL_BASIS).toBe(LEGAL_BASIS_2025);
  });

  it('reads a dossier stored before the field existed as a 2018 dossier, never as the current one', () => {
    expect(legalBasisOf({})).toBe(LEGAL_BASIS_2018);
    expect(legalBasisOf({ legalBasis: LEGAL_BASIS_2025 })).toBe(LEGAL_BASIS_2025);
  });

  it('passes main\'s spool check with a known basis and fails it with an unknown one', () => {
    const dossier = {
      id: '6f1c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f',
      code: '000.00.01.H22-261206-0001',
      procedure: { code: '1.001193', name: 'Đăng ký khai sinh' },
      applicant: { fullName: 'Nguyễn Văn An', idNumber: '001087012345', phone: '0912345678', address: 'Xã Demo' },
      unit: { code: '000.00.01.H22', name: 'Xã Demo' },
      counterNo: 1,
      receivedAt: '2026-12-07T08:00:00+07:00',
      appointmentAt: '2026-12-08T08:00:00+07:00',
      components: [{ code: 'TK', name: 'Tờ khai', required: true, fileIds: ['f1'] }],
      createdAt: '2026-12-07T01:00:00.000Z',
    };
    expect(spooledDossierSchema.safeParse({ ...dossier, legalBasis: LEGAL_BASIS_2025 }).success).toBe(true);
    expect(spooledDossierSchema.safeParse(dossier).success).toBe(true);
    expect(spooledDossierSchema.safeParse({ ...dossier, legalBasis: '61/2018/NĐ-CP' }).success).toBe(false);
  });
});
