/**
 * Messages for the error codes added for PKCS#11 tokens (merged into the catalog by the lead).
 * Placeholders: SIGNER_WRONG_PIN has {{pinState}} ('ok' | 'count-low' | 'final-try' | 'locked'); the UI may
 * pick a stronger wording for 'final-try'. SIGNER_LIBRARY_MISSING has {{library}}.
 */
export const messagesToken = {
  vi: {
    SIGNER_WRONG_PIN:
      'Mã PIN của thiết bị ký số (USB token) không đúng. Hãy nhập lại cẩn thận: nhập sai nhiều lần thiết bị sẽ bị khóa.',
    SIGNER_PIN_LOCKED:
      'Thiết bị ký số (USB token) đã bị khóa do nhập sai mã PIN quá số lần cho phép. Hãy liên hệ tổ chức cấp chứng thư số để mở khóa.',
    SIGNER_TOKEN_ABSENT:
      'Không tìm thấy thiết bị ký số (USB token), hoặc thiết bị đã bị rút ra. Hãy cắm lại thiết bị rồi thử lại; tệp chưa được ký.',
    SIGNER_LIBRARY_MISSING:
      'Máy chưa cài trình điều khiển của thiết bị ký số ({{library}}), hoặc không nạp được. Hãy cài phần mềm của tổ chức cấp chứng thư số hoặc liên hệ bộ phận CNTT.',
  },
  en: {
    SIGNER_WRONG_PIN: 'The PIN of the signing token is wrong. Type it again carefully: too many wrong PINs lock the token.',
    SIGNER_PIN_LOCKED: 'The signing token is locked after too many wrong PINs. Ask the certificate authority to unlock it.',
    SIGNER_TOKEN_ABSENT: 'The signing token is not connected, or was removed. Plug it in and try again; nothing was signed.',
    SIGNER_LIBRARY_MISSING:
      'The driver of the signing token ({{library}}) is not installed or cannot be loaded. Install the certificate authority’s software or contact IT.',
  },
} as const;
