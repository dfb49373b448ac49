/** Messages for the error codes added by the visible stamp and the second signature (merged by the lead). */
export const messagesPdf = {
  vi: {
    SIGNATURE_APPEARANCE_INVALID:
      'Cấu hình dấu chữ ký số trên bản sao chưa đúng ({{reason}}). Hãy kiểm tra hình thức sao và tên cơ quan trong cấu hình, hoặc liên hệ bộ phận CNTT.',
    PDF_INCREMENTAL_UNSUPPORTED:
      'Không thể ký thêm vào tệp PDF này mà vẫn giữ chữ ký cũ ({{reason}}). Hãy ký bản PDF do phần mềm tạo ra, hoặc liên hệ bộ phận CNTT.',
  },
  en: {
    SIGNATURE_APPEARANCE_INVALID: 'The signature stamp settings are not valid ({{reason}}). Check the copy form and the organisation name in the configuration, or contact IT.',
    PDF_INCREMENTAL_UNSUPPORTED:
      'A further signature cannot be added to this PDF while keeping the earlier one ({{reason}}). Sign a PDF made by this application, or contact IT.',
  },
} as const;
