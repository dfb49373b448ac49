/** Messages for the 2025 time-limit rules: extension of the appointment (Art. 19.6) and the supplement window (Art. 19.5). */
export const messagesTimeLimits = {
  vi: {
    EXTENSION_ALREADY_USED:
      'Hồ sơ này đã được gia hạn một lần (hẹn trả {{deadline}}). Theo Điều 19 khoản 6 Nghị định 118/2025/NĐ-CP, thời hạn giải quyết chỉ được điều chỉnh tối đa một lần: không thể gia hạn tiếp. Hãy báo lãnh đạo bộ phận để xử lý hồ sơ trễ hạn.',
    EXTENSION_TOO_LATE:
      'Quá muộn để đề nghị gia hạn: hạn giải quyết là ngày {{deadline}}, văn bản xin lỗi và đề nghị gia hạn phải gửi trước hạn ít nhất {{days}} ngày (chậm nhất ngày {{latest}}). Hồ sơ vẫn được tính là trễ hạn; hãy báo lãnh đạo bộ phận.',
    EXTENSION_DATE_INVALID: 'Ngày hẹn mới {{date}} không hợp lệ: {{reason}} (ngày hẹn cũ {{deadline}}). Hãy chọn một ngày làm việc sau ngày hẹn cũ.',
    EXTENSION_REASON_REQUIRED: 'Chưa ghi lý do xin gia hạn. Hãy ghi rõ lý do chậm trễ trước khi lập văn bản.',
    SUPPLEMENT_WINDOW_CLOSED:
      'Hồ sơ {{code}} đã quá hạn bổ sung ({{days}}, hết hạn {{closedAt}}) nên đã dừng, không nhận bổ sung được nữa. Hãy hướng dẫn người nộp nộp hồ sơ mới.',
  },
  en: {
    EXTENSION_ALREADY_USED:
      'This dossier has already been extended once (due {{deadline}}). Under Art. 19.6 of Decree 118/2025 the time limit may be moved at most once: no further extension is possible. Tell the head of the division about the late dossier.',
    EXTENSION_TOO_LATE:
      'Too late to propose an extension: the deadline is {{deadline}} and the apology with the proposed extension must be sent at least {{days}} day(s) before it (by {{latest}}). The dossier still counts as late; tell the head of the division.',
    EXTENSION_DATE_INVALID: 'The new date {{date}} is not valid: {{reason}} (old appointment {{deadline}}). Choose a working day after the old appointment.',
    EXTENSION_REASON_REQUIRED: 'No reason given for the extension. Write the reason for the delay before issuing the letter.',
    SUPPLEMENT_WINDOW_CLOSED:
      'Dossier {{code}} was not supplemented in time ({{days}}, ended {{closedAt}}), so it is closed and no supplement can be received. Ask the applicant to file a new dossier.',
  },
} as const;
