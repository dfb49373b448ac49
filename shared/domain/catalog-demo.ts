/**
 * The bundled catalog: real commune- and province-level procedures (civil status, certification, social
 * protection, household business, construction, land, judicial records, enterprise registration), used
 * by the demo, the tests and the first run. A deployment loads its province's published catalog (pulled
 * from the central) instead; nothing else in the app may assume these entries exist.
 *
 * Each entry's `source` says where its facts come from. "UNCONFIRMED: …" marks what no government page
 * opened while writing confirmed — for most entries, the national code (MaTTHC) itself. Those entries
 * were written from the laws they cite and must be checked against dichvucong.gov.vn before production.
 *
 * Same-day procedures ("ngay trong ngày"; after 15:00 → the next working day) are modelled as
 * `{ amount: 0, unit: 'working-days' }`; the cut-off is a working rule (appointment.ts), not catalog data.
 * Extensions allowed by law (verification, many pages) are not modelled in the amount: `timeLimit.note`
 * says them, and the clerk edits the appointment when they apply.
 */
import type { CopyType, Procedure, ProcedureComponent } from './procedure';

const SAME_DAY_NOTE = 'Giải quyết ngay trong ngày; tiếp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo.';

function sameDay(note: string = SAME_DAY_NOTE): Procedure['timeLimit'] {
  return { amount: 0, unit: 'working-days', note };
}

function part(code: string, name: string, required: boolean, copyType?: CopyType): ProcedureComponent {
  return copyType ? { code, name, required, copyType } : { code, name, required };
}

const HO_TICH_LAW = ['Luật Hộ tịch số 60/2014/QH13', 'Nghị định số 123/2015/NĐ-CP', 'Thông tư số 04/2020/TT-BTP'];
const CHUNG_THUC_LAW = ['Nghị định số 23/2015/NĐ-CP', 'Thông tư số 01/2020/TT-BTP', 'Thông tư số 226/2016/TT-BTC'];
const UBND_XA = 'Ủy ban nhân dân cấp xã';
const FROM_LAW =
  'UNCONFIRMED: the national code was not found on a government page during this session; it and the facts were ' +
  'written from the cited law and must be checked against dichvucong.gov.vn.';

