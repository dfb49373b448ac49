/** Messages for issue 17's audit log (shared/audit/chain.ts, central/src/audit.ts). */
export const messagesAudit = {
  vi: {
    AUDIT_CHAIN_BROKEN:
      'Nhật ký thao tác của quầy không khớp với bản hệ thống trung tâm đang giữ (mục số {{seq}}: {{reason}}): có thể một mục đã bị sửa, xóa hoặc đảo thứ tự. Hồ sơ vẫn được gửi bình thường. Hãy báo ngay bộ phận CNTT để kiểm tra máy này.',
    AUDIT_LOG_UNAVAILABLE: 'Không ghi được nhật ký thao tác của quầy ({{issue}}). Hãy báo bộ phận CNTT; thao tác vừa làm vẫn được lưu.',
  },
  en: {
    AUDIT_CHAIN_BROKEN:
      'This counter’s action log does not match the copy the central holds (entry {{seq}}: {{reason}}): an entry may have been edited, deleted or reordered. Dossiers still sync normally. Tell IT at once so they can check this PC.',
    AUDIT_LOG_UNAVAILABLE: 'The counter’s action log could not be written ({{issue}}). Tell IT; the action itself was saved.',
  },
} as const;
