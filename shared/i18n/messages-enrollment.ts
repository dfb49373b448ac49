/** Messages for issue 16's enrollment of a counter by an installer, `motcua config` and `motcua doctor`. */
export const messagesEnrollment = {
  vi: {
    ENROLLMENT_CODE_EXPIRED:
      'Mã đăng ký máy {{code}} đã hết hạn (hạn dùng do bộ phận CNTT đặt khi cấp mã). Máy chưa được đăng ký. Hãy xin bộ phận CNTT một mã mới (motcua central enroll-code) rồi đăng ký lại.',
    ENROLLMENT_CODE_USED:
      'Mã đăng ký máy {{code}} đã được dùng cho một máy khác (mỗi mã chỉ dùng một lần). Máy này chưa được đăng ký. Hãy xin bộ phận CNTT một mã mới; nếu chính máy này đã đăng ký trước đó, không cần đăng ký lại.',
    ENROLLMENT_CODE_UNKNOWN:
      'Trung tâm {{central}} không biết mã đăng ký {{code}}. Hãy kiểm tra từng ký tự (không có chữ O, I, số 0, 1) và đúng địa chỉ trung tâm; nếu vẫn sai, xin bộ phận CNTT mã mới.',
    ENROLLMENT_UNIT_MISMATCH:
      'Mã đăng ký này được cấp cho {{codeUnit}}, quầy {{codeCounter}}, không phải {{expectedUnit}}, quầy {{expectedCounter}} như đã khai cho máy này. Mã chưa bị dùng và máy chưa được đăng ký. Hãy kiểm tra đơn vị/số quầy (trong lệnh hoặc config.json) hoặc xin đúng mã.',
    ENROLLMENT_CENTRAL_UNREACHABLE:
      'Không kết nối được hệ thống trung tâm {{central}} ({{reason}}). Máy chưa được đăng ký và mã vẫn còn dùng được. Hãy kiểm tra mạng, địa chỉ trung tâm và tường lửa rồi thử lại.',
    ENROLLMENT_CLOCK_SKEW:
      'Đồng hồ máy này lệch {{skewMinutes}} phút so với hệ thống trung tâm (giờ máy: {{local}}, giờ trung tâm: {{central}}; cho phép tối đa {{maxMinutes}} phút). Chứng thư số, hạn trả kết quả và mã hồ sơ đều dựa vào giờ đúng, nên chưa đăng ký. Hãy chỉnh giờ Windows (bật "Đặt giờ tự động") rồi thử lại.',
    ENROLLMENT_ALREADY_ENROLLED:
      'Máy này đã được đăng ký với trung tâm {{central}} ({{unitName}}, quầy {{counter}}, mã thiết bị {{deviceId}}). Không đăng ký lại. Nếu thật sự cần, bộ phận CNTT thu hồi máy ở trung tâm rồi xóa tệp {{file}} trước.',
    CONFIG_KEY_UNKNOWN:
      'Cấu hình không có mục "{{key}}". Hãy xem danh sách mục trong tài liệu cấu hình (docs/deployment.md) hoặc lệnh motcua config show.',
    CONFIG_VALUE_INVALID:
      'Giá trị cho "{{key}}" không hợp lệ: {{issue}}. Tệp cấu hình không bị thay đổi. Hãy sửa giá trị rồi chạy lại lệnh.',
  },
  en: {
    ENROLLMENT_CODE_EXPIRED:
      'Enrollment code {{code}} has expired (IT set its validity when issuing it). This PC is not enrolled. Ask IT for a new code (motcua central enroll-code) and enroll again.',
    ENROLLMENT_CODE_USED:
      'Enrollment code {{code}} was already used by another PC (each code works once). This PC is not enrolled. Ask IT for a new code; if this very PC enrolled before, there is nothing to do.',
    ENROLLMENT_CODE_UNKNOWN:
      'The central {{central}} does not know enrollment code {{code}}. Check each character (there is no O, I, 0 or 1) and the central’s address; if it is still refused, ask IT for a new code.',
    ENROLLMENT_UNIT_MISMATCH:
      'This enrollment code was issued for {{codeUnit}}, counter {{codeCounter}}, not {{expectedUnit}}, counter {{expectedCounter}} as stated for this PC. The code was not used and this PC is not enrolled. Check the unit/counter (on the command line or in config.json) or ask for the right code.',
    ENROLLMENT_CENTRAL_UNREACHABLE:
      'The central system {{central}} cannot be reached ({{reason}}). This PC is not enrolled and the code is still valid. Check the network, the central’s address and the firewall, then try again.',
    ENROLLMENT_CLOCK_SKEW:
      'This PC’s clock is {{skewMinutes}} minutes off the central’s (PC: {{local}}, central: {{central}}; at most {{maxMinutes}} minutes allowed). Certificates, deadlines and dossier codes depend on the right time, so nothing was enrolled. Set the Windows clock (turn on "Set time automatically") and try again.',
    ENROLLMENT_ALREADY_ENROLLED:
      'This PC is already enrolled with the central {{central}} ({{unitName}}, counter {{counter}}, device id {{deviceId}}). Not enrolled again. If really needed, IT revokes it at the central and deletes {{file}} first.',
    CONFIG_KEY_UNKNOWN: 'The configuration has no field "{{key}}". See the list of fields in the configuration docs (docs/deployment.md) or motcua config show.',
    CONFIG_VALUE_INVALID: 'The value for "{{key}}" is invalid: {{issue}}. The configuration file was not changed. Fix the value and run the command again.',
  },
} as const;
