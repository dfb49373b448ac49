/** Messages for receiving a supplement at the desk, and the counter's configuration file. */
export const messagesDesk = {
  vi: {
    SUPPLEMENT_NOT_REQUESTED:
      'Hồ sơ {{code}} không ở trạng thái "Yêu cầu bổ sung giấy tờ" (trạng thái hiện tại: {{status}}), nên không ghi nhận bổ sung được. Hãy bấm "Đồng bộ ngay" để cập nhật trạng thái từ trung tâm.',
    SUPPLEMENT_NO_FILES: 'Chưa có giấy tờ bổ sung nào. Hãy chọn hoặc quét giấy tờ người nộp mang đến rồi ghi nhận lại.',
    CONFIG_INVALID: 'Tệp cấu hình quầy "{{file}}" không hợp lệ: {{issue}}. Quầy chưa khởi động; hãy báo bộ phận CNTT sửa tệp cấu hình.',
  },
  en: {
    SUPPLEMENT_NOT_REQUESTED:
      'Dossier {{code}} is not waiting for a supplement (its status is {{status}}), so no supplement can be recorded. Press "Sync now" to update its status from the central.',
    SUPPLEMENT_NO_FILES: 'No supplementary document yet. Pick or scan the papers the applicant brought, then record again.',
    CONFIG_INVALID: 'The counter configuration file "{{file}}" is invalid: {{issue}}. The counter did not start; ask IT to fix the file.',
  },
} as const;
