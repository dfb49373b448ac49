/** Messages for the error codes added by the reference central (merged into the catalog by the lead). */
export const messagesCentral = {
  vi: {
    CENTRAL_NOT_FOUND: 'Hệ thống trung tâm không có hồ sơ hoặc tệp được yêu cầu. Hãy kiểm tra lại mã hồ sơ hoặc báo bộ phận CNTT.',
  },
  en: {
    CENTRAL_NOT_FOUND: 'The central system has no such dossier or file. Check the dossier code or contact IT.',
  },
} as const;
