/**
 * Signing keys: key files, PKCS#11 tokens, signing sessions. Placeholders: SIGNER_WRONG_PIN has {{pinState}}
 * ('ok' | 'count-low' | 'final-try' | 'locked'; the UI may pick a stronger wording for 'final-try'),
 * SIGNER_LIBRARY_MISSING has {{library}}.
 */
export const messagesSigning = {
  vi: {
    SIGNER_LOCKED: 'Chưa mở khóa chữ ký số. Hãy nhập mật khẩu tệp chữ ký số.',
    SIGNER_WRONG_PASSWORD: 'Mật khẩu tệp chữ ký số không đúng. Hãy nhập lại.',
    SIGNER_NO_KEY: 'Tệp chữ ký số không chứa khóa ký. Hãy liên hệ bộ phận CNTT.',
    SIGNER_KEYSTORE_MISSING: 'Không tìm thấy tệp chữ ký số đã cấu hình. Hãy liên hệ bộ phận CNTT.',
    SIGNER_KEYSTORE_CORRUPT: 'Tệp chữ ký số bị hỏng hoặc không phải tệp PKCS#12 (.p12/.pfx). Hãy liên hệ bộ phận CNTT.',
    SIGNER_NOT_CONFIGURED: 'Quầy chưa được cấu hình chữ ký số loại "{{role}}". Hãy liên hệ bộ phận CNTT.',
    SIGNER_WRONG_PIN: 'Mã PIN của thiết bị ký số (USB token) không đúng. Hãy nhập lại cẩn thận: nhập sai nhiều lần thiết bị sẽ bị khóa.',
    SIGNER_PIN_LOCKED: 'Thiết bị ký số (USB token) đã bị khóa do nhập sai mã PIN quá số lần cho phép. Hãy liên hệ tổ chức cấp chứng thư số để mở khóa.',
    SIGNER_TOKEN_ABSENT: 'Không tìm thấy thiết bị ký số (USB token), hoặc thiết bị đã bị rút ra. Hãy cắm lại thiết bị rồi thử lại; tệp chưa được ký.',
    SIGNER_LIBRARY_MISSING: 'Máy chưa cài trình điều khiển của thiết bị ký số ({{library}}), hoặc không nạp được. Hãy cài phần mềm của tổ chức cấp chứng thư số hoặc liên hệ bộ phận CNTT.',
    SIGNING_SESSION_REQUIRED: 'Chữ ký số chỉ được dùng trong lúc tiếp nhận một hồ sơ; phiên ký của hồ sơ này đã đóng (khóa tự động hoặc đã xong). Không có gì được ký. Hãy mở khóa chữ ký số rồi bấm tiếp nhận lại.',
    SIGNING_SESSION_EXHAUSTED: 'Phiên ký của hồ sơ này không còn thành phần "{{component}}" để ký (đã ký đủ {{expected}} tệp đã định). Không có gì được ký thêm. Hãy làm lại thao tác tiếp nhận; nếu vẫn lỗi, báo bộ phận CNTT.',
  },
  en: {
    SIGNER_LOCKED: 'The signing key is locked. Enter the key file password.',
    SIGNER_WRONG_PASSWORD: 'Wrong password for the signing key file. Try again.',
    SIGNER_NO_KEY: 'The key file holds no signing key. Contact IT.',
    SIGNER_KEYSTORE_MISSING: 'The configured signing key file was not found. Contact IT.',
    SIGNER_KEYSTORE_CORRUPT: 'The signing key file is damaged or is not a PKCS#12 (.p12/.pfx) file. Contact IT.',
    SIGNER_NOT_CONFIGURED: 'No "{{role}}" signer is configured on this counter. Contact IT.',
    SIGNER_WRONG_PIN: 'The PIN of the signing token is wrong. Type it again carefully: too many wrong PINs lock the token.',
    SIGNER_PIN_LOCKED: 'The signing token is locked after too many wrong PINs. Ask the certificate authority to unlock it.',
    SIGNER_TOKEN_ABSENT: 'The signing token is not connected, or was removed. Plug it in and try again; nothing was signed.',
    SIGNER_LIBRARY_MISSING: 'The driver of the signing token ({{library}}) is not installed or cannot be loaded. Install the certificate authority’s software or contact IT.',
    SIGNING_SESSION_REQUIRED: 'The signing key is only used while a dossier is being accepted; this dossier’s signing session is closed (auto-lock, or already done). Nothing was signed. Unlock the key and accept again.',
    SIGNING_SESSION_EXHAUSTED: 'This dossier’s signing session has no component "{{component}}" left to sign (all {{expected}} planned files are signed). Nothing more was signed. Start the acceptance again; if it persists, call IT.',
  },
} as const;
