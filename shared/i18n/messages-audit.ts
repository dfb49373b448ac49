/**
 * The audit log. No placeholders: the sync history shows a pull failure's details (seq, reason) as raw text
 * beside the message.
 */
export const messagesAudit = {
  vi: {
    AUDIT_CHAIN_BROKEN: 'Nhật ký thao tác của quầy không khớp với bản hệ thống trung tâm đang giữ: có thể một mục đã bị sửa, xóa hoặc đảo thứ tự (số mục và lý do ở phần chi tiết). Hồ sơ vẫn được gửi bình thường. Hãy báo ngay bộ phận CNTT để kiểm tra máy này.',
    AUDIT_LOG_UNAVAILABLE: 'Không ghi được nhật ký thao tác của quầy ({{issue}}). Hãy báo bộ phận CNTT; thao tác vừa làm vẫn được lưu.',
  },
  en: {
    AUDIT_CHAIN_BROKEN: 'This counter’s action log does not match the copy the central holds: an entry may have been edited, deleted or reordered (the entry number and reason are in the details). Dossiers still sync normally. Tell IT at once so they can check this PC.',
    AUDIT_LOG_UNAVAILABLE: 'The counter’s action log could not be written ({{issue}}). Tell IT; the action itself was saved.',
  },
} as const;