const civilStatus: Procedure[] = [
  {
    code: '1.001193',
    name: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: sameDay(),
    components: [
      part('KS-01', 'Tờ khai đăng ký khai sinh (theo mẫu)', true, 'original'),
      part(
        'KS-02',
        'Giấy chứng sinh; nếu không có: văn bản của người làm chứng xác nhận về việc sinh, hoặc giấy cam đoan về việc sinh',
        true,
        'original',
      ),
      part('KS-03', 'Văn bản ủy quyền (khi ủy quyền đi đăng ký khai sinh)', false, 'original'),
      part(
        'KS-04',
        'Biên bản xác nhận việc trẻ bị bỏ rơi, hoặc văn bản chứng minh việc mang thai hộ (trong các trường hợp đó)',
        false,
        'original',
      ),
    ],
    fees: [{ label: 'Lệ phí', text: 'Miễn lệ phí khi đăng ký đúng hạn; quá hạn theo mức Hội đồng nhân dân tỉnh quy định.' }],
    results: ['Giấy khai sinh (bản chính)'],
    legalBasis: HO_TICH_LAW,
    source:
      'Components and same-day handling: Luật Hộ tịch 2014 Art. 16 ("ngay sau khi nhận đủ giấy tờ"), as quoted at ' +
      'thuvienphapluat.vn/hoi-dap-phap-luat/7274-hd-thu-tuc-dang-ky-khai-sinh.html; procedure republished by Decision ' +
      '528/QĐ-BTP (10/4/2023). UNCONFIRMED: the code 1.001193 was found only in several independent projects that link ' +
      'dichvucong.gov.vn with "ma_thu_tuc=1.001193", not on a government page; the 15:00 cut-off for this procedure ' +
      'was seen on ward pages for kết hôn and khai tử, not for khai sinh.',
  },
  {
    code: '1.000894',
    name: 'Đăng ký kết hôn',
    field: 'Hộ tịch',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: sameDay(
      'Giải quyết ngay trong ngày; tiếp nhận sau 15 giờ thì hẹn ngày làm việc tiếp theo; cần xác minh điều kiện kết hôn thì không quá 05 ngày làm việc.',
    ),
    components: [
      part('KH-01', 'Tờ khai đăng ký kết hôn (theo mẫu)', true, 'original'),
      part(
        'KH-02',
        'Giấy xác nhận tình trạng hôn nhân (khi đăng ký kết hôn tại nơi không phải nơi thường trú)',
        false,
        'original',
      ),
      part('KH-03', 'Bản sao giấy tờ chứng minh đã ly hôn hoặc người kia đã chết (nếu đã từng kết hôn)', false, 'certified-copy'),
    ],
    fees: [{ label: 'Lệ phí', text: 'Miễn lệ phí đăng ký kết hôn trong nước (Thông tư 85/2019/TT-BTC).' }],
    results: ['Giấy chứng nhận kết hôn (bản chính, mỗi bên vợ, chồng một bản)'],
    legalBasis: HO_TICH_LAW,
    source:
      'Same day, after 15:00 an appointment slip, up to 05 working days when the conditions must be verified: ' +
      'UBND phường Linh Chiểu procedure page (linhchieu.tpthuduc.hochiminhcity.gov.vn/cac-thu-tuc-hanh-chinh/dang-ky-ket-hon). ' +
      'UNCONFIRMED: code 1.000894 (secondary sources only); KH-03 inferred from the marital-status procedure; fee wording.',
  },
  {
    code: '1.000656',
    name: 'Đăng ký khai tử',
    field: 'Hộ tịch',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: sameDay(),
    components: [
      part('KT-01', 'Tờ khai đăng ký khai tử (theo mẫu)', true, 'original'),
      part('KT-02', 'Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử do cơ quan có thẩm quyền cấp', true, 'original'),
      part('KT-03', 'Văn bản ủy quyền (khi ủy quyền đi đăng ký khai tử)', false, 'original'),
    ],
    fees: [{ label: 'Lệ phí', text: 'Miễn lệ phí khi đăng ký đúng hạn.' }],
    results: ['Trích lục khai tử (bản chính)'],
    legalBasis: HO_TICH_LAW,
    source:
      'Components, same day and the 15:00 rule: UBND phường Linh Tây procedure page ' +
      '(linhtay.tpthuduc.hochiminhcity.gov.vn/thu-tuc-hanh-chinh/thu-tuc-dang-ky-khai-tu/ct/6073/10454); components also ' +
      'at luatminhgia.com.vn/hoi-dap-hon-nhan/thu-tuc-dang-ky-khai-tu.aspx. UNCONFIRMED: code 1.000656 (secondary sources only).',
  },
  {
    code: '1.004873',
    name: 'Cấp Giấy xác nhận tình trạng hôn nhân',
    field: 'Hộ tịch',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: {
      amount: 3,
      unit: 'working-days',
      note: '03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ; cần xác minh ở nơi cư trú khác thì lâu hơn.',
    },
    components: [
      part('XN-01', 'Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu)', true, 'original'),
      part(
        'XN-02',
        'Bản sao giấy tờ chứng minh đã ly hôn, hủy việc kết hôn hoặc người kia đã chết (nếu đã có vợ hoặc chồng)',
        false,
        'certified-copy',
      ),
      part(
        'XN-03',
        'Giấy xác nhận tình trạng hôn nhân đã được cấp trước đây (khi xin cấp lại để dùng vào mục đích khác)',
        false,
        'original',
      ),
      part('XN-04', 'Văn bản ủy quyền (khi ủy quyền thực hiện thủ tục)', false, 'original'),
    ],
    fees: [{ label: 'Lệ phí', text: 'Theo mức Hội đồng nhân dân tỉnh quy định.' }],
    results: ['Giấy xác nhận tình trạng hôn nhân'],
    legalBasis: HO_TICH_LAW,
    source:
      'Code ("1.004873.000.00.00.H14") and "trong thời hạn 03 ngày làm việc": commune procedure page ' +
      'vunong.nguyenbinh.caobang.gov.vn/thu-tuc-hanh-chinh-cap-xa/thu-tuc-cap-giay-xac-nhan-tinh-trang-hon-nhan-964125; ' +
      'components: dichvucong.tayninh.gov.vn/ThuTuc/ChiTietThuTuc?ThuTucID=5073. Verification with another commune may ' +
      'take longer (not modelled).',
  },
  {
    code: '1.001022',
    name: 'Đăng ký nhận cha, mẹ, con',
    field: 'Hộ tịch',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: {
      amount: 3,
      unit: 'working-days',
      note: '03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ; cần xác minh thì không quá 08 ngày làm việc.',
    },
    components: [
      part('NC-01', 'Tờ khai đăng ký nhận cha, mẹ, con (theo mẫu)', true, 'original'),
      part(
        'NC-02',
        'Giấy tờ, đồ vật hoặc chứng cứ khác chứng minh quan hệ cha, con hoặc mẹ, con (văn bản của cơ quan y tế, giám định…; nếu không có: thư từ, phim ảnh… và văn bản cam đoan có hai người làm chứng)',
        true,
        'original',
      ),
      part('NC-03', 'Văn bản ủy quyền (khi ủy quyền nộp hồ sơ)', false, 'original'),
    ],
    fees: [{ label: 'Lệ phí', text: 'Theo mức Hội đồng nhân dân tỉnh quy định (Đắk Lắk: 15.000 đồng/trường hợp; miễn cho một số đối tượng).' }],
    results: ['Trích lục đăng ký nhận cha, mẹ, con', 'Bản sao Trích lục đăng ký nhận cha, mẹ, con (nếu có yêu cầu)'],
    legalBasis: HO_TICH_LAW,
    source:
      'Code ("Ký hiệu thủ tục: 1.001022.000.00.00.H15"), 03 working days, up to 08 with verification, results and fee: ' +
      'motcua.daklak.gov.vn/trang-chu/tra-cuu/chi-tiet-thu-tuc?ma-thu-tuc=25057; procedure steps: ' +
      'dichvucong.tayninh.gov.vn/ThuTuc/ChiTietThuTuc?ThuTucID=15553. Components from Luật Hộ tịch 2014 Art. 25 and ' +
      'Thông tư 04/2020/TT-BTP Art. 14 (as summarised on phuongquanghanh.campha.gov.vn).',
  },
  {
    code: '1.000689',
    name: 'Đăng ký khai sinh kết hợp nhận cha, mẹ, con',
    field: 'Hộ tịch',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: { amount: 3, unit: 'working-days', note: '03 ngày làm việc; cần xác minh thì kéo dài theo quy định.' },
    components: [
      part('KN-01', 'Tờ khai đăng ký khai sinh và Tờ khai đăng ký nhận cha, mẹ, con (theo mẫu)', true, 'original'),
      part(
        'KN-02',
        'Giấy chứng sinh; nếu không có: văn bản của người làm chứng hoặc giấy cam đoan về việc sinh',
        true,
        'original',
      ),
      part('KN-03', 'Giấy tờ, đồ vật hoặc chứng cứ khác chứng minh quan hệ cha, con hoặc mẹ, con', true, 'original'),
    ],
    fees: [{ label: 'Lệ phí', text: 'Khai sinh: miễn; nhận cha, mẹ, con: theo mức Hội đồng nhân dân tỉnh quy định.' }],
    results: ['Giấy khai sinh (bản chính)', 'Trích lục đăng ký nhận cha, mẹ, con'],
    legalBasis: HO_TICH_LAW,
    source:
      'Components, "03 ngày" and fees (10.000 đ at that ward): phuongquanghanh.campha.gov.vn/phuongquanghanh/' +
      'chi-tiet-thu-tuc-hanh-chinh/thu-tuc-dang-ky-khai-sinh-ket-hop-nhan-cha-me-con-23294. UNCONFIRMED: code 1.000689 ' +
      '(from memory of the national catalog, not seen on a government page).',
  },
  {
    code: '1.004859',
    name: 'Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc',
    field: 'Hộ tịch',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: {
      amount: 3,
      unit: 'working-days',
      note: 'Thay đổi, cải chính hộ tịch, xác định lại dân tộc: 03 ngày làm việc (cần xác minh thì không quá 06 ngày làm việc); bổ sung thông tin hộ tịch: ngay trong ngày.',
    },
    components: [
      part('CC-01', 'Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc (theo mẫu)', true, 'original'),
      part('CC-02', 'Giấy tờ liên quan làm căn cứ cho việc thay đổi, cải chính, bổ sung thông tin hộ tịch', true, 'certified-copy'),
      part('CC-03', 'Văn bản ủy quyền (khi ủy quyền nộp hồ sơ)', false, 'original'),
    ],
    fees: [{ label: 'Lệ phí', text: 'Theo mức Hội đồng nhân dân tỉnh quy định.' }],
    results: ['Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc'],
    legalBasis: HO_TICH_LAW,
    source:
      '03 working days for change/correction and same day for addition: Luật Hộ tịch 2014 Art. 28 and the Lai Châu ' +
      'procedure page dichvucong.laichau.gov.vn/dichvucong/bothutuc/chiTietThuTuc?maThuTuc=30428 (then a district-level ' +
      'version). Procedure guide: myslaw.com.vn/huong-dan-thu-tuc-thay-doi-cai-chinh-bo-sung-thong-tin-ho-tich-va-xac-dinh-lai-dan-toc. ' +
      'UNCONFIRMED: code 1.004859 and the 06-day verification extension (from memory).',
  },
  {
    code: '1.004884',
    name: 'Đăng ký lại khai sinh',
    field: 'Hộ tịch',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: { amount: 5, unit: 'working-days', note: '05 ngày làm việc kể từ ngày nhận đủ hồ sơ; cần xác minh thì kéo dài.' },
    components: [
      part('LK-01', 'Tờ khai đăng ký lại khai sinh (theo mẫu)', true, 'original'),
      part('LK-02', 'Bản sao Giấy khai sinh trước đây hoặc giấy tờ, tài liệu có nội dung liên quan', true, 'copy'),
      part('LK-03', 'Văn bản ủy quyền (khi ủy quyền nộp hồ sơ)', false, 'original'),
    ],
    fees: [{ label: 'Lệ phí', text: 'Theo mức Hội đồng nhân dân tỉnh quy định.' }],
    results: ['Giấy khai sinh (bản chính)'],
    legalBasis: HO_TICH_LAW,
    source: `Nghị định 123/2015/NĐ-CP Art. 24–26 (re-registration of a birth). ${FROM_LAW}`,
  },
  {
    code: '1.004837',
    name: 'Đăng ký giám hộ',
    field: 'Hộ tịch',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: { amount: 3, unit: 'working-days' },
    components: [
      part('GH-01', 'Tờ khai đăng ký giám hộ (theo mẫu)', true, 'original'),
      part('GH-02', 'Văn bản cử người giám hộ hoặc giấy tờ chứng minh điều kiện giám hộ đương nhiên', true, 'original'),
    ],
    fees: [{ label: 'Lệ phí', text: 'Theo mức Hội đồng nhân dân tỉnh quy định.' }],
    results: ['Trích lục đăng ký giám hộ'],
    legalBasis: HO_TICH_LAW,
    source: `Luật Hộ tịch 2014 Art. 20–21 (03 working days). ${FROM_LAW}`,
  },
  {
    code: '1.004845',
    name: 'Đăng ký chấm dứt giám hộ',
    field: 'Hộ tịch',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: { amount: 2, unit: 'working-days' },
    components: [
      part('CG-01', 'Tờ khai đăng ký chấm dứt giám hộ (theo mẫu)', true, 'original'),
      part('CG-02', 'Giấy tờ làm căn cứ chấm dứt việc giám hộ', true, 'certified-copy'),
    ],
    fees: [{ label: 'Lệ phí', text: 'Theo mức Hội đồng nhân dân tỉnh quy định.' }],
    results: ['Trích lục đăng ký chấm dứt giám hộ'],
    legalBasis: HO_TICH_LAW,
    source: `Luật Hộ tịch 2014 Art. 22 (02 working days). ${FROM_LAW}`,
  },
  {
    code: '1.004746',
    name: 'Đăng ký lại kết hôn',
    field: 'Hộ tịch',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: { amount: 5, unit: 'working-days', note: '05 ngày làm việc; cần xác minh thì kéo dài.' },
    components: [
      part('LH-01', 'Tờ khai đăng ký lại kết hôn (theo mẫu)', true, 'original'),
      part('LH-02', 'Bản sao Giấy chứng nhận kết hôn trước đây hoặc giấy tờ, tài liệu có nội dung liên quan', true, 'copy'),
    ],
    fees: [{ label: 'Lệ phí', text: 'Theo mức Hội đồng nhân dân tỉnh quy định.' }],
    results: ['Giấy chứng nhận kết hôn (bản chính)'],
    legalBasis: HO_TICH_LAW,
    source: `Nghị định 123/2015/NĐ-CP Art. 27 (re-registration of a marriage). ${FROM_LAW}`,
  },
  {
    code: '1.005461',
    name: 'Đăng ký lại khai tử',
    field: 'Hộ tịch',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: { amount: 5, unit: 'working-days', note: '05 ngày làm việc; cần xác minh thì kéo dài.' },
    components: [
      part('LT-01', 'Tờ khai đăng ký lại khai tử (theo mẫu)', true, 'original'),
      part('LT-02', 'Bản sao Giấy chứng tử trước đây hoặc giấy tờ, tài liệu có nội dung liên quan', true, 'copy'),
    ],
    fees: [{ label: 'Lệ phí', text: 'Theo mức Hội đồng nhân dân tỉnh quy định.' }],
    results: ['Trích lục khai tử (bản chính)'],
    legalBasis: HO_TICH_LAW,
    source: `Nghị định 123/2015/NĐ-CP Art. 28 (re-registration of a death). ${FROM_LAW}`,
  },
  {
    code: '2.000635',
    name: 'Cấp bản sao Trích lục hộ tịch',
    field: 'Hộ tịch',
    level: 'commune',
    agency: 'Cơ quan đang lưu giữ Sổ hộ tịch, Cơ sở dữ liệu hộ tịch',
    timeLimit: sameDay(),
    components: [
      part('TL-01', 'Tờ khai cấp bản sao Trích lục hộ tịch (theo mẫu)', true, 'original'),
      part('TL-02', 'Văn bản ủy quyền (khi ủy quyền yêu cầu cấp bản sao)', false, 'original'),
    ],
    fees: [{ label: 'Phí cấp bản sao', amountVnd: 8000, text: '8.000 đồng/bản sao (Thông tư 281/2016/TT-BTC).' }],
    results: ['Bản sao Trích lục hộ tịch'],
    legalBasis: HO_TICH_LAW,
    source: `Luật Hộ tịch 2014 Art. 63–64; fee "8.000đ/bản sao" seen on dvctt.phuongnguyenthaibinh.gov.vn. ${FROM_LAW}`,
  },
];

