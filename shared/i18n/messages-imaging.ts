/** Messages for page clean-up and OCR in the page workspace: what happened, then what to do. */
export const messagesImaging = {
  vi: {
    IMAGING_PAGE_BELOW_MIN_DPI:
      'Thành phần "{{component}}" có {{count}} trang quét dưới 200 dpi (trang {{pages}}). Nghị định 30/2020 yêu cầu bản số hóa từ 200 dpi trở lên: hãy quét lại các trang đó ở 200 dpi hoặc cao hơn.',
    IMAGING_CLEANUP_FAILED: 'Không làm sạch được trang "{{name}}" ({{reason}}). Trang gốc vẫn được giữ nguyên và dùng được.',
    IMAGING_OCR_FAILED: 'Không nhận dạng được chữ trên trang "{{name}}" ({{reason}}). Bản PDF vẫn được ký, chỉ không tìm kiếm được chữ trên trang này.',
  },
  en: {
    IMAGING_PAGE_BELOW_MIN_DPI:
      'Component "{{component}}" has {{count}} page(s) scanned below 200 dpi (page {{pages}}). Decree 30/2020 requires at least 200 dpi: rescan those pages at 200 dpi or more.',
    IMAGING_CLEANUP_FAILED: 'Page "{{name}}" could not be cleaned up ({{reason}}). The original page is kept and can be used.',
    IMAGING_OCR_FAILED: 'Text on page "{{name}}" could not be recognised ({{reason}}). The PDF is still signed; only this page is not searchable.',
  },
} as const;
