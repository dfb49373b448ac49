/**
 * The counter's storage: disk, IndexedDB, the ledger that notices a replaced database, main's spool, encryption
 * at rest, and file bytes deleted after the central confirmed them.
 */
export const messagesStorage = {
  vi: {
    STORAGE_FULL: 'Ổ đĩa của máy đã đầy, không lưu được hồ sơ. Hồ sơ chưa bị mất: hãy giải phóng dung lượng rồi bấm lưu lại.',
    STORAGE_FAILED: 'Không lưu được hồ sơ vào máy. Hãy thử lại; nếu vẫn lỗi, báo bộ phận CNTT.',
    STORAGE_SPACE_LOW: 'Ổ đĩa máy tính sắp đầy (còn trống {{free}}). Không tiếp nhận thêm hồ sơ để tránh mất dữ liệu. Hãy báo bộ phận CNTT giải phóng dung lượng; các hồ sơ đã lưu vẫn an toàn.',
    STORAGE_OPEN_FAILED: 'Không mở được cơ sở dữ liệu hồ sơ trên máy này ({{reason}}). Dữ liệu KHÔNG bị xóa. Đừng xóa dữ liệu trình duyệt hay cài lại ứng dụng; hãy báo ngay bộ phận CNTT.',
    STORAGE_DAMAGED: 'Dữ liệu tệp "{{name}}" (hồ sơ {{code}}) lưu trong máy bị hỏng, không gửi được. Hãy quét lại thành phần này hoặc báo bộ phận CNTT.',
    STORAGE_DATABASE_REPLACED: 'Cơ sở dữ liệu hồ sơ đang mở trên máy không phải cơ sở dữ liệu máy đã dùng trước đó (trước đó giữ {{held}} hồ sơ). Không tiếp nhận hồ sơ mới trên cơ sở dữ liệu này cho tới khi bộ phận CNTT kiểm tra và xác nhận.',
    STORAGE_LEDGER_DAMAGED: 'Tệp ghi nhận cơ sở dữ liệu của máy quầy ({{path}}) bị hỏng nên không kiểm tra được dữ liệu hồ sơ trên máy ({{reason}}). Không xóa gì cả — hãy báo bộ phận CNTT.',
    SPOOL_FAILED: 'Không ghi được bản lưu dự phòng của hồ sơ vào máy ({{reason}}), nên hồ sơ chưa được tiếp nhận. Hồ sơ chưa bị mất: hãy bấm lưu lại; nếu vẫn lỗi, báo bộ phận CNTT.',
    SPOOL_DAMAGED: 'Bản lưu dự phòng của hồ sơ {{code}} trên máy bị hỏng ({{reason}}), không dùng để khôi phục được. Không xóa gì cả — hãy báo bộ phận CNTT.',
    DATA_KEY_UNAVAILABLE: 'Không mở được khóa mã hóa dữ liệu của máy này ({{reason}}), nên không đọc được hồ sơ lưu trên máy. Không có gì bị xóa. Hãy đăng nhập đúng tài khoản Windows đã dùng trước đây rồi mở lại ứng dụng; nếu vẫn lỗi, báo bộ phận CNTT (bản gốc hồ sơ đã gửi nằm ở hệ thống trung tâm).',
    DATA_KEY_MISMATCH: 'Dữ liệu "{{table}}" trên máy không giải mã được bằng khóa hiện tại (khóa khác hoặc dữ liệu bị sửa). Không có gì được hiển thị sai hay bị xóa. Hãy báo bộ phận CNTT; hồ sơ đã gửi vẫn còn ở hệ thống trung tâm.',
    FILE_PURGED: 'Tệp "{{name}}" của hồ sơ {{code}} đã được xóa khỏi máy sau khi trung tâm xác nhận đã nhận (bản gốc ở trung tâm). Đây không phải lỗi dữ liệu; nếu cần xem lại, hãy mở hồ sơ trên hệ thống trung tâm.',
  },
  en: {
    STORAGE_FULL: 'The disk is full; the dossier was not saved. Nothing is lost: free some space and save again.',
    STORAGE_FAILED: 'The dossier could not be saved on this computer. Try again; if it persists, contact IT.',
    STORAGE_SPACE_LOW: 'The disk is almost full ({{free}} free). No more dossiers are accepted so that nothing is lost. Ask IT to free space; saved dossiers are safe.',
    STORAGE_OPEN_FAILED: 'The dossier database on this computer cannot be opened ({{reason}}). Nothing was deleted. Do not clear browser data or reinstall; contact IT now.',
    STORAGE_DAMAGED: 'The stored file "{{name}}" of dossier {{code}} is damaged on this computer and cannot be sent. Rescan this component or contact IT.',
    STORAGE_DATABASE_REPLACED: 'The dossier database open on this PC is not the one this PC used before (which held {{held}} dossiers). Do not accept new dossiers on it until IT has checked and confirmed it.',
    STORAGE_LEDGER_DAMAGED: 'The counter\'s database ledger ({{path}}) is damaged, so the dossier data on this PC cannot be checked ({{reason}}). Nothing was deleted — contact IT.',
    SPOOL_FAILED: 'The backup copy of the dossier could not be written on this PC ({{reason}}), so the dossier was not accepted. Nothing is lost: save again; if it persists, contact IT.',
    SPOOL_DAMAGED: 'The backup copy of dossier {{code}} on this PC is damaged ({{reason}}) and cannot be used to restore it. Nothing was deleted — contact IT.',
    DATA_KEY_UNAVAILABLE: 'This PC’s data encryption key could not be opened ({{reason}}), so the dossiers stored here cannot be read. Nothing was deleted. Sign in with the same Windows account as before and restart the app; if it persists, call IT (dossiers already sent are held by the central).',
    DATA_KEY_MISMATCH: 'Stored data "{{table}}" cannot be decrypted with the current key (another key, or the data was altered). Nothing was shown wrongly or deleted. Call IT; dossiers already sent are still held by the central.',
    FILE_PURGED: 'The file "{{name}}" of dossier {{code}} was deleted from this PC after the central confirmed receiving it (the original is at the central). The data is not damaged; to see it again, open the dossier in the central system.',
  },
} as const;