const certification: Procedure[] = [
  {
    code: '2.000815',
    name:
      'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam; cơ quan, tổ chức ' +
      'có thẩm quyền của nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ chức có thẩm ' +
      'quyền của nước ngoài cấp hoặc chứng nhận',
    field: 'Chứng thực',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: sameDay(
      'Trong ngày; tiếp nhận sau 15 giờ thì trong ngày làm việc tiếp theo; nhiều giấy tờ, nhiều trang hoặc phức tạp thì kéo dài không quá 02 ngày làm việc.',
    ),
    components: [
      part('CT-01', 'Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao', true, 'original'),
      part(
        'CT-02',
        'Bản sao cần chứng thực (nếu chỉ xuất trình bản chính thì cơ quan chứng thực chụp từ bản chính)',
        false,
        'photocopy',
      ),
    ],
    fees: [
      {
        label: 'Phí chứng thực bản sao',
        amountVnd: 2000,
        text: '2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản.',
      },
    ],
    results: ['Bản sao được chứng thực từ bản chính'],
    legalBasis: CHUNG_THUC_LAW,
    source:
      'Code ("Ký hiệu thủ tục: 2.000815.000.00.00.H38"), name, components, "ngay trong ngày … hoặc trong ngày làm việc ' +
      'tiếp theo, nếu tiếp nhận yêu cầu sau 15 giờ", extension up to 02 working days: dichvucong.laocai.gov.vn ' +
      '/trang-chu/tra-cuu/chi-tiet-thu-tuc?ma-thu-tuc=47936; same rule on dichvucong.gov.vn ' +
      '(dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=207274). Fee 2.000 đ/page (from page 3: 1.000 đ, max 200.000 đ/copy).',
  },
  {
    code: '2.000884',
    name:
      'Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ và trường hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)',
    field: 'Chứng thực',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: sameDay(
      'Trong ngày; tiếp nhận sau 15 giờ thì trong ngày làm việc tiếp theo (người tiếp nhận ghi phiếu hẹn rõ giờ, ngày trả kết quả).',
    ),
    components: [
      part('CK-01', 'Căn cước công dân/thẻ căn cước hoặc Hộ chiếu còn giá trị sử dụng', true, 'original'),
      part('CK-02', 'Giấy tờ, văn bản sẽ yêu cầu chứng thực chữ ký (kèm bản dịch tiếng Việt nếu bằng tiếng nước ngoài)', true, 'original'),
    ],
    fees: [{ label: 'Phí chứng thực chữ ký', amountVnd: 10000, text: '10.000 đồng/trường hợp (một hoặc nhiều chữ ký trong một giấy tờ, văn bản).' }],
    results: ['Giấy tờ, văn bản đã được chứng thực chữ ký'],
    legalBasis: CHUNG_THUC_LAW,
    source:
      'Name, same day/15:00 rule, fee 10.000 đ/trường hợp and components: huyendienbien.gov.vn/nongthonmoi/T/HC/View/' +
      'Thu-tuc-chung-thuc-chu-ky-trong-cac-giay-to-van-ban-ap-dung-cho-ca-truong-hop-chung-thuc and ' +
      'motcua.dienban.gov.vn (ItemId=545). UNCONFIRMED: code 2.000884 (from memory, not on those pages).',
  },
  {
    code: '2.000908',
    name: 'Cấp bản sao từ sổ gốc',
    field: 'Chứng thực',
    level: 'commune',
    agency: 'Cơ quan, tổ chức lập sổ gốc',
    timeLimit: sameDay(),
    components: [
      part('SG-01', 'Bản chính hoặc bản sao có chứng thực giấy tờ tùy thân của người yêu cầu', true, 'original'),
      part('SG-02', 'Giấy tờ chứng minh quan hệ với người được cấp bản chính (khi người khác yêu cầu)', false, 'certified-copy'),
    ],
    fees: [],
    results: ['Bản sao được cấp từ sổ gốc'],
    legalBasis: CHUNG_THUC_LAW,
    source:
      'Agency "Cơ quan, tổ chức lập sổ gốc", same day/15:00 rule, no fee, result: dichvucong.laocai.gov.vn/yenbai/tra-cuu/' +
      'chi-tiet-thu-tuc?ma-thu-tuc=26455. UNCONFIRMED: code 2.000908 and components (Nghị định 23/2015 Art. 16–17, from memory).',
  },
  {
    code: '2.001035',
    name: 'Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở',
    field: 'Chứng thực',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: { amount: 2, unit: 'working-days', note: 'Không quá 02 ngày làm việc kể từ ngày nhận đủ hồ sơ, trừ khi các bên có thỏa thuận khác.' },
    components: [
      part('HD-01', 'Dự thảo hợp đồng, giao dịch', true, 'original'),
      part('HD-02', 'Giấy tờ tùy thân của người yêu cầu chứng thực', true, 'certified-copy'),
      part('HD-03', 'Giấy chứng nhận quyền sở hữu, quyền sử dụng hoặc giấy tờ thay thế (tài sản có đăng ký)', true, 'certified-copy'),
    ],
    fees: [{ label: 'Phí chứng thực hợp đồng, giao dịch', amountVnd: 50000, text: '50.000 đồng/hợp đồng, giao dịch.' }],
    results: ['Hợp đồng, giao dịch được chứng thực'],
    legalBasis: CHUNG_THUC_LAW,
    source: `Nghị định 23/2015/NĐ-CP Art. 36–37 (02 working days); Thông tư 226/2016/TT-BTC (50.000 đ). ${FROM_LAW}`,
  },
  {
    code: '2.001019',
    name: 'Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch',
    field: 'Chứng thực',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: { amount: 2, unit: 'working-days' },
    components: [
      part('SD-01', 'Dự thảo hợp đồng, giao dịch sửa đổi, bổ sung, hủy bỏ', true, 'original'),
      part('SD-02', 'Hợp đồng, giao dịch đã được chứng thực', true, 'original'),
    ],
    fees: [{ label: 'Phí', amountVnd: 30000, text: '30.000 đồng/hợp đồng, giao dịch.' }],
    results: ['Hợp đồng, giao dịch sửa đổi, bổ sung, hủy bỏ được chứng thực'],
    legalBasis: CHUNG_THUC_LAW,
    source: `Nghị định 23/2015/NĐ-CP Art. 38; Thông tư 226/2016/TT-BTC. ${FROM_LAW}`,
  },
  {
    code: '2.001016',
    name: 'Sửa lỗi sai sót trong hợp đồng, giao dịch',
    field: 'Chứng thực',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: sameDay(),
    components: [
      part('SL-01', 'Hợp đồng, giao dịch đã được chứng thực có lỗi sai sót', true, 'original'),
      part('SL-02', 'Giấy tờ tùy thân của các bên tham gia', true, 'certified-copy'),
    ],
    fees: [{ label: 'Phí', amountVnd: 25000, text: '25.000 đồng/hợp đồng, giao dịch.' }],
    results: ['Hợp đồng, giao dịch đã được sửa lỗi sai sót'],
    legalBasis: CHUNG_THUC_LAW,
    source: `Nghị định 23/2015/NĐ-CP Art. 39; Thông tư 226/2016/TT-BTC. ${FROM_LAW}`,
  },
  {
    code: '2.001406',
    name: 'Chứng thực di chúc',
    field: 'Chứng thực',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: { amount: 2, unit: 'working-days' },
    components: [
      part('DC-01', 'Dự thảo di chúc', true, 'original'),
      part('DC-02', 'Giấy tờ tùy thân của người lập di chúc', true, 'certified-copy'),
      part('DC-03', 'Giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản (di chúc liên quan tài sản có đăng ký)', false, 'certified-copy'),
    ],
    fees: [{ label: 'Phí', amountVnd: 50000, text: '50.000 đồng/di chúc.' }],
    results: ['Di chúc được chứng thực'],
    legalBasis: CHUNG_THUC_LAW,
    source: `Nghị định 23/2015/NĐ-CP Art. 36–37 (wills). ${FROM_LAW}`,
  },
  {
    code: '2.001009',
    name: 'Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là động sản, quyền sử dụng đất, nhà ở',
    field: 'Chứng thực',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: { amount: 2, unit: 'working-days', note: 'Không quá 02 ngày làm việc; niêm yết 15 ngày trước khi chứng thực khi pháp luật yêu cầu.' },
    components: [
      part('PC-01', 'Dự thảo văn bản thỏa thuận phân chia di sản', true, 'original'),
      part('PC-02', 'Giấy chứng tử hoặc giấy tờ chứng minh người để lại di sản đã chết', true, 'certified-copy'),
      part('PC-03', 'Giấy tờ chứng minh quan hệ giữa người để lại di sản và người được hưởng di sản', true, 'certified-copy'),
      part('PC-04', 'Giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản', true, 'certified-copy'),
    ],
    fees: [{ label: 'Phí', amountVnd: 50000, text: '50.000 đồng/văn bản.' }],
    results: ['Văn bản thỏa thuận phân chia di sản được chứng thực'],
    legalBasis: CHUNG_THUC_LAW,
    source: `Nghị định 23/2015/NĐ-CP Art. 36–37 and 40. ${FROM_LAW}`,
  },
  {
    code: '2.000913',
    name: 'Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật',
    field: 'Chứng thực',
    level: 'commune',
    agency: UBND_XA,
    timeLimit: sameDay(),
    components: [
      part('CD-01', 'Bản dịch đính kèm giấy tờ, văn bản cần dịch', true, 'original'),
    ],
    fees: [{ label: 'Phí', amountVnd: 10000, text: '10.000 đồng/trường hợp.' }],
    results: ['Bản dịch được chứng thực chữ ký người dịch'],
    legalBasis: CHUNG_THUC_LAW,
    source: `Nghị định 23/2015/NĐ-CP Art. 30–33; decided by the Phòng Tư pháp before July 2025. ${FROM_LAW}`,
  },
];

