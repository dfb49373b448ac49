/**
 * The app itself: unexpected failures, the IPC contract, the counter's configuration (file, `motcua config`,
 * start-up checks) and the web host's access checks.
 */
export const messagesApp = {
  vi: {
    INTERNAL: 'Lỗi không mong muốn: {{message}}. Hãy báo bộ phận CNTT.',
    IPC_BAD_REQUEST: 'Yêu cầu nội bộ không hợp lệ ({{channel}}). Hãy báo bộ phận CNTT.',
    IPC_FORBIDDEN_SENDER: 'Yêu cầu nội bộ bị từ chối vì không đến từ ứng dụng.',
    CONFIG_INVALID: 'Tệp cấu hình quầy "{{file}}" không hợp lệ: {{issue}}. Quầy chưa khởi động; hãy báo bộ phận CNTT sửa tệp cấu hình.',
    CONFIG_MISSING: 'Quầy chưa được cấu hình: không có tệp cấu hình "{{file}}". Quầy chưa khởi động. Bộ phận CNTT cần tạo tệp này (xem docs/ARCHITECTURE.md, phần cấu hình quầy) rồi đăng ký máy với hệ thống trung tâm bằng lệnh: motcua enroll --central <địa chỉ trung tâm> --code <mã đăng ký>. Muốn chạy thử với cấu hình mẫu, dùng: npm start hoặc motcua host --demo.',
    CONFIG_CENTRAL_NOT_HTTPS: 'Địa chỉ hệ thống trung tâm "{{url}}" (tệp "{{file}}") không dùng HTTPS nên hồ sơ của công dân sẽ đi trên mạng không được mã hóa. Quầy chưa khởi động. Hãy báo bộ phận CNTT sửa "centralUrl" thành địa chỉ https://…; chỉ máy thử nghiệm trong phòng lab mới được đặt "allowHttpCentral": true.',
    CONFIG_KEY_UNKNOWN: 'Cấu hình không có mục "{{key}}". Hãy xem danh sách mục trong tài liệu cấu hình (docs/deployment.md) hoặc lệnh motcua config show.',
    CONFIG_VALUE_INVALID: 'Giá trị cho "{{key}}" không hợp lệ: {{issue}}. Tệp cấu hình không bị thay đổi. Hãy sửa giá trị rồi chạy lại lệnh.',
    WEB_HOST_TOKEN_INVALID: 'Trang này không được mở bằng đúng địa chỉ mà chương trình (motcua host) in ra khi khởi động: thiếu hoặc sai mã phiên. Không có thao tác nào được thực hiện. Hãy đóng thẻ này và mở lại đúng địa chỉ đầy đủ (cả phần sau dấu #) in trong cửa sổ lệnh; nếu chương trình đã khởi động lại, hãy dùng địa chỉ mới.',
    WEB_HOST_REQUEST_TOO_LARGE: 'Dữ liệu gửi đi quá lớn nên chương trình từ chối nhận ({{channel}}). Không có gì bị thay đổi. Hãy quét lại trang với độ phân giải thấp hơn; nếu vẫn lỗi, báo bộ phận CNTT.',
    WEB_HOST_SERVER_ERROR: 'Chương trình trên máy gặp lỗi khi xử lý yêu cầu ({{channel}}, mã HTTP {{status}}). Hãy thử lại; nếu vẫn lỗi, báo bộ phận CNTT (lỗi đã được ghi vào nhật ký của máy).',
    WEB_HOST_UNREACHABLE: 'Không liên lạc được với chương trình trên máy (motcua host) — có thể chương trình đã tắt. Hồ sơ đã lưu không bị mất. Hãy khởi động lại chương trình rồi mở lại địa chỉ nó in ra.',
  },
  en: {
    INTERNAL: 'Unexpected error: {{message}}. Contact IT.',
    IPC_BAD_REQUEST: 'Invalid internal request ({{channel}}). Contact IT.',
    IPC_FORBIDDEN_SENDER: 'Internal request refused: it did not come from the app.',
    CONFIG_INVALID: 'The counter configuration file "{{file}}" is invalid: {{issue}}. The counter did not start; ask IT to fix the file.',
    CONFIG_MISSING: 'The counter is not configured: there is no configuration file "{{file}}". The counter did not start. IT must create this file (see docs/ARCHITECTURE.md, counter configuration) and enroll this PC with the central: motcua enroll --central <central address> --code <enrollment code>. To try the app with the demo configuration, use npm start or motcua host --demo.',
    CONFIG_CENTRAL_NOT_HTTPS: 'The central address "{{url}}" (file "{{file}}") does not use HTTPS, so citizens’ dossiers would cross the network unencrypted. The counter did not start. Ask IT to set "centralUrl" to an https://… address; only a lab test machine may set "allowHttpCentral": true.',
    CONFIG_KEY_UNKNOWN: 'The configuration has no field "{{key}}". See the list of fields in the configuration docs (docs/deployment.md) or motcua config show.',
    CONFIG_VALUE_INVALID: 'The value for "{{key}}" is invalid: {{issue}}. The configuration file was not changed. Fix the value and run the command again.',
    WEB_HOST_TOKEN_INVALID: 'This page was not opened with the address the program (motcua host) printed when it started: the session token is missing or wrong. Nothing was done. Close this tab and open the full address printed in the terminal (including the part after #); if the program restarted, use the new address.',
    WEB_HOST_REQUEST_TOO_LARGE: 'The data sent was too large and the program refused it ({{channel}}). Nothing was changed. Scan the page at a lower resolution; if it persists, call IT.',
    WEB_HOST_SERVER_ERROR: 'The program on this PC failed while handling the request ({{channel}}, HTTP {{status}}). Try again; if it persists, call IT (the error was written to the PC’s log).',
    WEB_HOST_UNREACHABLE: 'The program on this PC (motcua host) does not answer — it may have stopped. Saved dossiers are not lost. Start the program again and open the address it prints.',
  },
} as const;
