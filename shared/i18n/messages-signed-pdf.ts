/** Signed PDFs: the signature's room in the file, the visible stamp, second signatures, RFC 3161 time-stamps. */
export const messagesSignedPdf = {
  vi: {
    SIGNATURE_PLACEHOLDER_TOO_SMALL: 'Chữ ký quá lớn so với chỗ dành sẵn trong tệp PDF. Hãy báo bộ phận CNTT.',
    PDF_ALREADY_SIGNED: 'Tệp PDF này đã có chữ ký số; ký thêm sẽ làm hỏng chữ ký cũ. Hãy dùng bản chưa ký, hoặc giữ nguyên tệp và không ký lại.',
    SIGNATURE_APPEARANCE_INVALID: 'Cấu hình dấu chữ ký số trên bản sao chưa đúng ({{reason}}). Hãy kiểm tra hình thức sao và tên cơ quan trong cấu hình, hoặc liên hệ bộ phận CNTT.',
    PDF_INCREMENTAL_UNSUPPORTED: 'Không thể ký thêm vào tệp PDF này mà vẫn giữ chữ ký cũ ({{reason}}). Hãy ký bản PDF do phần mềm tạo ra, hoặc liên hệ bộ phận CNTT.',
    SIGNATURE_NOT_FOUND: 'Không tìm thấy chữ ký số đọc được trong tệp PDF ({{reason}}). Tệp không bị thay đổi.',
    SIGNATURE_ALREADY_TIMESTAMPED: 'Chữ ký số này đã có dấu thời gian. Không cần lấy thêm; tệp được giữ nguyên.',
    SIGNATURE_TIMESTAMP_BREAKS_LATER_SIGNATURE: 'Không thể gắn dấu thời gian vào chữ ký thứ {{index}}: tệp đã được ký thêm sau chữ ký này, sửa nó sẽ làm hỏng chữ ký sau. Tệp được giữ nguyên.',
    TSA_UNREACHABLE: 'Chưa lấy được dấu thời gian từ máy chủ cấp dấu thời gian ({{reason}}). Chữ ký số vẫn còn nguyên; máy sẽ thử lại khi có mạng.',
    TSA_REJECTED: 'Máy chủ cấp dấu thời gian từ chối yêu cầu (trạng thái {{status}}, lý do {{failInfo}}). Tệp không bị thay đổi. Hãy báo bộ phận CNTT kiểm tra cấu hình dịch vụ dấu thời gian.',
    TSA_BAD_RESPONSE: 'Máy chủ cấp dấu thời gian trả lời không hợp lệ ({{reason}}). Tệp không bị thay đổi. Hãy thử lại sau; nếu vẫn lỗi, báo bộ phận CNTT.',
  },
  en: {
    SIGNATURE_PLACEHOLDER_TOO_SMALL: 'The signature does not fit the space reserved in the PDF. Contact IT.',
    PDF_ALREADY_SIGNED: 'This PDF already carries a digital signature; signing it again here would break that signature. Use an unsigned copy, or keep the file as it is.',
    SIGNATURE_APPEARANCE_INVALID: 'The signature stamp settings are not valid ({{reason}}). Check the copy form and the organisation name in the configuration, or contact IT.',
    PDF_INCREMENTAL_UNSUPPORTED: 'A further signature cannot be added to this PDF while keeping the earlier one ({{reason}}). Sign a PDF made by this application, or contact IT.',
    SIGNATURE_NOT_FOUND: 'No readable digital signature was found in the PDF ({{reason}}). The file was not changed.',
    SIGNATURE_ALREADY_TIMESTAMPED: 'This signature already carries a timestamp. Nothing to do; the file was kept as it is.',
    SIGNATURE_TIMESTAMP_BREAKS_LATER_SIGNATURE: 'Cannot timestamp signature {{index}}: the file was signed again after it, and changing it would break the later signature. The file was not changed.',
    TSA_UNREACHABLE: 'Could not get a timestamp from the time-stamping service ({{reason}}). The signature is intact; it will be retried when online.',
    TSA_REJECTED: 'The time-stamping service rejected the request (status {{status}}, reason {{failInfo}}). The file was not changed. Ask IT to check the TSA configuration.',
    TSA_BAD_RESPONSE: 'The time-stamping service sent an invalid answer ({{reason}}). The file was not changed. Try again later; if it persists, contact IT.',
  },
} as const;
