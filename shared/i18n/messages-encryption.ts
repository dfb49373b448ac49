/** Messages for issue 17's encryption at rest on the counter (renderer/src/db/encryption.ts, electron/services/data-key.ts). */
export const messagesEncryption = {
  vi: {
    DATA_KEY_UNAVAILABLE:
      'Không mở được khóa mã hóa dữ liệu của máy này ({{reason}}), nên không đọc được hồ sơ lưu trên máy. Không có gì bị xóa. Hãy đăng nhập đúng tài khoản Windows đã dùng trước đây rồi mở lại ứng dụng; nếu vẫn lỗi, báo bộ phận CNTT (bản gốc hồ sơ đã gửi nằm ở hệ thống trung tâm).',
    DATA_KEY_MISMATCH:
      'Dữ liệu "{{table}}" trên máy không giải mã được bằng khóa hiện tại (khóa khác hoặc dữ liệu bị sửa). Không có gì được hiển thị sai hay bị xóa. Hãy báo bộ phận CNTT; hồ sơ đã gửi vẫn còn ở hệ thống trung tâm.',
  },
  en: {
    DATA_KEY_UNAVAILABLE:
      'This PC’s data encryption key could not be opened ({{reason}}), so the dossiers stored here cannot be read. Nothing was deleted. Sign in with the same Windows account as before and restart the app; if it persists, call IT (dossiers already sent are held by the central).',
    DATA_KEY_MISMATCH:
      'Stored data "{{table}}" cannot be decrypted with the current key (another key, or the data was altered). Nothing was shown wrongly or deleted. Call IT; dossiers already sent are still held by the central.',
  },
} as const;
