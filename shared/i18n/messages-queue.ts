/** Messages for the error codes added by the local queue and sync engine (merged into the catalog by the lead). */
export const messagesQueue = {
  vi: {
    STORAGE_DAMAGED:
      'Dữ liệu tệp "{{name}}" (hồ sơ {{code}}) lưu trong máy bị hỏng, không gửi được. Hãy quét lại thành phần này hoặc báo bộ phận CNTT.',
    CENTRAL_UPLOAD_STALLED:
      'Đường truyền bị treo khi gửi tệp "{{file}}" (không có dữ liệu đi qua trong {{seconds}} giây). Máy sẽ tự gửi tiếp từ chỗ đã dừng; không cần làm gì. Nếu lặp lại nhiều lần, hãy báo bộ phận CNTT kiểm tra mạng.',
  },
  en: {
    STORAGE_DAMAGED:
      'The stored file "{{name}}" of dossier {{code}} is damaged on this computer and cannot be sent. Rescan this component or contact IT.',
    CENTRAL_UPLOAD_STALLED:
      'The link stalled while sending "{{file}}" (nothing got through for {{seconds}} seconds). Sending resumes by itself from where it stopped; nothing to do. If it keeps happening, ask IT to check the network.',
  },
} as const;
