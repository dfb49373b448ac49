import { describe, expect, it } from 'vitest';
import { recordReceptionDuties, receptionDutiesSchema, reuseFlags, sourceOf, vneidAuthenticatedFlag, vneidChecks } from '../../../../shared/domain/reception-duties';
import { spooledDossierSchema } from '../../../../shared/ipc/contract';

describe('reception duties (Decree 118 Art. 17.1.a–b)', () => {
  it('records the VNeID check and only the components that were not paper, dropping codes the procedure lacks', () => {
    const duties = recordReceptionDuties('level-2', { TP1: 'paper', TP2: 'reused-digitized', TP3: 'national-data-store', XX: 'reused-digitized' }, ['TP1', 'TP2', 'TP3']);
    expect(duties).toEqual({
      vneid: 'level-2',
      documents: [
        { componentCode: 'TP2', source: 'reused-digitized' },
        { componentCode: 'TP3', source: 'national-data-store' },
      ],
    });
    expect(sourceOf(duties, 'TP1')).toBe('paper');
    expect(sourceOf(duties, 'TP2')).toBe('reused-digitized');
  });

  it('reads a dossier without a record (received before it existed) as paper, not checked', () => {
    expect(sourceOf(undefined, 'TP1')).toBe('paper');
    expect(vneidAuthenticatedFlag(undefined)).toBe('0');
  });

  it('flags the account as authenticated for every check the clerk made, not for "not checked"', () => {
    const flags = Object.fromEntries(vneidChecks.map((vneid) => [vneid, vneidAuthenticatedFlag({ vneid, documents: [] })]));
    expect(flags).toEqual({ 'level-2': '1', 'level-1': '1', 'created-with-help': '1', 'principal-account': '1', 'not-checked': '0' });
    // The policy is a parameter: a province that counts only level 2 says so.
    expect(vneidAuthenticatedFlag({ vneid: 'level-1', documents: [] }, new Set(['level-2']))).toBe('0');
  });

  it('maps a source to the two national flags, never both', () => {
    expect(reuseFlags('paper')).toEqual({ DuocTaiSuDung: '0', DuocLayTuKhoDMQG: '0' });
    expect(reuseFlags('reused-digitized')).toEqual({ DuocTaiSuDung: '1', DuocLayTuKhoDMQG: '0' });
    expect(reuseFlags('national-data-store')).toEqual({ DuocTaiSuDung: '0', DuocLayTuKhoDMQG: '1' });
  });

  it('refuses unknown checks, unknown sources and a component listed twice', () => {
    expect(receptionDutiesSchema.safeParse({ vneid: 'level-3', documents: [] }).success).toBe(false);
    expect(receptionDutiesSchema.safeParse({ vneid: 'level-1', documents: [{ componentCode: 'TP1', source: 'photocopy' }] }).success).toBe(false);
    expect(
      receptionDutiesSchema.safeParse({
        vneid: 'level-1',
        documents: [
          { componentCode: 'TP1', source: 'reused-digitized' },
          { componentCode: 'TP1', source: 'paper' },
        ],
      }).success,
    ).toBe(false);
  });

  it('passes main’s strict spool check with the record, and without it', () => {
    const base = {
      id: '2f1f7a52-4a56-4c7e-9d0b-6b6f7f2d9a11',
      code: '000.00.01.H22-261201-0001',
      procedure: { code: '1.001234', name: 'Đăng ký khai sinh' },
      applicant: { fullName: 'Nguyễn Văn An', idNumber: '001203004567', phone: '0912345678', address: 'Hà Nội' },
      unit: { code: '000.00.01.H22', name: 'UBND xã Thử Nghiệm' },
      counterNo: 1,
      receivedAt: '2026-12-01T09:00:00+07:00',
      appointmentAt: '2026-12-04T09:00:00+07:00',
      components: [{ code: 'TP1', name: 'Tờ khai', required: true, fileIds: ['f1'] }],
      createdAt: '2026-12-01T02:00:00.000Z',
    };
    expect(spooledDossierSchema.safeParse(base).success).toBe(true);
    expect(spooledDossierSchema.safeParse({ ...base, receptionDuties: recordReceptionDuties('created-with-help', { TP1: 'national-data-store' }, ['TP1']) }).success).toBe(true);
    expect(spooledDossierSchema.safeParse({ ...base, receptionDuties: { vneid: 'level-2', documents: [], extra: 1 } }).success).toBe(false);
  });
});
