/** Messages for the digitization checks (Circular 01/2023/TT-VPCP Art. 8.2): what happened, then what to do. */
export const messagesDigitization = {
  vi: {
    DIGITIZATION_PAGE_COUNT_MISMATCH:
      'Thành phần "{{component}}": số trang đã số hóa ({{inputPages}}) khác số trang giấy ({{paperPages}}). Hãy quét bổ sung hoặc xóa trang thừa, sửa lại số trang giấy nếu đếm nhầm, hoặc đánh dấu "Đã kiểm tra" nếu chênh lệch là đúng.',
    DIGITIZATION_NOTE_PAIR_INVALID:
      'Không ghép được trang {{n}} với trang ngay sau nó: cần hai ảnh một trang đứng liền nhau, chưa thuộc cặp nào. Hãy chụp trang có giấy ghi chú, rồi chụp lại trang đó sau khi bóc ghi chú, rồi ghép.',
  },
  en: {
    DIGITIZATION_PAGE_COUNT_MISMATCH:
      'Component "{{component}}": the digitized copy stands for {{inputPages}} pages but the paper has {{paperPages}}. Scan the missing pages or delete extra ones, correct the paper page count if it was miscounted, or tick "Checked" if the difference is right.',
    DIGITIZATION_NOTE_PAIR_INVALID:
      'Page {{n}} cannot be paired with the page after it: two single-page images side by side, neither already in a pair, are needed. Capture the page with its sticky note, then again with the note lifted, then pair them.',
  },
} as const;
