/** Messages for the error codes added by the certificate checks. */
export const messagesTrust = {
  vi: {
    CERT_REVOKED:
      'Chứng thư số "{{subject}}" đã bị thu hồi từ ngày {{revokedAt}} (lý do: {{reason}}). Không thể ký bằng chứng thư này; hãy liên hệ bộ phận CNTT để được cấp chứng thư mới.',
    CERT_UNTRUSTED:
      'Chứng thư số "{{subject}}" không thuộc chuỗi chứng thư tin cậy đã cấu hình cho đơn vị (chứng thư gốc quốc gia, Ban Cơ yếu Chính phủ). Không thể ký; hãy liên hệ bộ phận CNTT.',
    CERT_REVOCATION_STALE:
      'Thông tin kiểm tra thu hồi chứng thư số đã cũ ({{ageHours}} giờ, tối đa cho phép {{maxAgeHours}} giờ). Hãy kết nối mạng để ứng dụng cập nhật tình trạng chứng thư rồi ký lại.',
    CERT_REVOCATION_UNKNOWN:
      'Chưa có thông tin về tình trạng thu hồi của chứng thư số "{{subject}}". Hãy kết nối mạng để ứng dụng kiểm tra tình trạng chứng thư rồi ký lại; nếu vẫn lỗi, hãy báo bộ phận CNTT.',
    CERT_REVOCATION_DATA_INVALID:
      'Dữ liệu kiểm tra thu hồi chứng thư ({{kind}}) bị hỏng hoặc không có chữ ký hợp lệ của nơi cấp, nên không được dùng. Hãy kết nối mạng để ứng dụng tải lại; nếu vẫn lỗi, hãy báo bộ phận CNTT.',
  },
  en: {
    CERT_REVOKED:
      'Certificate "{{subject}}" was revoked on {{revokedAt}} (reason: {{reason}}). It cannot be used to sign; contact IT for a new certificate.',
    CERT_UNTRUSTED:
      'Certificate "{{subject}}" does not chain to the trust anchors configured for this office (national root, Government Cipher Committee). Signing is not possible; contact IT.',
    CERT_REVOCATION_STALE:
      'The certificate revocation information is too old ({{ageHours}} hours; at most {{maxAgeHours}} allowed). Connect to the network so the app can refresh it, then sign again.',
    CERT_REVOCATION_UNKNOWN:
      'There is no revocation information for certificate "{{subject}}". Connect to the network so the app can check it, then sign again; if it persists, contact IT.',
    CERT_REVOCATION_DATA_INVALID:
      'Revocation data ({{kind}}) is damaged or not validly signed by its issuer, so it was not used. Connect to the network so the app can fetch it again; if it persists, contact IT.',
  },
} as const;
