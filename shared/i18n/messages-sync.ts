/** Messages for the error codes added by the counter's sync engine and storage checks. */
export const messagesSync = {
  vi: {
    STORAGE_SPACE_LOW:
      'Ổ đĩa máy tính sắp đầy (còn trống {{free}}). Không tiếp nhận thêm hồ sơ để tránh mất dữ liệu. Hãy báo bộ phận CNTT giải phóng dung lượng; các hồ sơ đã lưu vẫn an toàn.',
    STORAGE_OPEN_FAILED:
      'Không mở được cơ sở dữ liệu hồ sơ trên máy này ({{reason}}). Dữ liệu KHÔNG bị xóa. Đừng xóa dữ liệu trình duyệt hay cài lại ứng dụng; hãy báo ngay bộ phận CNTT.',
  },
  en: {
    STORAGE_SPACE_LOW:
      'The disk is almost full ({{free}} free). No more dossiers are accepted so that nothing is lost. Ask IT to free space; saved dossiers are safe.',
    STORAGE_OPEN_FAILED:
      'The dossier database on this computer cannot be opened ({{reason}}). Nothing was deleted. Do not clear browser data or reinstall; contact IT now.',
  },
} as const;
