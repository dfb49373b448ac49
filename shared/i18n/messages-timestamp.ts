/** Messages for the error codes added by the later-timestamp work (merged into the catalog by the lead). */
export const messagesTimestamp = {
  vi: {
    TSA_UNREACHABLE:
      'Chưa lấy được dấu thời gian từ máy chủ cấp dấu thời gian ({{reason}}). Chữ ký số vẫn còn nguyên; máy sẽ thử lại khi có mạng.',
    TSA_REJECTED:
      'Máy chủ cấp dấu thời gian từ chối yêu cầu (trạng thái {{status}}, lý do {{failInfo}}). Tệp không bị thay đổi. Hãy báo bộ phận CNTT kiểm tra cấu hình dịch vụ dấu thời gian.',
    TSA_BAD_RESPONSE:
      'Máy chủ cấp dấu thời gian trả lời không hợp lệ ({{reason}}). Tệp không bị thay đổi. Hãy thử lại sau; nếu vẫn lỗi, báo bộ phận CNTT.',
    SIGNATURE_NOT_FOUND: 'Không tìm thấy chữ ký số đọc được trong tệp PDF ({{reason}}). Tệp không bị thay đổi.',
    SIGNATURE_ALREADY_TIMESTAMPED: 'Chữ ký số này đã có dấu thời gian. Không cần lấy thêm; tệp được giữ nguyên.',
    SIGNATURE_TIMESTAMP_BREAKS_LATER_SIGNATURE:
      'Không thể gắn dấu thời gian vào chữ ký thứ {{index}}: tệp đã được ký thêm sau chữ ký này, sửa nó sẽ làm hỏng chữ ký sau. Tệp được giữ nguyên.',
  },
  en: {
    TSA_UNREACHABLE: 'Could not get a timestamp from the time-stamping service ({{reason}}). The signature is intact; it will be retried when online.',
    TSA_REJECTED: 'The time-stamping service rejected the request (status {{status}}, reason {{failInfo}}). The file was not changed. Ask IT to check the TSA configuration.',
    TSA_BAD_RESPONSE: 'The time-stamping service sent an invalid answer ({{reason}}). The file was not changed. Try again later; if it persists, contact IT.',
    SIGNATURE_NOT_FOUND: 'No readable digital signature was found in the PDF ({{reason}}). The file was not changed.',
    SIGNATURE_ALREADY_TIMESTAMPED: 'This signature already carries a timestamp. Nothing to do; the file was kept as it is.',
    SIGNATURE_TIMESTAMP_BREAKS_LATER_SIGNATURE:
      'Cannot timestamp signature {{index}}: the file was signed again after it, and changing it would break the later signature. The file was not changed.',
  },
} as const;
