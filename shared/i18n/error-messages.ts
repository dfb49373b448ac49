import type { ErrorCode, ErrorDetails } from '../errors';
import { messagesCamera } from './messages-camera';
import { messagesCapture } from './messages-capture';
import { messagesCatalog } from './messages-catalog';
import { messagesCalendar } from './messages-calendar';
import { messagesCentral } from './messages-central';
import { messagesCentralDevices } from './messages-central-devices';
import { messagesCentralLimits } from './messages-central-limits';
import { messagesDomain } from './messages-domain';
import { messagesDossierCode } from './messages-dossier-code';
import { messagesCentralUnits } from './messages-central-units';
import { messagesImaging } from './messages-imaging';
import { messagesPdf } from './messages-pdf';
import { messagesPrinting } from './messages-printing';
import { messagesQueue } from './messages-queue';
import { messagesResults } from './messages-results';
import { messagesRetention } from './messages-retention';
import { messagesDesk } from './messages-desk';
import { messagesDigitization } from './messages-digitization';
import { messagesSigning } from './messages-signing';
import { messagesSync } from './messages-sync';
import { messagesTimeLimits } from './messages-timelimits';
import { messagesTimestamp } from './messages-timestamp';
import { messagesToken } from './messages-token';
import { messagesTrust } from './messages-trust';
import { messagesForms } from './messages-forms';
import { messagesOutbound } from './messages-outbound';
import { messagesSigningSession } from './messages-signing-session';
import { messagesInputHardening } from './messages-input-hardening';
import { messagesCentralSecurity } from './messages-central-security';
import { messagesMinimisation } from './messages-minimisation';
import { messagesWebHost } from './messages-web-host';
import { messagesAudit } from './messages-audit';
import { messagesEncryption } from './messages-encryption';
import { messagesEnrollment } from './messages-enrollment';
import { messagesUpdates } from './messages-updates';
import { messagesUploadLock } from './messages-upload-lock';
import { messagesCentralCluster } from './messages-central-cluster';
import { messagesCentralStorage } from './messages-central-storage';

/**
 * What each error tells the clerk: what happened and what to do. Placeholders {{name}} are filled from
 * the error's details. Vietnamese first; English is the second locale.
 */
