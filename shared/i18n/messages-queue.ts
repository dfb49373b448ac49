/** Messages for the error codes added by the local queue and sync engine (merged into the catalog by the lead). */
export const messagesQueue = {
  vi: {
    STORAGE_DAMAGED:
      'Dữ liệu tệp "{{name}}" (hồ sơ {{code}}) lưu trong máy bị hỏng, không gửi được. Hãy quét lại thành phần này hoặc báo bộ phận CNTT.',
    DEVICE_CREDENTIAL_SEALED:
      'Khóa đăng ký của máy quầy được bảo vệ bằng kho khóa của hệ điều hành và chỉ ứng dụng trên đúng máy, đúng tài khoản này mới mở được ({{kind}}). Hãy chạy ứng dụng quầy; nếu vẫn lỗi (máy cài lại, đổi tài khoản), hãy nhờ bộ phận CNTT đăng ký lại máy với mã mới.',
    CENTRAL_UPLOAD_STALLED:
      'Đường truyền bị treo khi gửi tệp "{{file}}" (không có dữ liệu đi qua trong {{seconds}} giây). Máy sẽ tự gửi tiếp từ chỗ đã dừng; không cần làm gì. Nếu lặp lại nhiều lần, hãy báo bộ phận CNTT kiểm tra mạng.',
    STORAGE_DATABASE_REPLACED:
      'Cơ sở dữ liệu hồ sơ đang mở trên máy không phải cơ sở dữ liệu máy đã dùng trước đó (trước đó giữ {{held}} hồ sơ). Không tiếp nhận hồ sơ mới trên cơ sở dữ liệu này cho tới khi bộ phận CNTT kiểm tra và xác nhận.',
    STORAGE_LEDGER_DAMAGED:
      'Tệp ghi nhận cơ sở dữ liệu của máy quầy ({{path}}) bị hỏng nên không kiểm tra được dữ liệu hồ sơ trên máy ({{reason}}). Không xóa gì cả — hãy báo bộ phận CNTT.',
    SPOOL_FAILED:
      'Không ghi được bản lưu dự phòng của hồ sơ vào máy ({{reason}}), nên hồ sơ chưa được tiếp nhận. Hồ sơ chưa bị mất: hãy bấm lưu lại; nếu vẫn lỗi, báo bộ phận CNTT.',
    SPOOL_DAMAGED:
      'Bản lưu dự phòng của hồ sơ {{code}} trên máy bị hỏng ({{reason}}), không dùng để khôi phục được. Không xóa gì cả — hãy báo bộ phận CNTT.',
  },
  en: {
    STORAGE_DAMAGED:
      'The stored file "{{name}}" of dossier {{code}} is damaged on this computer and cannot be sent. Rescan this component or contact IT.',
    DEVICE_CREDENTIAL_SEALED:
      "This counter's enrollment credential is sealed by the operating system's key store and opens only in the counter app, on this PC and account ({{kind}}). Run the counter app; if it still fails (reinstalled PC, another account), ask IT to enroll the PC again with a new code.",
    CENTRAL_UPLOAD_STALLED:
      'The link stalled while sending "{{file}}" (nothing got through for {{seconds}} seconds). Sending resumes by itself from where it stopped; nothing to do. If it keeps happening, ask IT to check the network.',
    STORAGE_DATABASE_REPLACED:
      'The dossier database open on this PC is not the one this PC used before (which held {{held}} dossiers). Do not accept new dossiers on it until IT has checked and confirmed it.',
    STORAGE_LEDGER_DAMAGED:
      "The counter's database ledger ({{path}}) is damaged, so the dossier data on this PC cannot be checked ({{reason}}). Nothing was deleted — contact IT.",
    SPOOL_FAILED:
      'The backup copy of the dossier could not be written on this PC ({{reason}}), so the dossier was not accepted. Nothing is lost: save again; if it persists, contact IT.',
    SPOOL_DAMAGED:
      'The backup copy of dossier {{code}} on this PC is damaged ({{reason}}) and cannot be used to restore it. Nothing was deleted — contact IT.',
  },
} as const;