const socialProtection: Procedure[] = [
  {
    code: '1.001776',
    name:
      'Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng',
    field: 'Bảo trợ xã hội',
    level: 'commune',
    agency: 'Chủ tịch Ủy ban nhân dân cấp xã',
    timeLimit: { amount: 20, unit: 'working-days', note: 'Bao gồm thời gian xét duyệt, niêm yết công khai tại cấp xã.' },
    components: [
      part('TC-01', 'Tờ khai đề nghị trợ giúp xã hội (theo mẫu Nghị định 20/2021/NĐ-CP)', true, 'original'),
      part('TC-02', 'Giấy tờ chứng minh thuộc đối tượng hưởng (giấy xác nhận khuyết tật, quyết định…) nếu có', false, 'copy'),
    ],
    fees: [],
    results: ['Quyết định trợ cấp xã hội hằng tháng hoặc văn bản trả lời'],
    legalBasis: ['Nghị định số 20/2021/NĐ-CP', 'Nghị định số 76/2024/NĐ-CP'],
    source: `Nghị định 20/2021/NĐ-CP Art. 7–8. UNCONFIRMED: the 20-working-day total after the July 2025 move to communes. ${FROM_LAW}`,
  },
  {
    code: '1.001699',
    name: 'Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật',
    field: 'Bảo trợ xã hội',
    level: 'commune',
    agency: 'Hội đồng xác định mức độ khuyết tật; Chủ tịch Ủy ban nhân dân cấp xã',
    timeLimit: { amount: 25, unit: 'working-days', note: 'Hội đồng xác định trong 20 ngày làm việc; cấp Giấy xác nhận trong 05 ngày làm việc sau đó.' },
    components: [
      part('KT-01', 'Đơn đề nghị xác định, xác định lại mức độ khuyết tật (theo mẫu)', true, 'original'),
      part('KT-02', 'Giấy tờ, hồ sơ y tế liên quan đến khuyết tật (nếu có)', false, 'copy'),
    ],
    fees: [],
    results: ['Giấy xác nhận khuyết tật'],
    legalBasis: ['Luật Người khuyết tật số 51/2010/QH12', 'Thông tư số 01/2019/TT-BLĐTBXH'],
    source: `Thông tư 01/2019/TT-BLĐTBXH Art. 3–6. ${FROM_LAW}`,
  },
  {
    code: '1.001653',
    name: 'Đổi, cấp lại Giấy xác nhận khuyết tật',
    field: 'Bảo trợ xã hội',
    level: 'commune',
    agency: 'Chủ tịch Ủy ban nhân dân cấp xã',
    timeLimit: { amount: 5, unit: 'working-days' },
    components: [
      part('DL-01', 'Đơn đề nghị đổi, cấp lại Giấy xác nhận khuyết tật (theo mẫu)', true, 'original'),
      part('DL-02', 'Giấy xác nhận khuyết tật cũ (khi đổi do hư hỏng)', false, 'original'),
    ],
    fees: [],
    results: ['Giấy xác nhận khuyết tật'],
    legalBasis: ['Luật Người khuyết tật số 51/2010/QH12', 'Thông tư số 01/2019/TT-BLĐTBXH'],
    source: `Thông tư 01/2019/TT-BLĐTBXH Art. 7. ${FROM_LAW}`,
  },
];