const coreMessages = {
  vi: {
    FILE_EMPTY: 'Tệp "{{name}}" rỗng (0 byte). Hãy quét hoặc chọn lại tệp.',
    FILE_CORRUPT_IMAGE: 'Ảnh "{{name}}" bị hỏng, không đọc được. Hãy quét lại trang này.',
    FILE_UNSUPPORTED_TYPE: 'Tệp "{{name}}" không phải ảnh JPEG, PNG hoặc PDF. Hãy chọn đúng tệp.',
    FILE_UNSUPPORTED_PAGE_TYPE:
      'Tệp "{{name}}" không phải ảnh JPEG, PNG, TIFF hay tệp PDF nên không đưa vào bàn làm việc được. Hãy chọn đúng tệp (văn bản Word, Excel… hãy in ra PDF trước).',
    FILE_CORRUPT_PDF: 'Tệp PDF "{{name}}" bị hỏng, không mở được. Hãy xin bản khác hoặc quét lại.',
    FILE_ENCRYPTED_PDF: 'Tệp PDF "{{name}}" có mật khẩu. Hãy xin bản không khóa hoặc in ra rồi quét lại.',
    SIGNER_LOCKED: 'Chưa mở khóa chữ ký số. Hãy nhập mật khẩu tệp chữ ký số.',
    SIGNER_WRONG_PASSWORD: 'Mật khẩu tệp chữ ký số không đúng. Hãy nhập lại.',
    SIGNER_NO_KEY: 'Tệp chữ ký số không chứa khóa ký. Hãy liên hệ bộ phận CNTT.',
    SIGNER_KEYSTORE_MISSING: 'Không tìm thấy tệp chữ ký số đã cấu hình. Hãy liên hệ bộ phận CNTT.',
    SIGNER_NOT_CONFIGURED: 'Quầy chưa được cấu hình chữ ký số loại "{{role}}". Hãy liên hệ bộ phận CNTT.',
    CERT_EXPIRED: 'Chứng thư số đã hết hạn ngày {{notAfter}}. Không thể ký; hãy liên hệ bộ phận CNTT để gia hạn.',
    CERT_NOT_YET_VALID: 'Chứng thư số chưa có hiệu lực (từ ngày {{notBefore}}). Hãy kiểm tra đồng hồ máy tính.',
    CERT_BAD_KEY_USAGE: 'Chứng thư số này không được phép dùng để ký văn bản. Hãy liên hệ bộ phận CNTT.',
    SIGNATURE_PLACEHOLDER_TOO_SMALL: 'Chữ ký quá lớn so với chỗ dành sẵn trong tệp PDF. Hãy báo bộ phận CNTT.',
    DOSSIER_REQUIRED_COMPONENT_MISSING: 'Thiếu thành phần bắt buộc: {{name}}. Hãy bổ sung trước khi tiếp nhận.',
    DOSSIER_INVALID: 'Thông tin hồ sơ chưa hợp lệ: {{issue}}.',
    PROCEDURE_UNKNOWN: 'Không có thủ tục mã {{code}} trong danh mục. Hãy kiểm tra lại mã, tìm theo tên thủ tục, hoặc báo bộ phận CNTT cập nhật danh mục.',
    STORAGE_FULL: 'Ổ đĩa của máy đã đầy, không lưu được hồ sơ. Hồ sơ chưa bị mất: hãy giải phóng dung lượng rồi bấm lưu lại.',
    STORAGE_FAILED: 'Không lưu được hồ sơ vào máy. Hãy thử lại; nếu vẫn lỗi, báo bộ phận CNTT.',
    CENTRAL_UNREACHABLE: 'Chưa kết nối được hệ thống trung tâm. Hồ sơ vẫn nằm trong hàng đợi và sẽ tự gửi khi có mạng.',
    CENTRAL_NOT_A_CENTRAL: 'Địa chỉ hệ thống trung tâm trả lời không đúng (có thể mạng yêu cầu đăng nhập). Hồ sơ vẫn chờ gửi.',
    CENTRAL_SERVER_ERROR: 'Hệ thống trung tâm đang gặp lỗi. Hồ sơ vẫn nằm trong hàng đợi và sẽ được gửi lại tự động.',
    CENTRAL_REJECTED: 'Hệ thống trung tâm từ chối hồ sơ: {{issue}}. Hãy báo bộ phận CNTT.',
    CENTRAL_CONFLICT: 'Trung tâm đã có một hồ sơ khác cùng mã định danh. Hãy báo bộ phận CNTT; hồ sơ trên máy được giữ nguyên.',
    CENTRAL_FILE_HASH_MISMATCH: 'Tệp gửi lên trung tâm bị sai lệch. Máy sẽ gửi lại; nếu vẫn lỗi, báo bộ phận CNTT.',
    CENTRAL_SIGNATURE_INVALID: 'Trung tâm không chấp nhận chữ ký số trên tệp. Hãy báo bộ phận CNTT.',
    CENTRAL_UPLOAD_INCOMPLETE: 'Tệp chưa tải lên trung tâm đầy đủ. Máy sẽ tiếp tục gửi.',
    IPC_BAD_REQUEST: 'Yêu cầu nội bộ không hợp lệ ({{channel}}). Hãy báo bộ phận CNTT.',
    IPC_FORBIDDEN_SENDER: 'Yêu cầu nội bộ bị từ chối vì không đến từ ứng dụng.',
    INTERNAL: 'Lỗi không mong muốn: {{message}}. Hãy báo bộ phận CNTT.',
  },
  en: {
    FILE_EMPTY: 'File "{{name}}" is empty (0 bytes). Scan or choose the file again.',
    FILE_CORRUPT_IMAGE: 'Image "{{name}}" is damaged and cannot be read. Scan this page again.',
    FILE_UNSUPPORTED_TYPE: 'File "{{name}}" is not a JPEG, PNG or PDF. Choose the right file.',
    FILE_UNSUPPORTED_PAGE_TYPE: 'File "{{name}}" is not a JPEG, PNG, TIFF or PDF, so it cannot go into the page area. Choose the right file (print Word, Excel… documents to PDF first).',
    FILE_CORRUPT_PDF: 'PDF "{{name}}" is damaged and cannot be opened. Ask for another copy or scan it.',
    FILE_ENCRYPTED_PDF: 'PDF "{{name}}" is password-protected. Ask for an unlocked copy or print and scan it.',
    SIGNER_LOCKED: 'The signing key is locked. Enter the key file password.',
    SIGNER_WRONG_PASSWORD: 'Wrong password for the signing key file. Try again.',
    SIGNER_NO_KEY: 'The key file holds no signing key. Contact IT.',
    SIGNER_KEYSTORE_MISSING: 'The configured signing key file was not found. Contact IT.',
    SIGNER_NOT_CONFIGURED: 'No "{{role}}" signer is configured on this counter. Contact IT.',
    CERT_EXPIRED: 'The certificate expired on {{notAfter}}. Signing is not possible; contact IT to renew it.',
    CERT_NOT_YET_VALID: 'The certificate is not valid yet (from {{notBefore}}). Check the computer clock.',
    CERT_BAD_KEY_USAGE: 'This certificate may not be used to sign documents. Contact IT.',
    SIGNATURE_PLACEHOLDER_TOO_SMALL: 'The signature does not fit the space reserved in the PDF. Contact IT.',
    DOSSIER_REQUIRED_COMPONENT_MISSING: 'Required component missing: {{name}}. Add it before accepting.',
    DOSSIER_INVALID: 'The dossier is not valid yet: {{issue}}.',
    PROCEDURE_UNKNOWN: 'No procedure with code {{code}} in the catalog. Check the code, search by name, or ask IT to update the catalog.',
    STORAGE_FULL: 'The disk is full; the dossier was not saved. Nothing is lost: free some space and save again.',
    STORAGE_FAILED: 'The dossier could not be saved on this computer. Try again; if it persists, contact IT.',
    CENTRAL_UNREACHABLE: 'The central system cannot be reached. The dossier stays queued and will be sent when online.',
    CENTRAL_NOT_A_CENTRAL: 'The central address gave an unexpected answer (perhaps a network login page). The dossier stays queued.',
    CENTRAL_SERVER_ERROR: 'The central system has an error. The dossier stays queued and will be resent automatically.',
    CENTRAL_REJECTED: 'The central system rejected the dossier: {{issue}}. Contact IT.',
    CENTRAL_CONFLICT: 'The central already holds a different dossier with the same id. Contact IT; the local copy is kept.',
    CENTRAL_FILE_HASH_MISMATCH: 'A file arrived altered at the central. It will be resent; if it persists, contact IT.',
    CENTRAL_SIGNATURE_INVALID: 'The central did not accept the digital signature on a file. Contact IT.',
    CENTRAL_UPLOAD_INCOMPLETE: 'A file has not fully reached the central. Sending continues.',
    IPC_BAD_REQUEST: 'Invalid internal request ({{channel}}). Contact IT.',
    IPC_FORBIDDEN_SENDER: 'Internal request refused: it did not come from the app.',
    INTERNAL: 'Unexpected error: {{message}}. Contact IT.',
  },
} as const;

