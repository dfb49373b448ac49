/** Messages for the 2025 forms and stopping a dossier (Decree 118/2025 Art. 21, Mẫu 05). */
export const messagesForms = {
  vi: {
    DOSSIER_ALREADY_STOPPED:
      'Hồ sơ {{code}} đã được dừng giải quyết từ {{at}}, không dừng lần nữa. Nếu công dân cần lại Thông báo dừng giải quyết hồ sơ, hãy in lại Mẫu 05 trong "Biểu mẫu đã in".',
    DOSSIER_STOP_NOT_ALLOWED:
      'Hồ sơ {{code}} đang ở trạng thái "{{status}}" nên không dừng giải quyết được: chỉ dừng được từ khi tiếp nhận đến trước khi có kết quả giải quyết (Điều 21 Nghị định 118/2025/NĐ-CP). Hãy giải thích cho công dân; nếu kết quả đã có, làm thủ tục trả kết quả.',
  },
  en: {
    DOSSIER_ALREADY_STOPPED:
      'Dossier {{code}} was already stopped on {{at}}; it cannot be stopped twice. If the applicant needs the stop notice again, reprint Form 05 from "Printed forms".',
    DOSSIER_STOP_NOT_ALLOWED:
      'Dossier {{code}} is "{{status}}", so it cannot be stopped: a dossier can be stopped only between its receipt and the decision (Decree 118/2025 Art. 21). Explain this to the applicant; if the result is ready, hand it over instead.',
  },
} as const;