const HKD_LAW = ['Luật Doanh nghiệp số 59/2020/QH14', 'Nghị định số 168/2025/NĐ-CP về đăng ký doanh nghiệp'];

const business: Procedure[] = [
  {
    code: '2.000720',
    name: 'Đăng ký thành lập hộ kinh doanh',
    field: 'Thành lập và hoạt động của hộ kinh doanh',
    level: 'commune',
    agency: 'Cơ quan đăng ký kinh doanh cấp xã',
    timeLimit: { amount: 3, unit: 'working-days' },
    components: [
      part('HK-01', 'Giấy đề nghị đăng ký hộ kinh doanh (theo mẫu)', true, 'original'),
      part('HK-02', 'Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh (khi các thành viên cùng đăng ký)', false, 'certified-copy'),
      part('HK-03', 'Văn bản ủy quyền cho thành viên làm chủ hộ kinh doanh (nếu có)', false, 'certified-copy'),
    ],
    fees: [{ label: 'Lệ phí', text: 'Theo mức Hội đồng nhân dân tỉnh quy định.' }],
    results: ['Giấy chứng nhận đăng ký hộ kinh doanh'],
    legalBasis: HKD_LAW,
    source:
      'Three working days: Nghị định 01/2021/NĐ-CP Art. 87–88 (replaced by Nghị định 168/2025/NĐ-CP; since July 2025 the ' +
      `commune registers household businesses). ${FROM_LAW}`,
  },
  {
    code: '2.000575',
    name: 'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh',
    field: 'Thành lập và hoạt động của hộ kinh doanh',
    level: 'commune',
    agency: 'Cơ quan đăng ký kinh doanh cấp xã',
    timeLimit: { amount: 3, unit: 'working-days' },
    components: [
      part('TD-01', 'Thông báo thay đổi nội dung đăng ký hộ kinh doanh (theo mẫu)', true, 'original'),
      part('TD-02', 'Giấy chứng nhận đăng ký hộ kinh doanh đã cấp', false, 'original'),
    ],
    fees: [{ label: 'Lệ phí', text: 'Theo mức Hội đồng nhân dân tỉnh quy định.' }],
    results: ['Giấy chứng nhận đăng ký hộ kinh doanh (cấp mới theo nội dung thay đổi)'],
    legalBasis: HKD_LAW,
    source: `Nghị định 01/2021/NĐ-CP Art. 90. ${FROM_LAW}`,
  },
  {
    code: '1.001612',
    name: 'Tạm ngừng hoạt động, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh',
    field: 'Thành lập và hoạt động của hộ kinh doanh',
    level: 'commune',
    agency: 'Cơ quan đăng ký kinh doanh cấp xã',
    timeLimit: { amount: 3, unit: 'working-days' },
    components: [part('TN-01', 'Thông báo về việc tạm ngừng hoặc tiếp tục kinh doanh (theo mẫu)', true, 'original')],
    fees: [],
    results: ['Giấy xác nhận về việc hộ kinh doanh đăng ký tạm ngừng kinh doanh/tiếp tục kinh doanh'],
    legalBasis: HKD_LAW,
    source: `Nghị định 01/2021/NĐ-CP Art. 91. ${FROM_LAW}`,
  },
  {
    code: '2.001610',
    name: 'Đăng ký thành lập doanh nghiệp tư nhân',
    field: 'Thành lập và phát triển doanh nghiệp',
    level: 'province',
    agency: 'Phòng Đăng ký kinh doanh thuộc Sở Tài chính',
    timeLimit: { amount: 3, unit: 'working-days' },
    components: [
      part('DN-01', 'Giấy đề nghị đăng ký doanh nghiệp (theo mẫu)', true, 'original'),
      part('DN-02', 'Bản sao giấy tờ pháp lý của cá nhân là chủ doanh nghiệp tư nhân', true, 'certified-copy'),
    ],
    fees: [{ label: 'Lệ phí đăng ký doanh nghiệp', text: 'Theo Thông tư của Bộ Tài chính (miễn khi nộp trực tuyến trong thời gian áp dụng).' }],
    results: ['Giấy chứng nhận đăng ký doanh nghiệp'],
    legalBasis: HKD_LAW,
    source: `Luật Doanh nghiệp 2020 Art. 26 (03 working days). ${FROM_LAW}`,
  },
];

