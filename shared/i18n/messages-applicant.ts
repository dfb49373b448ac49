/** The applicant: personal number, tax code, the CCCD's QR code (read from a scanner, an image or the camera). */
export const messagesApplicant = {
  vi: {
    PERSONAL_NUMBER_INVALID: 'Số định danh cá nhân "{{id}}" không hợp lệ: phải gồm đúng 12 chữ số, 3 số đầu là mã tỉnh từ 001 đến 096. Hãy đối chiếu với thẻ căn cước và nhập lại.',
    PERSONAL_NUMBER_MISMATCH: 'Số định danh cá nhân "{{id}}" không khớp với thông tin đã khai ({{partVi}}: theo số là {{fromNumber}}, đã khai {{declared}}). Hãy đối chiếu lại thẻ căn cước, ngày sinh và giới tính.',
    TAX_CODE_INVALID: 'Mã số thuế "{{code}}" không hợp lệ (sai định dạng hoặc sai chữ số kiểm tra). Mã số thuế gồm 10 chữ số, đơn vị phụ thuộc thêm "-" và 3 chữ số. Hãy đối chiếu giấy tờ và nhập lại.',
    CCCD_QR_INVALID: 'Không đọc được mã QR trên thẻ căn cước: {{reason}}. Hãy quét lại, hoặc nhập thông tin bằng tay.',
    CCCD_QR_NOT_FOUND: 'Không tìm thấy mã QR thẻ căn cước trên "{{name}}". Hãy chụp/quét lại rõ hơn (mã QR nằm trọn trong ảnh, không lóa), hoặc nhập thông tin bằng tay.',
  },
  en: {
    PERSONAL_NUMBER_INVALID: 'Personal identification number "{{id}}" is invalid: it must be exactly 12 digits starting with a province code 001–096. Check the ID card and type it again.',
    PERSONAL_NUMBER_MISMATCH: 'Personal identification number "{{id}}" contradicts the declared details ({{part}}: the number says {{fromNumber}}, declared {{declared}}). Check the ID card, birth date and gender.',
    TAX_CODE_INVALID: 'Tax code "{{code}}" is invalid (wrong format or check digit). A tax code is 10 digits; a dependent unit adds "-" and 3 digits. Check the papers and type it again.',
    CCCD_QR_INVALID: 'The ID card QR code could not be read: {{reason}}. Scan it again, or type the details.',
    CCCD_QR_NOT_FOUND: 'No ID card QR code was found on "{{name}}". Photograph or scan it again more clearly (the whole QR code in the picture, no glare), or type the details.',
  },
} as const;
