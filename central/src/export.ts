/**
 * A dossier in the national portal's `DongBoHoSoMC` shape (no official spec was found): the field names two
 * production integrations (OpenCPS v2, a Thanh Hóa one-stop system) agree on, dates as `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh. The central's
 * onward sync to the portal is then a transport, not a translation.
 */
import { bundledCatalog } from '../../shared/domain/catalog-demo';
import { toVietnamIso } from '../../shared/domain/time';
import { holderId, holderName } from '../../shared/domain/dossier';
import { reuseFlags, sourceOf, vneidAuthenticatedFlag } from '../../shared/domain/reception-duties';
import type { CounterEvent, DossierCommit, StatusChange } from '../../shared/sync/protocol';
import { dongBoHoSoMCSchema, type DongBoHoSoMC } from '../../shared/sync/portal-export';
import type { StoredDossier } from './store';

/** `yyyyMMddHHmmss` in Vietnam time (UTC+7, no daylight saving). */
export function portalDate(iso: string): string {
  return toVietnamIso(new Date(iso)).slice(0, 19).replace(/\D/g, '');
}

export function toDongBoHoSoMC(dossier: StoredDossier, history: readonly StatusChange[], events: readonly CounterEvent[], paths: { file(sha256: string): string; result(sha256: string): string }): DongBoHoSoMC {
  const record = dossier.record as DossierCommit;
  const code = dossier.code ?? record.code;
  const procedure = bundledCatalog.find((p) => p.code === record.procedure.code);
  const last = (status: number) => [...history].reverse().find((c) => c.status === status);
  const done = last(9);
  const returned = last(10);
  const handedOver = [...events].reverse().find((e) => e.kind === 'result-returned');
  const returnedEvent = handedOver?.kind === 'result-returned' ? (handedOver.method === 'post' ? '2' : '1') : undefined;

  // The appointment each change ran against: the commit's, moved by later changes that set a new one.
  let appointment = record.appointmentAt;
  const progress = history.map((change) => {
    if (change.newAppointmentAt) appointment = change.newAppointmentAt;
    return {
      MaHoSo: code,
      NguoiXuLy: change.actor,
      ChucDanh: '',
      ThoiDiemXuLy: portalDate(change.at),
      PhongBanXuLy: change.department,
      NoiDungXuLy: change.note,
      TrangThai: String(change.status),
      NgayBatDau: portalDate(change.at),
      NgayKetThucTheoQuyDinh: portalDate(appointment),
    };
  });

  // A supplement round: the request (status 5) and, if it came, the next "received" back into processing.
  const supplements = history.flatMap((change, index) => {
    if (change.status !== 5) return [];
    const answered = history.slice(index + 1).find((c) => c.status === 4);
    return [
      {
        NgayYeuCau: portalDate(change.at),
        NoiDungYeuCau: [change.note, ...change.supplementItems].filter(Boolean).join('; '),
        ...(answered ? { NgayTiepNhanBoSung: portalDate(answered.at) } : {}),
      },
    ];
  });

  const { applicant } = record;
  const submittedForHolder = Boolean(applicant.organisation ?? applicant.onBehalfOf);
  const submitter = submittedForHolder
    ? { NguoiUyQuyen: applicant.fullName, SoGiayToNguoiUyQuyen: applicant.idNumber, SoDienThoaiNguoiUyQuyen: applicant.phone, DiaChiNguoiUyQuyen: applicant.address }
    : {};
  const holderNumber = holderId(applicant);
  // The holder's personal number (1: 12-digit CCCD, 2: 9-digit ID); an organisation's tax code has no
  // known LoaiDinhDanh, so it goes in SoGiayToChuHoSo only.
  const holderIdentifiers = applicant.organisation || !holderNumber ? [] : [{ LoaiDinhDanh: holderNumber.length === 12 ? '1' : '2', SoDinhDanh: holderNumber }];

  const fees = (procedure?.fees ?? []).map((fee) => ({ TenPhiLePhi: fee.label, ...(fee.amountVnd === undefined ? {} : { MucPhi: fee.amountVnd }) }));

  return dongBoHoSoMCSchema.parse({
    MaHoSo: code,
    MaTTHC: record.procedure.code,
    TenTTHC: record.procedure.name,
    MaLinhVuc: '',
    TenLinhVuc: procedure?.field ?? '',
    KenhThucHien: '1',
    ChuHoSo: holderName(applicant),
    SoGiayToChuHoSo: holderNumber,
    LoaiDoiTuong: applicant.organisation ? '2' : '1',
    UyQuyen: submittedForHolder ? '1' : '0',
    ...submitter,
    Email: applicant.email ?? '',
    // The only phone the counter has: the submitter's (the holder's own is not asked for).
    SoDienThoai: applicant.phone,
    TrichYeuHoSo: `${record.procedure.name} — ${holderName(applicant)}`,
    NgayTiepNhan: portalDate(record.receivedAt),
    NgayHenTra: portalDate(dossier.appointmentAt ?? record.appointmentAt),
    ...(done ? { NgayKetThucXuLy: portalDate(done.at) } : {}),
    ...(returned ? { NgayTra: portalDate(returned.at) } : {}),
    TrangThaiHoSo: String(dossier.status),
    ...(returnedEvent ? { HinhThuc: returnedEvent } : {}),
    DonViXuLy: record.decidingAgency?.name ?? record.receivingUnit.name,
    HoSoCoThanhPhanSoHoa: dossier.files.length > 0 ? '1' : '0',
    // From the clerk's record (Decree 118 Art. 17.1.a); "0" when it says "not checked" or has no record.
    TaiKhoanDuocXacThucVoiVNeID: vneidAuthenticatedFlag(record.receptionDuties),
    DinhDanhCHS: holderIdentifiers,
    TaiLieuNop: dossier.files.map((f) => ({
      TepDinhKemId: f.sha256,
      TenTepDinhKem: f.name,
      MaThanhPhanHoSo: f.componentCode,
      DuongDanTaiTepTin: paths.file(f.sha256),
      DuocSoHoa: '1',
      // Per component as the clerk recorded it (Art. 17.1.b); paper ("0", "0") when not recorded.
      ...reuseFlags(sourceOf(record.receptionDuties, f.componentCode)),
    })),
    DanhSachLePhi: fees,
    DanhSachHoSoBoSung: supplements,
    DanhSachGiayToKetQua: history.flatMap((c) => c.resultFiles).map((f) => ({ TenGiayTo: f.name, MaGiayToKetQua: f.sha256, DuongDanTepTinKetQua: paths.result(f.sha256) })),
    QuaTrinhXuLy: progress,
  });
}
