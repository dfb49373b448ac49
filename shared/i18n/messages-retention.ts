/** Messages for the retention of dossier files: bytes deleted from the counter once the central confirmed them. */
export const messagesRetention = {
  vi: {
    FILE_PURGED:
      'Tệp "{{name}}" của hồ sơ {{code}} đã được xóa khỏi máy sau khi trung tâm xác nhận đã nhận (bản gốc ở trung tâm). Đây không phải lỗi dữ liệu; nếu cần xem lại, hãy mở hồ sơ trên hệ thống trung tâm.',
  },
  en: {
    FILE_PURGED:
      'The file "{{name}}" of dossier {{code}} was deleted from this PC after the central confirmed receiving it (the original is at the central). The data is not damaged; to see it again, open the dossier in the central system.',
  },
} as const;
