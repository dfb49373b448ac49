/**
 * The dossier: procedure and components, status transitions, stopping at the applicant's request (Decree
 * 118/2025 Art. 21), the digitization checks (Circular 01/2023 Art. 8.2), result documents, and reprints once
 * the printed forms are no longer kept on the counter (minimisation: a reprint of the receipt is regenerated
 * from the central's copy).
 */
export const messagesDossier = {
  vi: {
    PROCEDURE_UNKNOWN: 'Không có thủ tục mã {{code}} trong danh mục. Hãy kiểm tra lại mã, tìm theo tên thủ tục, hoặc báo bộ phận CNTT cập nhật danh mục.',
    DOSSIER_REQUIRED_COMPONENT_MISSING: 'Thiếu thành phần bắt buộc: {{name}}. Hãy bổ sung trước khi tiếp nhận.',
    DOSSIER_INVALID: 'Thông tin hồ sơ chưa hợp lệ: {{issue}}.',
    DOSSIER_STATUS_TRANSITION_INVALID: 'Không thể chuyển hồ sơ từ trạng thái {{from}} sang {{to}}. Hãy kiểm tra trạng thái hiện tại của hồ sơ.',
    DOSSIER_ALREADY_STOPPED: 'Hồ sơ {{code}} đã được dừng giải quyết từ {{at}}, không dừng lần nữa. Nếu công dân cần lại Thông báo dừng giải quyết hồ sơ, hãy in lại Mẫu 05 trong "Biểu mẫu đã in".',
    DOSSIER_STOP_NOT_ALLOWED: 'Hồ sơ {{code}} đang ở trạng thái "{{status}}" nên không dừng giải quyết được: chỉ dừng được từ khi tiếp nhận đến trước khi có kết quả giải quyết (Điều 21 Nghị định 118/2025/NĐ-CP). Hãy giải thích cho công dân; nếu kết quả đã có, làm thủ tục trả kết quả.',
    DIGITIZATION_PAGE_COUNT_MISMATCH: 'Thành phần "{{component}}": số trang đã số hóa ({{inputPages}}) khác số trang giấy ({{paperPages}}). Hãy quét bổ sung hoặc xóa trang thừa, sửa lại số trang giấy nếu đếm nhầm, hoặc đánh dấu "Đã kiểm tra" nếu chênh lệch là đúng.',
    DIGITIZATION_NOTE_PAIR_INVALID: 'Không ghép được trang {{n}} với trang ngay sau nó: cần hai ảnh một trang đứng liền nhau, chưa thuộc cặp nào. Hãy chụp trang có giấy ghi chú, rồi chụp lại trang đó sau khi bóc ghi chú, rồi ghép.',
    RESULT_FILE_MISMATCH: 'Tệp kết quả "{{name}}" của hồ sơ {{code}} tải về không khớp với thông tin trung tâm công bố ({{issue}}). Máy KHÔNG lưu tệp này. Hãy bấm "Đồng bộ ngay" để tải lại; nếu vẫn lỗi, báo bộ phận CNTT kiểm tra tệp ở trung tâm.',
    RESULT_FILE_TOO_LARGE: 'Tệp kết quả "{{name}}" của hồ sơ {{code}} dài {{size}} byte, vượt giới hạn {{limit}} byte nên máy không tải về. Hãy báo bộ phận CNTT.',
    REPRINT_NEEDS_CENTRAL: 'Không in lại được phiếu của hồ sơ {{code}}: máy quầy không còn lưu thông tin cá nhân của người nộp (đã chuyển về hệ thống trung tâm), nên cần kết nối tới trung tâm để lập lại phiếu, mà hiện chưa kết nối được. Hãy kiểm tra mạng rồi bấm in lại.',
    REPRINT_NOT_AT_CENTRAL: 'Hệ thống trung tâm không tìm thấy hồ sơ {{code}} của đơn vị này nên không lập lại được phiếu. Hãy báo bộ phận CNTT.',
    REPRINT_NOT_KEPT: 'Bản "{{label}}" không còn lưu trên máy quầy sau khi trung tâm đã nhận hồ sơ (để bảo vệ thông tin cá nhân). Nếu cần, hãy lập lại mẫu này bằng nút tương ứng trên hồ sơ, hoặc lấy bản lưu trên hệ thống trung tâm.',
  },
  en: {
    PROCEDURE_UNKNOWN: 'No procedure with code {{code}} in the catalog. Check the code, search by name, or ask IT to update the catalog.',
    DOSSIER_REQUIRED_COMPONENT_MISSING: 'Required component missing: {{name}}. Add it before accepting.',
    DOSSIER_INVALID: 'The dossier is not valid yet: {{issue}}.',
    DOSSIER_STATUS_TRANSITION_INVALID: 'A dossier cannot move from status {{from}} to {{to}}. Check its current status.',
    DOSSIER_ALREADY_STOPPED: 'Dossier {{code}} was already stopped on {{at}}; it cannot be stopped twice. If the applicant needs the stop notice again, reprint Form 05 from "Printed forms".',
    DOSSIER_STOP_NOT_ALLOWED: 'Dossier {{code}} is "{{status}}", so it cannot be stopped: a dossier can be stopped only between its receipt and the decision (Decree 118/2025 Art. 21). Explain this to the applicant; if the result is ready, hand it over instead.',
    DIGITIZATION_PAGE_COUNT_MISMATCH: 'Component "{{component}}": the digitized copy stands for {{inputPages}} pages but the paper has {{paperPages}}. Scan the missing pages or delete extra ones, correct the paper page count if it was miscounted, or tick "Checked" if the difference is right.',
    DIGITIZATION_NOTE_PAIR_INVALID: 'Page {{n}} cannot be paired with the page after it: two single-page images side by side, neither already in a pair, are needed. Capture the page with its sticky note, then again with the note lifted, then pair them.',
    RESULT_FILE_MISMATCH: 'The result file "{{name}}" of dossier {{code}} does not match what the central declared ({{issue}}). It was NOT stored. Press "Sync now" to fetch it again; if it keeps failing, ask IT to check the file at the central.',
    RESULT_FILE_TOO_LARGE: 'The result file "{{name}}" of dossier {{code}} is {{size}} bytes, over the {{limit}}-byte limit, so it was not downloaded. Tell IT.',
    REPRINT_NEEDS_CENTRAL: 'The form of dossier {{code}} cannot be reprinted: this counter no longer keeps the applicant\'s personal details (they are at the central), so the form is rebuilt from the central, which cannot be reached now. Check the network, then reprint.',
    REPRINT_NOT_AT_CENTRAL: 'The central does not hold dossier {{code}} for this unit, so the form cannot be rebuilt. Tell IT.',
    REPRINT_NOT_KEPT: 'The copy of "{{label}}" is no longer kept on this counter once the central has the dossier (to protect personal data). If needed, issue the form again with its button on the dossier, or take the copy kept at the central.',
  },
} as const;
