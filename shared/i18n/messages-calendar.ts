/**
 * The calendar and time limits: the official working calendar, lunar dates, appointment rules, the supplement
 * (Art. 19.5) and the once-only extension (Art. 19.6).
 */
export const messagesCalendar = {
  vi: {
    CALENDAR_DATA_INVALID: 'Dữ liệu lịch làm việc không hợp lệ: {{issue}}. Hãy tải lại lịch từ hệ thống trung tâm hoặc báo bộ phận CNTT sửa tệp lịch.',
    CALENDAR_YEAR_OUT_OF_RANGE: 'Năm {{year}} nằm ngoài phạm vi lịch hỗ trợ ({{min}}–{{max}}). Hãy kiểm tra lại năm đã nhập.',
    LUNAR_DATE_INVALID: 'Ngày âm lịch {{date}} không tồn tại. Hãy kiểm tra lại ngày, tháng (tháng nhuận) đã nhập.',
    WORKING_RULES_INVALID: 'Cấu hình giờ làm việc không hợp lệ: {{reason}}. Hãy báo bộ phận CNTT sửa cấu hình.',
    SUPPLEMENT_NOT_REQUESTED: 'Hồ sơ {{code}} không ở trạng thái "Yêu cầu bổ sung giấy tờ" (trạng thái hiện tại: {{status}}), nên không ghi nhận bổ sung được. Hãy bấm "Đồng bộ ngay" để cập nhật trạng thái từ trung tâm.',
    SUPPLEMENT_NO_FILES: 'Chưa có giấy tờ bổ sung nào. Hãy chọn hoặc quét giấy tờ người nộp mang đến rồi ghi nhận lại.',
    SUPPLEMENT_WINDOW_CLOSED: 'Hồ sơ {{code}} đã quá hạn bổ sung ({{days}}, hết hạn {{closedAt}}) nên đã dừng, không nhận bổ sung được nữa. Hãy hướng dẫn người nộp nộp hồ sơ mới.',
    EXTENSION_ALREADY_USED: 'Hồ sơ này đã được gia hạn một lần (hẹn trả {{deadline}}). Theo Điều 19 khoản 6 Nghị định 118/2025/NĐ-CP, thời hạn giải quyết chỉ được điều chỉnh tối đa một lần: không thể gia hạn tiếp. Hãy báo lãnh đạo bộ phận để xử lý hồ sơ trễ hạn.',
    EXTENSION_TOO_LATE: 'Quá muộn để đề nghị gia hạn: hạn giải quyết là ngày {{deadline}}, văn bản xin lỗi và đề nghị gia hạn phải gửi trước hạn ít nhất {{days}} ngày (chậm nhất ngày {{latest}}). Hồ sơ vẫn được tính là trễ hạn; hãy báo lãnh đạo bộ phận.',
    EXTENSION_DATE_INVALID: 'Ngày hẹn mới {{date}} không hợp lệ: {{reason}} (ngày hẹn cũ {{deadline}}). Hãy chọn một ngày làm việc sau ngày hẹn cũ.',
    EXTENSION_REASON_REQUIRED: 'Chưa ghi lý do xin gia hạn. Hãy ghi rõ lý do chậm trễ trước khi lập văn bản.',
  },
  en: {
    CALENDAR_DATA_INVALID: 'The working-calendar data is invalid: {{issue}}. Reload the calendar from the central or ask IT to fix the calendar file.',
    CALENDAR_YEAR_OUT_OF_RANGE: 'Year {{year}} is outside the supported calendar range ({{min}}–{{max}}). Check the year entered.',
    LUNAR_DATE_INVALID: 'The lunar date {{date}} does not exist. Check the day and month (leap month) entered.',
    WORKING_RULES_INVALID: 'The working-hours configuration is invalid: {{reason}}. Ask IT to fix the configuration.',
    SUPPLEMENT_NOT_REQUESTED: 'Dossier {{code}} is not waiting for a supplement (its status is {{status}}), so no supplement can be recorded. Press "Sync now" to update its status from the central.',
    SUPPLEMENT_NO_FILES: 'No supplementary document yet. Pick or scan the papers the applicant brought, then record again.',
    SUPPLEMENT_WINDOW_CLOSED: 'Dossier {{code}} was not supplemented in time ({{days}}, ended {{closedAt}}), so it is closed and no supplement can be received. Ask the applicant to file a new dossier.',
    EXTENSION_ALREADY_USED: 'This dossier has already been extended once (due {{deadline}}). Under Art. 19.6 of Decree 118/2025 the time limit may be moved at most once: no further extension is possible. Tell the head of the division about the late dossier.',
    EXTENSION_TOO_LATE: 'Too late to propose an extension: the deadline is {{deadline}} and the apology with the proposed extension must be sent at least {{days}} day(s) before it (by {{latest}}). The dossier still counts as late; tell the head of the division.',
    EXTENSION_DATE_INVALID: 'The new date {{date}} is not valid: {{reason}} (old appointment {{deadline}}). Choose a working day after the old appointment.',
    EXTENSION_REASON_REQUIRED: 'No reason given for the extension. Write the reason for the delay before issuing the letter.',
  },
} as const;
