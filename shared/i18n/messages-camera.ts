/** Messages for the document camera and the CCCD QR read from images: what happened, then what to do. */
export const messagesCamera = {
  vi: {
    CAMERA_UNAVAILABLE: 'Không mở được camera ({{reason}}). Hãy kiểm tra camera đã cắm và không có chương trình khác đang dùng, rồi bấm "Mở camera" lại.',
    CAMERA_DENIED: 'Ứng dụng không được phép dùng camera. Hãy báo bộ phận CNTT; trong lúc chờ, hãy dùng máy quét.',
    CCCD_QR_NOT_FOUND: 'Không tìm thấy mã QR thẻ căn cước trên "{{name}}". Hãy chụp/quét lại rõ hơn (mã QR nằm trọn trong ảnh, không lóa), hoặc nhập thông tin bằng tay.',
  },
  en: {
    CAMERA_UNAVAILABLE: 'The camera could not be opened ({{reason}}). Check that it is plugged in and no other program is using it, then press "Open camera" again.',
    CAMERA_DENIED: 'The app is not allowed to use the camera. Tell IT support; meanwhile, use the scanner.',
    CCCD_QR_NOT_FOUND: 'No ID card QR code was found on "{{name}}". Photograph or scan it again more clearly (the whole QR code in the picture, no glare), or type the details.',
  },
} as const;
