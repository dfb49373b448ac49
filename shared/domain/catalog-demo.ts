/**
 * A small demo catalog of real commune-level procedures (Ministry of Justice: civil status and
 * certification), used by the demo, the tests and the first-run configuration. A deployment loads its
 * province's published catalog instead; nothing else in the app may assume these entries exist.
 *
 * Facts were checked against public pages found while writing this file; each entry's `source` says which,
 * and marks with "UNCONFIRMED" what no primary or government page confirmed. The dichvucong.gov.vn
 * procedure pages themselves could not be opened from the build machine.
 *
 * Same-day procedures ("ngay trong ngày"; after 15:00 → the next working day) are modelled as
 * `{ amount: 0, unit: 'working-days' }`; the cut-off time is a working rule (appointment.ts), not catalog
 * data. Extensions allowed by law (verification, many pages) are not modelled: the clerk edits the
 * appointment when they apply — see `timeLimitNotes`.
 */
import type { Procedure } from './procedure';

const SAME_DAY = { amount: 0, unit: 'working-days' } as const;

export const demoCatalog: readonly Procedure[] = [
  {
    code: '1.001193',
    name: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
    level: 'commune',
    timeLimit: SAME_DAY,
    components: [
      { code: 'KS-01', name: 'Tờ khai đăng ký khai sinh (theo mẫu)', required: true },
      {
        code: 'KS-02',
        name: 'Giấy chứng sinh; nếu không có: văn bản của người làm chứng xác nhận về việc sinh, hoặc giấy cam đoan về việc sinh',
        required: true,
      },
      { code: 'KS-03', name: 'Văn bản ủy quyền (khi ủy quyền đi đăng ký khai sinh)', required: false },
      {
        code: 'KS-04',
        name: 'Biên bản xác nhận việc trẻ bị bỏ rơi, hoặc văn bản chứng minh việc mang thai hộ (trong các trường hợp đó)',
        required: false,
      },
    ],
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
    timeLimit: SAME_DAY,
    components: [
      { code: 'KH-01', name: 'Tờ khai đăng ký kết hôn (theo mẫu)', required: true },
      {
        code: 'KH-02',
        name: 'Giấy xác nhận tình trạng hôn nhân (khi đăng ký kết hôn tại nơi không phải nơi thường trú)',
        required: false,
      },
      { code: 'KH-03', name: 'Bản sao giấy tờ chứng minh đã ly hôn hoặc người kia đã chết (nếu đã từng kết hôn)', required: false },
    ],
    source:
      'Same day, after 15:00 an appointment slip, up to 05 working days when the conditions must be verified: ' +
      'UBND phường Linh Chiểu procedure page (linhchieu.tpthuduc.hochiminhcity.gov.vn/cac-thu-tuc-hanh-chinh/dang-ky-ket-hon). ' +
      'UNCONFIRMED: code 1.000894 (secondary sources only); KH-03 inferred from the marital-status procedure.',
  },
  {
    code: '1.000656',
    name: 'Đăng ký khai tử',
    field: 'Hộ tịch',
    level: 'commune',
    timeLimit: SAME_DAY,
    components: [
      { code: 'KT-01', name: 'Tờ khai đăng ký khai tử (theo mẫu)', required: true },
      { code: 'KT-02', name: 'Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử do cơ quan có thẩm quyền cấp', required: true },
      { code: 'KT-03', name: 'Văn bản ủy quyền (khi ủy quyền đi đăng ký khai tử)', required: false },
    ],
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
    timeLimit: { amount: 3, unit: 'working-days' },
    components: [
      { code: 'XN-01', name: 'Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu)', required: true },
      {
        code: 'XN-02',
        name: 'Bản sao giấy tờ chứng minh đã ly hôn, hủy việc kết hôn hoặc người kia đã chết (nếu đã có vợ hoặc chồng)',
        required: false,
      },
      {
        code: 'XN-03',
        name: 'Giấy xác nhận tình trạng hôn nhân đã được cấp trước đây (khi xin cấp lại để dùng vào mục đích khác)',
        required: false,
      },
      { code: 'XN-04', name: 'Văn bản ủy quyền (khi ủy quyền thực hiện thủ tục)', required: false },
    ],
    source:
      'Code ("1.004873.000.00.00.H14") and "trong thời hạn 03 ngày làm việc": commune procedure page ' +
      'vunong.nguyenbinh.caobang.gov.vn/thu-tuc-hanh-chinh-cap-xa/thu-tuc-cap-giay-xac-nhan-tinh-trang-hon-nhan-964125; ' +
      'components: dichvucong.tayninh.gov.vn/ThuTuc/ChiTietThuTuc?ThuTucID=5073. Verification with another commune may ' +
      'take longer (not modelled).',
  },
  {
    code: '2.000815',
    name:
      'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam; cơ quan, tổ chức ' +
      'có thẩm quyền của nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ chức có thẩm ' +
      'quyền của nước ngoài cấp hoặc chứng nhận',
    field: 'Chứng thực',
    level: 'commune',
    timeLimit: SAME_DAY,
    components: [
      { code: 'CT-01', name: 'Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao', required: true },
      {
        code: 'CT-02',
        name: 'Bản sao cần chứng thực (nếu chỉ xuất trình bản chính thì cơ quan chứng thực chụp từ bản chính)',
        required: false,
      },
    ],
    source:
      'Code ("Ký hiệu thủ tục: 2.000815.000.00.00.H38"), name, components, "ngay trong ngày … hoặc trong ngày làm việc ' +
      'tiếp theo, nếu tiếp nhận yêu cầu sau 15 giờ", extension up to 02 working days: dichvucong.laocai.gov.vn ' +
      '/trang-chu/tra-cuu/chi-tiet-thu-tuc?ma-thu-tuc=47936; same rule on dichvucong.gov.vn ' +
      '(dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=207274). Fee 2.000 đ/page (from page 3: 1.000 đ, max 200.000 đ/copy).',
  },
];

/** What the bare `timeLimit` cannot say, per procedure code; shown to the clerk beside the appointment. */
export const timeLimitNotes: Readonly<Record<string, string>> = {
  '1.001193': 'Giải quyết ngay trong ngày; tiếp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo.',
  '1.000894':
    'Giải quyết ngay trong ngày; tiếp nhận sau 15 giờ thì hẹn ngày làm việc tiếp theo; cần xác minh điều kiện kết hôn thì không quá 05 ngày làm việc.',
  '1.000656': 'Giải quyết ngay trong ngày; tiếp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo.',
  '1.004873': '03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ; cần xác minh ở nơi cư trú khác thì lâu hơn.',
  '2.000815':
    'Trong ngày; tiếp nhận sau 15 giờ thì trong ngày làm việc tiếp theo; nhiều giấy tờ, nhiều trang hoặc phức tạp thì kéo dài không quá 02 ngày làm việc.',
};

export function findProcedure(code: string): Procedure | undefined {
  return demoCatalog.find((p) => p.code === code.trim());
}
