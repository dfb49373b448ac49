/** Messages for the error codes of page clean-up (shared/imaging, electron/services/imaging). */
export const messagesImaging = {
  vi: {
    FILE_IMAGE_TOO_LARGE:
      'Ảnh "{{name}}" quá lớn ({{width}}×{{height}} điểm ảnh), không phải một trang quét tài liệu. Hãy quét lại ở độ phân giải 200–300 dpi.',
  },
  en: {
    FILE_IMAGE_TOO_LARGE: 'Image "{{name}}" is too large ({{width}}×{{height}} pixels) to be a document scan. Scan it again at 200–300 dpi.',
  },
} as const;
