/**
 * Issue 17: messages of the minimisation on the counter. A dossier's printed forms are not kept once the
 * central holds the dossier; a reprint of the receipt is regenerated from the central's copy.
 */
export const messagesMinimisation = {
  vi: {
    REPRINT_NEEDS_CENTRAL:
      'Không in lại được phiếu của hồ sơ {{code}}: máy quầy không còn lưu thông tin cá nhân của người nộp (đã chuyển về hệ thống trung tâm), nên cần kết nối tới trung tâm để lập lại phiếu, mà hiện chưa kết nối được. Hãy kiểm tra mạng rồi bấm in lại.',
    REPRINT_NOT_AT_CENTRAL:
      'Hệ thống trung tâm không tìm thấy hồ sơ {{code}} của đơn vị này nên không lập lại được phiếu. Hãy báo bộ phận CNTT.',
    REPRINT_NOT_KEPT:
      'Bản "{{label}}" không còn lưu trên máy quầy sau khi trung tâm đã nhận hồ sơ (để bảo vệ thông tin cá nhân). Nếu cần, hãy lập lại mẫu này bằng nút tương ứng trên hồ sơ, hoặc lấy bản lưu trên hệ thống trung tâm.',
  },
  en: {
    REPRINT_NEEDS_CENTRAL:
      "The form of dossier {{code}} cannot be reprinted: this counter no longer keeps the applicant's personal details (they are at the central), so the form is rebuilt from the central, which cannot be reached now. Check the network, then reprint.",
    REPRINT_NOT_AT_CENTRAL: 'The central does not hold dossier {{code}} for this unit, so the form cannot be rebuilt. Tell IT.',
    REPRINT_NOT_KEPT:
      'The copy of "{{label}}" is no longer kept on this counter once the central has the dossier (to protect personal data). If needed, issue the form again with its button on the dossier, or take the copy kept at the central.',
  },
} as const;
