/** Messages for result documents (status 9) the counter fetches for the desk. */
export const messagesResults = {
  vi: {
    RESULT_FILE_MISMATCH:
      'Tệp kết quả "{{name}}" của hồ sơ {{code}} tải về không khớp với thông tin trung tâm công bố ({{issue}}). Máy KHÔNG lưu tệp này. Hãy bấm "Đồng bộ ngay" để tải lại; nếu vẫn lỗi, báo bộ phận CNTT kiểm tra tệp ở trung tâm.',
    RESULT_FILE_TOO_LARGE:
      'Tệp kết quả "{{name}}" của hồ sơ {{code}} dài {{size}} byte, vượt giới hạn {{limit}} byte nên máy không tải về. Hãy báo bộ phận CNTT.',
  },
  en: {
    RESULT_FILE_MISMATCH:
      'The result file "{{name}}" of dossier {{code}} does not match what the central declared ({{issue}}). It was NOT stored. Press "Sync now" to fetch it again; if it keeps failing, ask IT to check the file at the central.',
    RESULT_FILE_TOO_LARGE: 'The result file "{{name}}" of dossier {{code}} is {{size}} bytes, over the {{limit}}-byte limit, so it was not downloaded. Tell IT.',
  },
} as const;
