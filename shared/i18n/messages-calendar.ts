/** Messages for the error codes added by the calendar helper (lunar calendar, holidays, official calendar data). */
export const messagesCalendar = {
  vi: {
    CALENDAR_DATA_INVALID: 'Dữ liệu lịch làm việc không hợp lệ: {{issue}}. Hãy tải lại lịch từ hệ thống trung tâm hoặc báo bộ phận CNTT sửa tệp lịch.',
    CALENDAR_YEAR_OUT_OF_RANGE: 'Năm {{year}} nằm ngoài phạm vi lịch hỗ trợ ({{min}}–{{max}}). Hãy kiểm tra lại năm đã nhập.',
    LUNAR_DATE_INVALID: 'Ngày âm lịch {{date}} không tồn tại. Hãy kiểm tra lại ngày, tháng (tháng nhuận) đã nhập.',
  },
  en: {
    CALENDAR_DATA_INVALID: 'The working-calendar data is invalid: {{issue}}. Reload the calendar from the central or ask IT to fix the calendar file.',
    CALENDAR_YEAR_OUT_OF_RANGE: 'Year {{year}} is outside the supported calendar range ({{min}}–{{max}}). Check the year entered.',
    LUNAR_DATE_INVALID: 'The lunar date {{date}} does not exist. Check the day and month (leap month) entered.',
  },
} as const;
