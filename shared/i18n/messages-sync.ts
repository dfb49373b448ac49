/**
 * Sync with the central, as the counter sees it: reachability, the central's answers, uploads, limits, reference
 * data.
 */
export const messagesSync = {
  vi: {
    CENTRAL_UNREACHABLE: 'Chưa kết nối được hệ thống trung tâm. Hồ sơ vẫn nằm trong hàng đợi và sẽ tự gửi khi có mạng.',
    CENTRAL_NOT_A_CENTRAL: 'Địa chỉ hệ thống trung tâm trả lời không đúng (có thể mạng yêu cầu đăng nhập). Hồ sơ vẫn chờ gửi.',
    CENTRAL_SERVER_ERROR: 'Hệ thống trung tâm đang gặp lỗi. Hồ sơ vẫn nằm trong hàng đợi và sẽ được gửi lại tự động.',
    CENTRAL_REJECTED: 'Hệ thống trung tâm từ chối hồ sơ: {{issue}}. Hãy báo bộ phận CNTT.',
    CENTRAL_CONFLICT: 'Trung tâm đã có một hồ sơ khác cùng mã định danh. Hãy báo bộ phận CNTT; hồ sơ trên máy được giữ nguyên.',
    CENTRAL_NOT_FOUND: 'Hệ thống trung tâm không có hồ sơ hoặc tệp được yêu cầu. Hãy kiểm tra lại mã hồ sơ hoặc báo bộ phận CNTT.',
    CENTRAL_CODE_AMBIGUOUS: 'Số "{{code}}" ứng với nhiều hồ sơ ({{dossierIds}}) nên hệ thống không biết hồ sơ nào. Hãy tìm theo mã hồ sơ chính thức hoặc theo mã định danh (UUID) của hồ sơ.',
    CENTRAL_FILE_HASH_MISMATCH: 'Tệp gửi lên trung tâm bị sai lệch. Máy sẽ gửi lại; nếu vẫn lỗi, báo bộ phận CNTT.',
    CENTRAL_SIGNATURE_INVALID: 'Trung tâm không chấp nhận chữ ký số trên tệp. Hãy báo bộ phận CNTT.',
    CENTRAL_UPLOAD_INCOMPLETE: 'Tệp chưa tải lên trung tâm đầy đủ. Máy sẽ tiếp tục gửi.',
    CENTRAL_UPLOAD_STALLED: 'Đường truyền bị treo khi gửi tệp "{{file}}" (không có dữ liệu đi qua trong {{seconds}} giây). Máy sẽ tự gửi tiếp từ chỗ đã dừng; không cần làm gì. Nếu lặp lại nhiều lần, hãy báo bộ phận CNTT kiểm tra mạng.',
    CENTRAL_UPLOADS_BUSY: 'Máy này đang có {{inProgress}} tệp gửi dở lên trung tâm (tối đa {{limit}}). Hồ sơ vẫn được giữ trên máy và sẽ tự gửi lại sau; nếu lỗi lặp lại, hãy báo bộ phận CNTT.',
    CENTRAL_RATE_LIMITED: 'Hệ thống trung tâm đang nhận quá nhiều yêu cầu từ máy này ({{route}}) nên tạm từ chối. Hồ sơ vẫn được giữ trên máy và sẽ tự gửi lại sau khoảng {{retryAfterSeconds}} giây; nếu lỗi lặp lại, hãy báo bộ phận CNTT.',
    REFERENCE_DATA_INVALID: 'Dữ liệu danh mục/lịch "{{kind}}" không hợp lệ: {{issue}}. Bản đang dùng được giữ nguyên.',
  },
  en: {
    CENTRAL_UNREACHABLE: 'The central system cannot be reached. The dossier stays queued and will be sent when online.',
    CENTRAL_NOT_A_CENTRAL: 'The central address gave an unexpected answer (perhaps a network login page). The dossier stays queued.',
    CENTRAL_SERVER_ERROR: 'The central system has an error. The dossier stays queued and will be resent automatically.',
    CENTRAL_REJECTED: 'The central system rejected the dossier: {{issue}}. Contact IT.',
    CENTRAL_CONFLICT: 'The central already holds a different dossier with the same id. Contact IT; the local copy is kept.',
    CENTRAL_NOT_FOUND: 'The central system has no such dossier or file. Check the dossier code or contact IT.',
    CENTRAL_CODE_AMBIGUOUS: 'Number "{{code}}" belongs to several dossiers ({{dossierIds}}), so the central cannot tell which one is meant. Look the dossier up by its official code or by its id (UUID).',
    CENTRAL_FILE_HASH_MISMATCH: 'A file arrived altered at the central. It will be resent; if it persists, contact IT.',
    CENTRAL_SIGNATURE_INVALID: 'The central did not accept the digital signature on a file. Contact IT.',
    CENTRAL_UPLOAD_INCOMPLETE: 'A file has not fully reached the central. Sending continues.',
    CENTRAL_UPLOAD_STALLED: 'The link stalled while sending "{{file}}" (nothing got through for {{seconds}} seconds). Sending resumes by itself from where it stopped; nothing to do. If it keeps happening, ask IT to check the network.',
    CENTRAL_UPLOADS_BUSY: 'This PC already has {{inProgress}} files being uploaded to the central (at most {{limit}}). Dossiers stay on this PC and are sent again later; if this keeps happening, contact IT.',
    CENTRAL_RATE_LIMITED: 'The central system is receiving too many requests from this PC ({{route}}) and refused for now. Dossiers stay on this PC and are sent again in about {{retryAfterSeconds}} seconds; if this keeps happening, contact IT.',
    REFERENCE_DATA_INVALID: 'The "{{kind}}" reference data is invalid: {{issue}}. The copy in use is kept.',
  },
} as const;
