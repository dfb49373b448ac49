/** Messages for the error codes added by the local queue and sync engine (merged into the catalog by the lead). */
export const messagesQueue = {
  vi: {
    STORAGE_DAMAGED:
      'Dữ liệu tệp "{{name}}" (hồ sơ {{code}}) lưu trong máy bị hỏng, không gửi được. Hãy quét lại thành phần này hoặc báo bộ phận CNTT.',
  },
  en: {
    STORAGE_DAMAGED:
      'The stored file "{{name}}" of dossier {{code}} is damaged on this computer and cannot be sent. Rescan this component or contact IT.',
  },
} as const;
