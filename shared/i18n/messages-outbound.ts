/** Messages for refused outbound requests: CRL/OCSP fetches named by certificates, and capture device ids (issue 17). */
export const messagesOutbound = {
  vi: {
    REVOCATION_CHAIN_UNTRUSTED:
      'Chứng thư số "{{subject}}" không thuộc chuỗi chứng thư tin cậy đã cấu hình, nên ứng dụng không hỏi CRL/OCSP theo địa chỉ ghi trong chứng thư này (để tránh bị lợi dụng gửi yêu cầu vào mạng nội bộ). Chữ ký này chưa được xác nhận; hãy báo bộ phận CNTT nếu tổ chức cấp là hợp lệ.',
    REVOCATION_URL_REFUSED:
      'Địa chỉ kiểm tra thu hồi "{{url}}" không được phép ({{reason}}): chỉ dùng http/https trên cổng đã cấu hình. Ứng dụng không gửi yêu cầu nào; tình trạng thu hồi là "không xác định". Nếu địa chỉ này đúng, hãy báo bộ phận CNTT.',
    REVOCATION_ADDRESS_REFUSED:
      'Địa chỉ kiểm tra thu hồi "{{url}}" trỏ vào mạng nội bộ hoặc chính máy này ({{address}}), nên ứng dụng không gửi yêu cầu. Tình trạng thu hồi là "không xác định"; nếu đây là máy chủ thử nghiệm, bộ phận CNTT cần bật chế độ phòng thử nghiệm trong cấu hình.',
    REVOCATION_REDIRECT_REFUSED:
      'Máy chủ kiểm tra thu hồi "{{url}}" chuyển hướng sang máy chủ khác ("{{location}}"), nên ứng dụng không đi theo. Tình trạng thu hồi là "không xác định"; hãy báo bộ phận CNTT.',
    REVOCATION_ANSWER_TOO_LARGE:
      'Câu trả lời từ "{{url}}" vượt quá giới hạn {{maxBytes}} byte nên đã bị cắt và không dùng. Tình trạng thu hồi là "không xác định"; hãy báo bộ phận CNTT (có thể cần tăng giới hạn trong cấu hình).',
    CAPTURE_DEVICE_NOT_LISTED:
      'Máy quét "{{device}}" không có trong danh sách máy quét của máy này, nên không được dùng. Hãy bấm "Tìm máy quét" và chọn máy trong danh sách.',
  },
  en: {
    REVOCATION_CHAIN_UNTRUSTED:
      'Certificate "{{subject}}" does not chain to a configured trust anchor, so the app did not ask the CRL/OCSP addresses it names (they could point into the office network). The signature is not confirmed; tell IT if the issuer is legitimate.',
    REVOCATION_URL_REFUSED:
      'Revocation address "{{url}}" is not allowed ({{reason}}): only http/https on the configured ports. No request was sent; the revocation status is unknown. If the address is right, tell IT.',
    REVOCATION_ADDRESS_REFUSED:
      'Revocation address "{{url}}" points into the local network or this computer ({{address}}), so no request was sent. The revocation status is unknown; for a test server, IT must enable the lab setting in the configuration.',
    REVOCATION_REDIRECT_REFUSED:
      'Revocation server "{{url}}" redirected to another host ("{{location}}"); the app did not follow. The revocation status is unknown; tell IT.',
    REVOCATION_ANSWER_TOO_LARGE:
      'The answer from "{{url}}" exceeded the {{maxBytes}}-byte limit, so it was cut and not used. The revocation status is unknown; tell IT (the limit may need raising in the configuration).',
    CAPTURE_DEVICE_NOT_LISTED: 'Scanner "{{device}}" is not in this computer\'s scanner list, so it is not used. Search for scanners and pick one from the list.',
  },
} as const;
