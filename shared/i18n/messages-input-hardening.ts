/** Messages for issue 17's input hardening (finding 10): hostile files and text from outside the counter. */
export const messagesInputHardening = {
  vi: {
    FILE_PDF_TOO_EXPANDED:
      'Tệp PDF "{{name}}" khi giải nén vượt quá {{limitMb}} MB — có thể là tệp được dựng để làm treo máy. Tệp không được mở. Hãy xin công dân bản PDF khác hoặc in ra rồi quét lại.',
  },
  en: {
    FILE_PDF_TOO_EXPANDED:
      'PDF "{{name}}" inflates beyond {{limitMb}} MB — it may be built to hang the computer. It was not opened. Ask the citizen for another PDF, or print it and scan it.',
  },
} as const;
