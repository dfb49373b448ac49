/** Messages for issue 17's signing sessions (electron/services/signing/signing-guard.ts). */
export const messagesSigningSession = {
  vi: {
    SIGNING_SESSION_REQUIRED:
      'Chữ ký số chỉ được dùng trong lúc tiếp nhận một hồ sơ; phiên ký của hồ sơ này đã đóng (khóa tự động hoặc đã xong). Không có gì được ký. Hãy mở khóa chữ ký số rồi bấm tiếp nhận lại.',
    SIGNING_SESSION_EXHAUSTED:
      'Phiên ký của hồ sơ này không còn thành phần "{{component}}" để ký (đã ký đủ {{expected}} tệp đã định). Không có gì được ký thêm. Hãy làm lại thao tác tiếp nhận; nếu vẫn lỗi, báo bộ phận CNTT.',
  },
  en: {
    SIGNING_SESSION_REQUIRED:
      'The signing key is only used while a dossier is being accepted; this dossier’s signing session is closed (auto-lock, or already done). Nothing was signed. Unlock the key and accept again.',
    SIGNING_SESSION_EXHAUSTED:
      'This dossier’s signing session has no component "{{component}}" left to sign (all {{expected}} planned files are signed). Nothing more was signed. Start the acceptance again; if it persists, call IT.',
  },
} as const;
