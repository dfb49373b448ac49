/**
 * Files a clerk brings in: empty, damaged, of the wrong type, locked, or a decompression bomb in a citizen's
 * PDF.
 */
export const messagesFiles = {
  vi: {
    FILE_EMPTY: 'Tệp "{{name}}" rỗng (0 byte). Hãy quét hoặc chọn lại tệp.',
    FILE_CORRUPT_IMAGE: 'Ảnh "{{name}}" bị hỏng, không đọc được. Hãy quét lại trang này.',
    FILE_UNSUPPORTED_TYPE: 'Tệp "{{name}}" không phải ảnh JPEG, PNG hoặc PDF. Hãy chọn đúng tệp.',
    FILE_UNSUPPORTED_PAGE_TYPE: 'Tệp "{{name}}" không phải ảnh JPEG, PNG, TIFF hay tệp PDF nên không đưa vào bàn làm việc được. Hãy chọn đúng tệp (văn bản Word, Excel… hãy in ra PDF trước).',
    FILE_CORRUPT_PDF: 'Tệp PDF "{{name}}" bị hỏng, không mở được. Hãy xin bản khác hoặc quét lại.',
    FILE_ENCRYPTED_PDF: 'Tệp PDF "{{name}}" có mật khẩu. Hãy xin bản không khóa hoặc in ra rồi quét lại.',
    FILE_PDF_TOO_EXPANDED: 'Tệp PDF "{{name}}" khi giải nén vượt quá {{limitMb}} MB — có thể là tệp được dựng để làm treo máy. Tệp không được mở. Hãy xin công dân bản PDF khác hoặc in ra rồi quét lại.',
  },
  en: {
    FILE_EMPTY: 'File "{{name}}" is empty (0 bytes). Scan or choose the file again.',
    FILE_CORRUPT_IMAGE: 'Image "{{name}}" is damaged and cannot be read. Scan this page again.',
    FILE_UNSUPPORTED_TYPE: 'File "{{name}}" is not a JPEG, PNG or PDF. Choose the right file.',
    FILE_UNSUPPORTED_PAGE_TYPE: 'File "{{name}}" is not a JPEG, PNG, TIFF or PDF, so it cannot go into the page area. Choose the right file (print Word, Excel… documents to PDF first).',
    FILE_CORRUPT_PDF: 'PDF "{{name}}" is damaged and cannot be opened. Ask for another copy or scan it.',
    FILE_ENCRYPTED_PDF: 'PDF "{{name}}" is password-protected. Ask for an unlocked copy or print and scan it.',
    FILE_PDF_TOO_EXPANDED: 'PDF "{{name}}" inflates beyond {{limitMb}} MB — it may be built to hang the computer. It was not opened. Ask the citizen for another PDF, or print it and scan it.',
  },
} as const;