/** The whole catalog: core messages plus each area's own file. Fails to compile if a code lacks a text. */
export const errorMessages = {
  vi: { ...coreMessages.vi, ...messagesCalendar.vi, ...messagesCamera.vi, ...messagesCapture.vi, ...messagesCatalog.vi, ...messagesCentral.vi, ...messagesCentralDevices.vi, ...messagesDomain.vi, ...messagesDesk.vi, ...messagesImaging.vi, ...messagesPdf.vi, ...messagesPrinting.vi, ...messagesQueue.vi, ...messagesResults.vi, ...messagesRetention.vi, ...messagesSigning.vi, ...messagesSync.vi, ...messagesTimeLimits.vi, ...messagesForms.vi, ...messagesTimestamp.vi, ...messagesToken.vi, ...messagesTrust.vi, ...messagesDigitization.vi, ...messagesDossierCode.vi, ...messagesOutbound.vi, ...messagesCentralLimits.vi, ...messagesCentralUnits.vi, ...messagesSigningSession.vi, ...messagesInputHardening.vi, ...messagesCentralSecurity.vi, ...messagesMinimisation.vi, ...messagesWebHost.vi, ...messagesAudit.vi, ...messagesEncryption.vi, ...messagesEnrollment.vi, ...messagesUpdates.vi, ...messagesUploadLock.vi, ...messagesCentralCluster.vi, ...messagesCentralStorage.vi },
  en: { ...coreMessages.en, ...messagesCalendar.en, ...messagesCamera.en, ...messagesCapture.en, ...messagesCatalog.en, ...messagesCentral.en, ...messagesCentralDevices.en, ...messagesDomain.en, ...messagesDesk.en, ...messagesImaging.en, ...messagesPdf.en, ...messagesPrinting.en, ...messagesQueue.en, ...messagesResults.en, ...messagesRetention.en, ...messagesSigning.en, ...messagesSync.en, ...messagesTimeLimits.en, ...messagesForms.en, ...messagesTimestamp.en, ...messagesToken.en, ...messagesTrust.en, ...messagesDigitization.en, ...messagesDossierCode.en, ...messagesOutbound.en, ...messagesCentralLimits.en, ...messagesCentralUnits.en, ...messagesSigningSession.en, ...messagesInputHardening.en, ...messagesCentralSecurity.en, ...messagesMinimisation.en, ...messagesWebHost.en, ...messagesAudit.en, ...messagesEncryption.en, ...messagesEnrollment.en, ...messagesUpdates.en, ...messagesUploadLock.en, ...messagesCentralCluster.en, ...messagesCentralStorage.en },
} as const satisfies Record<'vi' | 'en', Record<ErrorCode, string>>;

export type Locale = keyof typeof errorMessages;

/** The message for an error, with its details filled in. Unknown placeholders are left visible. */
export function describeError(locale: Locale, code: ErrorCode, details: ErrorDetails = {}): string {
  const template: string = errorMessages[locale][code];
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in details ? String(details[key]) : whole));
}