const others: Procedure[] = [
  {
    code: '1.009994',
    name: 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ',
    field: 'Hoạt động xây dựng',
    level: 'commune',
    agency: 'Ủy ban nhân dân cấp xã',
    timeLimit: { amount: 15, unit: 'days', note: '15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ; cần xem xét thêm thì kéo dài không quá 10 ngày.' },
    components: [
      part('XD-01', 'Đơn đề nghị cấp giấy phép xây dựng (theo mẫu)', true, 'original'),
      part('XD-02', 'Giấy tờ hợp pháp về đất đai', true, 'certified-copy'),
      part('XD-03', 'Hai bộ bản vẽ thiết kế xây dựng', true, 'original', ),
    ],
    fees: [{ label: 'Lệ phí cấp giấy phép xây dựng', text: 'Theo mức Hội đồng nhân dân tỉnh quy định.' }],
    results: ['Giấy phép xây dựng'],
    legalBasis: ['Luật Xây dựng số 50/2014/QH13 (sửa đổi 2020)', 'Nghị định số 175/2024/NĐ-CP'],
    source:
      'Luật Xây dựng 2014 Art. 102 as amended in 2020 (15 days for individual houses). UNCONFIRMED: code 1.009994 may ' +
      `be the generic new-permit code rather than the individual-house one. ${FROM_LAW}`,
  },
  {
    code: '1.012755',
    name: 'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất',
    field: 'Đất đai',
    level: 'province',
    agency: 'Văn phòng đăng ký đất đai / Chi nhánh Văn phòng đăng ký đất đai',
    timeLimit: { amount: 10, unit: 'working-days', note: 'Thời hạn tùy trường hợp biến động; xã miền núi, hải đảo cộng thêm.' },
    components: [
      part('DD-01', 'Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (theo mẫu)', true, 'original'),
      part('DD-02', 'Giấy chứng nhận đã cấp', true, 'original'),
      part('DD-03', 'Hợp đồng, văn bản về chuyển quyền đã được công chứng, chứng thực', true, 'original'),
    ],
    fees: [{ label: 'Lệ phí', text: 'Theo mức Hội đồng nhân dân tỉnh quy định.' }],
    results: ['Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất hoặc xác nhận biến động'],
    legalBasis: ['Luật Đất đai số 31/2024/QH15', 'Nghị định số 101/2024/NĐ-CP'],
    source:
      'UNCONFIRMED: code 1.012755 is a placeholder in the range used for the 2024 land-law procedures and must be replaced ' +
      'from the province\'s published catalog; components and 10 working days from Nghị định 101/2024/NĐ-CP as remembered.',
  },
  {
    code: '2.000488',
    name: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam',
    field: 'Lý lịch tư pháp',
    level: 'province',
    agency: 'Cơ quan quản lý cơ sở dữ liệu lý lịch tư pháp cấp tỉnh',
    timeLimit: { amount: 10, unit: 'days', note: 'Không quá 10 ngày; trường hợp phức tạp không quá 15 ngày.' },
    components: [
      part('LL-01', 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (theo mẫu)', true, 'original'),
      part('LL-02', 'Bản chụp giấy tờ tùy thân của người được cấp Phiếu', true, 'photocopy'),
      part('LL-03', 'Văn bản ủy quyền (khi ủy quyền làm thủ tục)', false, 'certified-copy'),
    ],
    fees: [{ label: 'Phí cung cấp thông tin lý lịch tư pháp', amountVnd: 200000, text: '200.000 đồng/lần/người (giảm, miễn cho một số đối tượng).' }],
    results: ['Phiếu lý lịch tư pháp'],
    legalBasis: ['Luật Lý lịch tư pháp số 28/2009/QH12', 'Thông tư số 244/2016/TT-BTC'],
    source:
      'Luật Lý lịch tư pháp 2009 Art. 48 (10 days, 15 in complex cases). UNCONFIRMED: code 2.000488; since 2025 the ' +
      `service moved from the Department of Justice to the provincial police, which may have changed the code. ${FROM_LAW}`,
  },
];

export const bundledCatalog: readonly Procedure[] = [...civilStatus, ...certification, ...socialProtection, ...business, ...others];


/** What the bare `timeLimit` cannot say, per procedure code; shown to the clerk beside the appointment. */
export const timeLimitNotes: Readonly<Record<string, string>> = Object.fromEntries(
  bundledCatalog.flatMap((p) => (p.timeLimit.note ? [[p.code, p.timeLimit.note] as const] : [])),
);

export function findProcedure(code: string, catalog: readonly Procedure[] = bundledCatalog): Procedure | undefined {
  return catalog.find((p) => p.code === code.trim());
}
