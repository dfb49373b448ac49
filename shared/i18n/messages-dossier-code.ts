/** Messages for issue 15's dossier-code errors: agency identifiers and leased blocks of numbers. */
export const messagesDossierCode = {
  vi: {
    AGENCY_ID_INVALID:
      'Mã định danh cơ quan "{{agencyId}}" không đúng định dạng ({{reason}}). Mã đúng gồm các nhóm cách nhau bằng dấu chấm, nhóm đầu là một chữ cái từ A đến Y và hai chữ số, tối đa 35 ký tự (ví dụ G12.18.92); mã cũ theo QCVN 102 (ví dụ 000.00.01.H22) vẫn được chấp nhận. Hãy báo bộ phận CNTT sửa danh mục thủ tục hoặc cấu hình quầy.',
    CODE_LEASE_REFUSED:
      'Hệ thống trung tâm không cấp dải số hồ sơ cho quầy: {{reason}}. Quầy vẫn tiếp nhận được; hồ sơ sẽ mang số tạm (TAM-…) cho đến khi trung tâm cấp mã chính thức. Hãy báo bộ phận CNTT.',
  },
  en: {
    AGENCY_ID_INVALID:
      'Agency identifier "{{agencyId}}" is malformed ({{reason}}). A valid one has dot-separated groups, the first a letter A to Y and two digits, at most 35 characters (e.g. G12.18.92); the old QCVN 102 form (e.g. 000.00.01.H22) is still accepted. Ask IT to fix the procedure catalog or the counter configuration.',
    CODE_LEASE_REFUSED:
      'The central did not lease dossier numbers to this counter: {{reason}}. Reception goes on; dossiers carry a provisional number (TAM-…) until the central gives the official code. Contact IT.',
  },
} as const;
