/** Messages for the error codes added by the domain helper (dossier code, appointment rules). */
export const messagesDomain = {
  vi: {
    UNIT_CODE_INVALID:
      'Mã đơn vị "{{unitCode}}" không đúng định dạng mã định danh (ví dụ G12.18.92, hoặc mã cũ 000.00.01.H22). Hãy báo bộ phận CNTT sửa cấu hình quầy.',
    DOSSIER_CODE_INVALID: 'Mã hồ sơ "{{code}}" không đúng định dạng <mã định danh cơ quan>-YYMMDD-XXXX. Hãy kiểm tra và nhập lại.',
    DOSSIER_SEQUENCE_EXHAUSTED:
      'Quầy số {{counterNo}} đã dùng hết {{capacity}} số thứ tự hồ sơ của ngày hôm nay ({{first}}–{{last}}). Hãy tiếp nhận tại quầy khác hoặc báo bộ phận CNTT.',
    WORKING_RULES_INVALID: 'Cấu hình giờ làm việc không hợp lệ: {{reason}}. Hãy báo bộ phận CNTT sửa cấu hình.',
  },
  en: {
    UNIT_CODE_INVALID:
      'Unit code "{{unitCode}}" is not an agency identifier (e.g. G12.18.92, or the old form 000.00.01.H22). Ask IT to fix the counter configuration.',
    DOSSIER_CODE_INVALID: 'Dossier code "{{code}}" is not in the format <agency identifier>-YYMMDD-XXXX. Check it and type it again.',
    DOSSIER_SEQUENCE_EXHAUSTED:
      'Counter {{counterNo}} has used all {{capacity}} dossier numbers for today ({{first}}–{{last}}). Receive at another counter or contact IT.',
    WORKING_RULES_INVALID: 'The working-hours configuration is invalid: {{reason}}. Ask IT to fix the configuration.',
  },
} as const;
