/**
 * Certificates and revocation: validity, trust, CRL/OCSP evidence, and the CRL/OCSP fetches refused (addresses a
 * certificate names).
 */
export const messagesCertificates = {
  vi: {
    CERT_EXPIRED: 'Chứng thư số đã hết hạn ngày {{notAfter}}. Không thể ký; hãy liên hệ bộ phận CNTT để gia hạn.',
    CERT_NOT_YET_VALID: 'Chứng thư số chưa có hiệu lực (từ ngày {{notBefore}}). Hãy kiểm tra đồng hồ máy tính.',
    CERT_BAD_KEY_USAGE: 'Chứng thư số này không được phép dùng để ký văn bản. Hãy liên hệ bộ phận CNTT.',
    CERT_REVOKED: 'Chứng thư số "{{subject}}" đã bị thu hồi từ ngày {{revokedAt}} (lý do: {{reason}}). Không thể ký bằng chứng thư này; hãy liên hệ bộ phận CNTT để được cấp chứng thư mới.',
    CERT_UNTRUSTED: 'Chứng thư số "{{subject}}" không thuộc chuỗi chứng thư tin cậy đã cấu hình cho đơn vị (chứng thư gốc quốc gia, Ban Cơ yếu Chính phủ). Không thể ký; hãy liên hệ bộ phận CNTT.',
    CERT_REVOCATION_STALE: 'Thông tin kiểm tra thu hồi chứng thư số đã cũ ({{ageHours}} giờ, tối đa cho phép {{maxAgeHours}} giờ). Hãy kết nối mạng để ứng dụng cập nhật tình trạng chứng thư rồi ký lại.',
    CERT_REVOCATION_UNKNOWN: 'Chưa có thông tin về tình trạng thu hồi của chứng thư số "{{subject}}". Hãy kết nối mạng để ứng dụng kiểm tra tình trạng chứng thư rồi ký lại; nếu vẫn lỗi, hãy báo bộ phận CNTT.',
    CERT_REVOCATION_DATA_INVALID: 'Dữ liệu kiểm tra thu hồi chứng thư ({{kind}}) bị hỏng hoặc không có chữ ký hợp lệ của nơi cấp, nên không được dùng. Hãy kết nối mạng để ứng dụng tải lại; nếu vẫn lỗi, hãy báo bộ phận CNTT.',
    REVOCATION_CHAIN_UNTRUSTED: 'Chứng thư số "{{subject}}" không thuộc chuỗi chứng thư tin cậy đã cấu hình, nên ứng dụng không hỏi CRL/OCSP theo địa chỉ ghi trong chứng thư này (để tránh bị lợi dụng gửi yêu cầu vào mạng nội bộ). Chữ ký này chưa được xác nhận; hãy báo bộ phận CNTT nếu tổ chức cấp là hợp lệ.',
    REVOCATION_URL_REFUSED: 'Địa chỉ kiểm tra thu hồi "{{url}}" không được phép ({{reason}}): chỉ dùng http/https trên cổng đã cấu hình. Ứng dụng không gửi yêu cầu nào; tình trạng thu hồi là "không xác định". Nếu địa chỉ này đúng, hãy báo bộ phận CNTT.',
    REVOCATION_ADDRESS_REFUSED: 'Địa chỉ kiểm tra thu hồi "{{url}}" trỏ vào mạng nội bộ hoặc chính máy này ({{address}}), nên ứng dụng không gửi yêu cầu. Tình trạng thu hồi là "không xác định"; nếu đây là máy chủ thử nghiệm, bộ phận CNTT cần bật chế độ phòng thử nghiệm trong cấu hình.',
    REVOCATION_REDIRECT_REFUSED: 'Máy chủ kiểm tra thu hồi "{{url}}" chuyển hướng sang máy chủ khác ("{{location}}"), nên ứng dụng không đi theo. Tình trạng thu hồi là "không xác định"; hãy báo bộ phận CNTT.',
    REVOCATION_ANSWER_TOO_LARGE: 'Câu trả lời từ "{{url}}" vượt quá giới hạn {{maxBytes}} byte nên đã bị cắt và không dùng. Tình trạng thu hồi là "không xác định"; hãy báo bộ phận CNTT (có thể cần tăng giới hạn trong cấu hình).',
  },
  en: {
    CERT_EXPIRED: 'The certificate expired on {{notAfter}}. Signing is not possible; contact IT to renew it.',
    CERT_NOT_YET_VALID: 'The certificate is not valid yet (from {{notBefore}}). Check the computer clock.',
    CERT_BAD_KEY_USAGE: 'This certificate may not be used to sign documents. Contact IT.',
    CERT_REVOKED: 'Certificate "{{subject}}" was revoked on {{revokedAt}} (reason: {{reason}}). It cannot be used to sign; contact IT for a new certificate.',
    CERT_UNTRUSTED: 'Certificate "{{subject}}" does not chain to the trust anchors configured for this office (national root, Government Cipher Committee). Signing is not possible; contact IT.',
    CERT_REVOCATION_STALE: 'The certificate revocation information is too old ({{ageHours}} hours; at most {{maxAgeHours}} allowed). Connect to the network so the app can refresh it, then sign again.',
    CERT_REVOCATION_UNKNOWN: 'There is no revocation information for certificate "{{subject}}". Connect to the network so the app can check it, then sign again; if it persists, contact IT.',
    CERT_REVOCATION_DATA_INVALID: 'Revocation data ({{kind}}) is damaged or not validly signed by its issuer, so it was not used. Connect to the network so the app can fetch it again; if it persists, contact IT.',
    REVOCATION_CHAIN_UNTRUSTED: 'Certificate "{{subject}}" does not chain to a configured trust anchor, so the app did not ask the CRL/OCSP addresses it names (they could point into the office network). The signature is not confirmed; tell IT if the issuer is legitimate.',
    REVOCATION_URL_REFUSED: 'Revocation address "{{url}}" is not allowed ({{reason}}): only http/https on the configured ports. No request was sent; the revocation status is unknown. If the address is right, tell IT.',
    REVOCATION_ADDRESS_REFUSED: 'Revocation address "{{url}}" points into the local network or this computer ({{address}}), so no request was sent. The revocation status is unknown; for a test server, IT must enable the lab setting in the configuration.',
    REVOCATION_REDIRECT_REFUSED: 'Revocation server "{{url}}" redirected to another host ("{{location}}"); the app did not follow. The revocation status is unknown; tell IT.',
    REVOCATION_ANSWER_TOO_LARGE: 'The answer from "{{url}}" exceeded the {{maxBytes}}-byte limit, so it was cut and not used. The revocation status is unknown; tell IT (the limit may need raising in the configuration).',
  },
} as const;
