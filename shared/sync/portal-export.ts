/**
 * The national portal's dossier record (DongBoHoSoMC) as the central exports it: the answer of
 * `GET /api/v1/admin/dossiers/:id/export` (central/src/export.ts fills it). Here, beside the API contract, so the
 * contract and the OpenAPI document describe the answer with the schema the central validates it with.
 */
import { z } from 'zod';

const portalDateSchema = z.string().regex(/^\d{14}$/);
const optionalDate = portalDateSchema.optional();

const quaTrinhXuLySchema = z.object({
  MaHoSo: z.string(),
  NguoiXuLy: z.string(),
  ChucDanh: z.string(),
  ThoiDiemXuLy: portalDateSchema,
  PhongBanXuLy: z.string(),
  NoiDungXuLy: z.string(),
  TrangThai: z.string(),
  NgayBatDau: portalDateSchema,
  NgayKetThucTheoQuyDinh: optionalDate,
});

export const dongBoHoSoMCSchema = z.object({
  MaHoSo: z.string(),
  MaTTHC: z.string(),
  TenTTHC: z.string(),
  MaLinhVuc: z.string(),
  TenLinhVuc: z.string(),
  /** 1 in person (every dossier received at a counter). */
  KenhThucHien: z.string(),
  /** The holder (shared/domain/dossier.ts `holderName`): the organisation, the represented person, or the submitter. */
  ChuHoSo: z.string(),
  /** The holder's tax code or personal number ("" for a represented person whose number was not given). */
  SoGiayToChuHoSo: z.string(),
  /** 1 citizen, 2 enterprise/organisation. */
  LoaiDoiTuong: z.string(),
  /**
   * The person who brought the dossier in when it is not the holder (an organisation's employee, an
   * authorised person). Names as in a provincial production system (UNCONFIRMED for the national sync,
   * docs/central-api.md): `UyQuyen` "1" when someone submits for the holder, `NguoiUyQuyen` that submitter.
   */
  UyQuyen: z.enum(['0', '1']),
  NguoiUyQuyen: z.string().optional(),
  SoGiayToNguoiUyQuyen: z.string().optional(),
  SoDienThoaiNguoiUyQuyen: z.string().optional(),
  DiaChiNguoiUyQuyen: z.string().optional(),
  Email: z.string(),
  SoDienThoai: z.string(),
  TrichYeuHoSo: z.string(),
  NgayTiepNhan: portalDateSchema,
  NgayHenTra: portalDateSchema,
  NgayKetThucXuLy: optionalDate,
  NgayTra: optionalDate,
  TrangThaiHoSo: z.string(),
  /** How the result was handed over; UNCONFIRMED codes: "1" at the counter, "2" by post. */
  HinhThuc: z.string().optional(),
  DonViXuLy: z.string(),
  HoSoCoThanhPhanSoHoa: z.enum(['0', '1']),
  TaiKhoanDuocXacThucVoiVNeID: z.enum(['0', '1']),
  DinhDanhCHS: z.array(z.object({ LoaiDinhDanh: z.string(), SoDinhDanh: z.string() })),
  TaiLieuNop: z.array(
    z.object({
      TepDinhKemId: z.string(),
      TenTepDinhKem: z.string(),
      MaThanhPhanHoSo: z.string(),
      DuongDanTaiTepTin: z.string(),
      DuocSoHoa: z.enum(['0', '1']),
      DuocTaiSuDung: z.enum(['0', '1']),
      DuocLayTuKhoDMQG: z.enum(['0', '1']),
    }),
  ),
  DanhSachLePhi: z.array(z.object({ TenPhiLePhi: z.string(), MucPhi: z.number().optional() })),
  DanhSachHoSoBoSung: z.array(z.object({ NgayYeuCau: portalDateSchema, NoiDungYeuCau: z.string(), NgayTiepNhanBoSung: optionalDate })),
  DanhSachGiayToKetQua: z.array(z.object({ TenGiayTo: z.string(), MaGiayToKetQua: z.string(), DuongDanTepTinKetQua: z.string() })),
  QuaTrinhXuLy: z.array(quaTrinhXuLySchema),
});
export type DongBoHoSoMC = z.infer<typeof dongBoHoSoMCSchema>;
