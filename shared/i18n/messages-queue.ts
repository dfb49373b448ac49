/** Messages for the error codes added by the local queue and sync engine (merged into the catalog by the lead). */
export const messagesQueue = {
  vi: {
    STORAGE_DAMAGED:
      'Dữ liệu tệp "{{name}}" (hồ sơ {{code}}) lưu trong máy bị hỏng, không gửi được. Hãy quét lại thành phần này hoặc báo bộ phận CNTT.',
    DEVICE_CREDENTIAL_SEALED:
      'Khóa đăng ký của máy quầy được bảo vệ bằng kho khóa của hệ điều hành và chỉ ứng dụng trên đúng máy, đúng tài khoản này mới mở được ({{kind}}). Hãy chạy ứng dụng quầy; nếu vẫn lỗi (máy cài lại, đổi tài khoản), hãy nhờ bộ phận CNTT đăng ký lại máy với mã mới.',
    CENTRAL_UPLOAD_STALLED:
      'Đường truyền bị treo khi gửi tệp "{{file}}" (không có dữ liệu đi qua trong {{seconds}} giây). Máy sẽ tự gửi tiếp từ chỗ đã dừng; không cần làm gì. Nếu lặp lại nhiều lần, hãy báo bộ phận CNTT kiểm tra mạng.',
  },
  en: {
    STORAGE_DAMAGED:
      'The stored file "{{name}}" of dossier {{code}} is damaged on this computer and cannot be sent. Rescan this component or contact IT.',
    DEVICE_CREDENTIAL_SEALED:
      "This counter's enrollment credential is sealed by the operating system's key store and opens only in the counter app, on this PC and account ({{kind}}). Run the counter app; if it still fails (reinstalled PC, another account), ask IT to enroll the PC again with a new code.",
    CENTRAL_UPLOAD_STALLED:
      'The link stalled while sending "{{file}}" (nothing got through for {{seconds}} seconds). Sending resumes by itself from where it stopped; nothing to do. If it keeps happening, ask IT to check the network.',
  },
} as const;
