/**
 * Devices and enrollment: the counter's credential, the central's device checks, enrollment by an installer, the
 * back office's admin login.
 */
export const messagesDevices = {
  vi: {
    DEVICE_CREDENTIAL_SEALED: 'Khóa đăng ký của máy quầy được bảo vệ bằng kho khóa của hệ điều hành và chỉ ứng dụng trên đúng máy, đúng tài khoản này mới mở được ({{kind}}). Hãy chạy ứng dụng quầy; nếu vẫn lỗi (máy cài lại, đổi tài khoản), hãy nhờ bộ phận CNTT đăng ký lại máy với mã mới.',
    DEVICE_UNAUTHENTICATED: 'Máy này chưa được đăng ký với hệ thống trung tâm (hoặc mã xác thực không đúng). Hồ sơ vẫn được giữ trên máy; hãy báo bộ phận CNTT đăng ký lại máy.',
    DEVICE_REVOKED: 'Hệ thống trung tâm đã thu hồi quyền kết nối của máy này. Hồ sơ vẫn được giữ trên máy; hãy báo bộ phận CNTT đăng ký lại máy.',
    DEVICE_FORBIDDEN: 'Hồ sơ {{dossierId}} không thuộc đơn vị của máy này nên trung tâm từ chối. Hãy kiểm tra đơn vị tiếp nhận hoặc báo bộ phận CNTT.',
    DEVICE_UNIT_MISMATCH: 'Máy được đăng ký với trung tâm cho {{deviceUnitName}} ({{deviceUnit}}), quầy {{deviceCounter}}, nhưng ứng dụng đang cấu hình cho {{unitName}} ({{unit}}), quầy {{counter}}: trung tâm sẽ từ chối mọi hồ sơ của quầy này. Hồ sơ vẫn được giữ trên máy; hãy báo bộ phận CNTT.',
    ENROLLMENT_CODE_INVALID: 'Mã đăng ký máy không dùng được ({{reason}}). Hãy xin bộ phận CNTT một mã mới.',
    ENROLLMENT_CODE_EXPIRED: 'Mã đăng ký máy {{code}} đã hết hạn (hạn dùng do bộ phận CNTT đặt khi cấp mã). Máy chưa được đăng ký. Hãy xin bộ phận CNTT một mã mới (motcua central enroll-code) rồi đăng ký lại.',
    ENROLLMENT_CODE_USED: 'Mã đăng ký máy {{code}} đã được dùng cho một máy khác (mỗi mã chỉ dùng một lần). Máy này chưa được đăng ký. Hãy xin bộ phận CNTT một mã mới; nếu chính máy này đã đăng ký trước đó, không cần đăng ký lại.',
    ENROLLMENT_CODE_UNKNOWN: 'Trung tâm {{central}} không biết mã đăng ký {{code}}. Hãy kiểm tra từng ký tự (không có chữ O, I, số 0, 1) và đúng địa chỉ trung tâm; nếu vẫn sai, xin bộ phận CNTT mã mới.',
    ENROLLMENT_UNIT_MISMATCH: 'Mã đăng ký này được cấp cho {{codeUnit}}, quầy {{codeCounter}}, không phải {{expectedUnit}}, quầy {{expectedCounter}} như đã khai cho máy này. Mã chưa bị dùng và máy chưa được đăng ký. Hãy kiểm tra đơn vị/số quầy (trong lệnh hoặc config.json) hoặc xin đúng mã.',
    ENROLLMENT_COUNTER_TAKEN: 'Quầy số {{counter}} của {{unitName}} ({{unit}}) đã có máy "{{holder}}" đăng ký từ {{since}}. Hai máy cùng số quầy sẽ cấp trùng mã hồ sơ, nên trung tâm không đăng ký máy thứ hai. Nếu máy cũ đã thay: thu hồi nó trước (motcua central revoke {{holderId}}); nếu không: dùng số quầy khác (cả trong config.json của máy này).',
    ENROLLMENT_CENTRAL_UNREACHABLE: 'Không kết nối được hệ thống trung tâm {{central}} ({{reason}}). Máy chưa được đăng ký và mã vẫn còn dùng được. Hãy kiểm tra mạng, địa chỉ trung tâm và tường lửa rồi thử lại.',
    ENROLLMENT_CLOCK_SKEW: 'Đồng hồ máy này lệch {{skewMinutes}} phút so với hệ thống trung tâm (giờ máy: {{local}}, giờ trung tâm: {{central}}; cho phép tối đa {{maxMinutes}} phút). Chứng thư số, hạn trả kết quả và mã hồ sơ đều dựa vào giờ đúng, nên chưa đăng ký. Hãy chỉnh giờ Windows (bật "Đặt giờ tự động") rồi thử lại.',
    ENROLLMENT_ALREADY_ENROLLED: 'Máy này đã được đăng ký với trung tâm {{central}} ({{unitName}}, quầy {{counter}}, mã thiết bị {{deviceId}}). Không đăng ký lại. Nếu thật sự cần, bộ phận CNTT thu hồi máy ở trung tâm rồi xóa tệp {{file}} trước.',
    ADMIN_UNAUTHENTICATED: 'Thiếu hoặc sai mã quản trị của hệ thống trung tâm. Hãy dùng đúng mã quản trị (MOTCUA_CENTRAL_ADMIN_TOKEN).',
  },
  en: {
    DEVICE_CREDENTIAL_SEALED: 'This counter\'s enrollment credential is sealed by the operating system\'s key store and opens only in the counter app, on this PC and account ({{kind}}). Run the counter app; if it still fails (reinstalled PC, another account), ask IT to enroll the PC again with a new code.',
    DEVICE_UNAUTHENTICATED: 'This PC is not enrolled with the central system (or its credential is wrong). Dossiers stay on this PC; ask IT to enroll it again.',
    DEVICE_REVOKED: 'The central system revoked this PC’s access. Dossiers stay on this PC; ask IT to enroll it again.',
    DEVICE_FORBIDDEN: 'Dossier {{dossierId}} does not belong to this PC’s unit, so the central refused. Check the receiving unit or contact IT.',
    DEVICE_UNIT_MISMATCH: 'This PC is enrolled with the central for {{deviceUnitName}} ({{deviceUnit}}), counter {{deviceCounter}}, but the app is configured for {{unitName}} ({{unit}}), counter {{counter}}: the central will refuse every dossier of this counter. Dossiers stay on this PC; contact IT.',
    ENROLLMENT_CODE_INVALID: 'The enrollment code cannot be used ({{reason}}). Ask IT for a new code.',
    ENROLLMENT_CODE_EXPIRED: 'Enrollment code {{code}} has expired (IT set its validity when issuing it). This PC is not enrolled. Ask IT for a new code (motcua central enroll-code) and enroll again.',
    ENROLLMENT_CODE_USED: 'Enrollment code {{code}} was already used by another PC (each code works once). This PC is not enrolled. Ask IT for a new code; if this very PC enrolled before, there is nothing to do.',
    ENROLLMENT_CODE_UNKNOWN: 'The central {{central}} does not know enrollment code {{code}}. Check each character (there is no O, I, 0 or 1) and the central’s address; if it is still refused, ask IT for a new code.',
    ENROLLMENT_UNIT_MISMATCH: 'This enrollment code was issued for {{codeUnit}}, counter {{codeCounter}}, not {{expectedUnit}}, counter {{expectedCounter}} as stated for this PC. The code was not used and this PC is not enrolled. Check the unit/counter (on the command line or in config.json) or ask for the right code.',
    ENROLLMENT_COUNTER_TAKEN: 'Counter {{counter}} of {{unitName}} ({{unit}}) already has the PC "{{holder}}", enrolled since {{since}}. Two PCs with one counter number would issue the same dossier codes, so the central does not enroll a second. If the old PC was replaced, revoke it first (motcua central revoke {{holderId}}); otherwise use another counter number (in this PC’s config.json too).',
    ENROLLMENT_CENTRAL_UNREACHABLE: 'The central system {{central}} cannot be reached ({{reason}}). This PC is not enrolled and the code is still valid. Check the network, the central’s address and the firewall, then try again.',
    ENROLLMENT_CLOCK_SKEW: 'This PC’s clock is {{skewMinutes}} minutes off the central’s (PC: {{local}}, central: {{central}}; at most {{maxMinutes}} minutes allowed). Certificates, deadlines and dossier codes depend on the right time, so nothing was enrolled. Set the Windows clock (turn on "Set time automatically") and try again.',
    ENROLLMENT_ALREADY_ENROLLED: 'This PC is already enrolled with the central {{central}} ({{unitName}}, counter {{counter}}, device id {{deviceId}}). Not enrolled again. If really needed, IT revokes it at the central and deletes {{file}} first.',
    ADMIN_UNAUTHENTICATED: 'The central’s admin token is missing or wrong. Use the right admin token (MOTCUA_CENTRAL_ADMIN_TOKEN).',
  },
} as const;
