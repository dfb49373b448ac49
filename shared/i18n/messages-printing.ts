/** Printing a produced form (the receipt, Mẫu 02–06, result documents). */
export const messagesPrinting = {
  vi: {
    PRINT_RENDER_FAILED: 'Không dựng được trang {{page}} của "{{label}}" để in ({{issue}}). Hãy bấm "Tải về" rồi in tệp PDF; nếu vẫn lỗi, báo bộ phận CNTT.',
    PRINT_FAILED: 'Máy in không nhận lệnh in ({{reason}}). Hãy kiểm tra máy in đã bật, còn giấy, rồi bấm in lại; nếu vẫn lỗi, báo bộ phận CNTT.',
    PRINTER_NOT_FOUND: 'Không tìm thấy máy in "{{printer}}" đã cấu hình cho quầy. Hãy kiểm tra máy in đã bật và đã kết nối với máy tính, rồi bấm in lại; nếu vẫn lỗi, báo bộ phận CNTT kiểm tra tên máy in trong tệp cấu hình.',
    PRINT_UNAVAILABLE: 'Ở đây không in trực tiếp được ({{reason}}). Hãy bấm "Tải về" rồi in tệp PDF.',
  },
  en: {
    PRINT_RENDER_FAILED: 'Page {{page}} of "{{label}}" could not be drawn for printing ({{issue}}). Use "Download" and print the PDF; if it keeps failing, tell IT.',
    PRINT_FAILED: 'The printer did not take the job ({{reason}}). Check that it is on and has paper, then print again; if it keeps failing, tell IT.',
    PRINTER_NOT_FOUND: 'The printer "{{printer}}" configured for this counter was not found. Check that it is on and connected, then print again; if it keeps failing, ask IT to check the printer name in the configuration file.',
    PRINT_UNAVAILABLE: 'Printing directly is not possible here ({{reason}}). Use "Download" and print the PDF.',
  },
} as const;
