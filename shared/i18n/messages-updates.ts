/**
 * Counter updates served by the central: the back office registering a release, and the counter checking,
 * downloading and verifying one.
 */
export const messagesUpdates = {
  vi: {
    RELEASE_CONFLICT: 'Phiên bản {{version}} đã có trên hệ thống trung tâm với nội dung khác. Một phiên bản đã phát hành không được thay tệp; hãy đánh số phiên bản mới rồi tải lên lại.',
    RELEASE_FILE_MISSING: 'Chưa có tệp {{file}} của phiên bản {{version}} trên hệ thống trung tâm. Hãy tải tệp lên trước (motcua central release add làm cả hai bước).',
    RELEASE_FILE_MISMATCH: 'Tệp {{file}} của phiên bản {{version}} trên hệ thống trung tâm ({{size}} byte) không khớp kích thước hoặc mã băm SHA-512 đã khai. Tệp có thể bị hỏng khi tải lên; hãy tải lên lại từ bản gốc.',
    UPDATE_MANIFEST_INVALID: 'Thông tin bản cập nhật hệ thống trung tâm gửi về không đọc được ({{reason}}). Máy vẫn dùng phiên bản hiện tại; hãy báo bộ phận CNTT.',
    UPDATE_SIGNATURE_INVALID: 'Bản cập nhật {{version}} không có chữ ký hợp lệ của nhà phát hành nên không được cài. Máy vẫn dùng phiên bản hiện tại; hãy báo ngay bộ phận CNTT vì đây có thể là tệp giả mạo.',
    UPDATE_FILE_INVALID: 'Tệp cập nhật {{version}} tải về không khớp mã băm hoặc kích thước đã công bố nên đã bị xóa và không được cài. Máy sẽ tải lại ở lần kiểm tra sau; nếu lặp lại, hãy báo bộ phận CNTT.',
    UPDATE_DOWNLOAD_FAILED: 'Chưa tải xong bản cập nhật {{version}} ({{reason}}). Phần đã tải được giữ lại và sẽ tải tiếp khi có mạng; việc gửi hồ sơ không bị ảnh hưởng.',
    COUNTER_UPDATE_REQUIRED: 'Máy quầy cần cập nhật trước khi gửi: hệ thống trung tâm chỉ nhận hồ sơ từ phiên bản {{minimumVersion}} trở lên (máy này: {{version}}). Hồ sơ chưa gửi vẫn được giữ nguyên trên máy và sẽ tự gửi sau khi cập nhật; vẫn tiếp nhận hồ sơ mới bình thường. Máy tự tải bản cập nhật và cài khi quầy rảnh; nếu quá một ngày chưa xong, hãy báo bộ phận CNTT.',
  },
  en: {
    RELEASE_CONFLICT: 'Version {{version}} is already on the central with other content. A released version’s files cannot be replaced; give it a new version number and upload again.',
    RELEASE_FILE_MISSING: 'The file {{file}} of version {{version}} is not on the central yet. Upload it first (motcua central release add does both steps).',
    RELEASE_FILE_MISMATCH: 'The file {{file}} of version {{version}} on the central ({{size}} bytes) does not match the declared size or SHA-512. It may have been damaged in upload; upload it again from the original.',
    UPDATE_MANIFEST_INVALID: 'The update information from the central cannot be read ({{reason}}). This PC keeps its current version; tell IT.',
    UPDATE_SIGNATURE_INVALID: 'Update {{version}} does not carry a valid publisher signature, so it will not be installed. This PC keeps its current version; tell IT at once, the file may be forged.',
    UPDATE_FILE_INVALID: 'The downloaded update {{version}} does not match its published hash or size, so it was deleted and not installed. It will be downloaded again at the next check; if this repeats, tell IT.',
    UPDATE_DOWNLOAD_FAILED: 'Update {{version}} is not fully downloaded yet ({{reason}}). What was received is kept and the download resumes when the link is back; sending dossiers is not affected.',
    COUNTER_UPDATE_REQUIRED: 'This counter must update before it sends: the central accepts dossiers only from version {{minimumVersion}} on (this PC: {{version}}). Unsent dossiers stay on this PC and are sent after the update; receiving new dossiers goes on as usual. The PC downloads the update itself and installs it when the counter is idle; if it is not done within a day, tell IT.',
  },
} as const;
