/**
 * Dossier codes (Decree 118/2025 Art. 28): unit and agency identifiers, the daily sequence, leased blocks of
 * numbers.
 */
export const messagesDossierCode = {
  vi: {
    UNIT_CODE_INVALID: 'Mã đơn vị "{{unitCode}}" không đúng định dạng mã định danh (ví dụ G12.18.92, hoặc mã cũ 000.00.01.H22). Hãy báo bộ phận CNTT sửa cấu hình quầy.',
    AGENCY_ID_INVALID: 'Mã định danh cơ quan "{{agencyId}}" không đúng định dạng ({{reason}}). Mã đúng gồm các nhóm cách nhau bằng dấu chấm, nhóm đầu là một chữ cái từ A đến Y và hai chữ số, tối đa 35 ký tự (ví dụ G12.18.92); mã cũ theo QCVN 102 (ví dụ 000.00.01.H22) vẫn được chấp nhận. Hãy báo bộ phận CNTT sửa danh mục thủ tục hoặc cấu hình quầy.',
    DOSSIER_CODE_INVALID: 'Mã hồ sơ "{{code}}" không đúng định dạng <mã định danh cơ quan>-YYMMDD-XXXX. Hãy kiểm tra và nhập lại.',
    DOSSIER_SEQUENCE_EXHAUSTED: 'Quầy số {{counterNo}} đã dùng hết {{capacity}} số thứ tự hồ sơ của ngày hôm nay ({{first}}–{{last}}). Hãy tiếp nhận tại quầy khác hoặc báo bộ phận CNTT.',
    CODE_LEASE_REFUSED: 'Hệ thống trung tâm không cấp dải số hồ sơ cho quầy: {{reason}}. Quầy vẫn tiếp nhận được; hồ sơ sẽ mang số tạm (TAM-…) cho đến khi trung tâm cấp mã chính thức. Hãy báo bộ phận CNTT.',
  },
  en: {
    UNIT_CODE_INVALID: 'Unit code "{{unitCode}}" is not an agency identifier (e.g. G12.18.92, or the old form 000.00.01.H22). Ask IT to fix the counter configuration.',
    AGENCY_ID_INVALID: 'Agency identifier "{{agencyId}}" is malformed ({{reason}}). A valid one has dot-separated groups, the first a letter A to Y and two digits, at most 35 characters (e.g. G12.18.92); the old QCVN 102 form (e.g. 000.00.01.H22) is still accepted. Ask IT to fix the procedure catalog or the counter configuration.',
    DOSSIER_CODE_INVALID: 'Dossier code "{{code}}" is not in the format <agency identifier>-YYMMDD-XXXX. Check it and type it again.',
    DOSSIER_SEQUENCE_EXHAUSTED: 'Counter {{counterNo}} has used all {{capacity}} dossier numbers for today ({{first}}–{{last}}). Receive at another counter or contact IT.',
    CODE_LEASE_REFUSED: 'The central did not lease dossier numbers to this counter: {{reason}}. Reception goes on; dossiers carry a provisional number (TAM-…) until the central gives the official code. Contact IT.',
  },
} as const;
