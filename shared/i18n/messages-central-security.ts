/** Messages for the central's TLS, admin token, demo trust and upload cap (issue 17, findings 6 and 10). */
export const messagesCentralSecurity = {
  vi: {
    CENTRAL_TLS_FILE_UNREADABLE:
      'Không đọc được tệp TLS {{path}} ({{file}}): {{reason}}. Hãy kiểm tra đường dẫn và quyền đọc của tài khoản chạy trung tâm.',
    CENTRAL_TLS_INVALID:
      'Chứng thư hoặc khóa TLS không dùng được: {{reason}}. Hãy dùng tệp PEM của chứng thư máy chủ và đúng khóa riêng của nó (--tls-cert, --tls-key).',
    CENTRAL_ADMIN_TOKEN_FILE_UNSAFE:
      'Tệp mã quản trị {{path}} có quyền {{mode}}: người dùng khác đọc được nên trung tâm không dùng. Hãy chạy chmod 600 {{path}} (và đổi mã nếu đã lộ).',
    CENTRAL_ADMIN_TOKEN_ON_COMMAND_LINE:
      'Không nhận mã quản trị trên dòng lệnh (ai trên máy cũng xem được bằng ps). Hãy đặt biến môi trường MOTCUA_CENTRAL_ADMIN_TOKEN hoặc dùng --admin-token-file <tệp> (quyền 600).',
    CENTRAL_TRUST_REQUIRED:
      'Chưa chỉ định chứng thư gốc tin cậy. Hãy dùng --trust <tệp PEM hoặc thư mục> cho chứng thư gốc của các quầy; chỉ khi chạy thử mới dùng --demo (tin chứng thư gốc thử nghiệm).',
    CENTRAL_UPLOADS_BUSY:
      'Máy này đang có {{inProgress}} tệp gửi dở lên trung tâm (tối đa {{limit}}). Hồ sơ vẫn được giữ trên máy và sẽ tự gửi lại sau; nếu lỗi lặp lại, hãy báo bộ phận CNTT.',
  },
  en: {
    CENTRAL_TLS_FILE_UNREADABLE:
      'Cannot read the TLS file {{path}} ({{file}}): {{reason}}. Check the path and that the account running the central may read it.',
    CENTRAL_TLS_INVALID:
      'The TLS certificate or key cannot be used: {{reason}}. Give the server certificate as PEM and its own private key (--tls-cert, --tls-key).',
    CENTRAL_ADMIN_TOKEN_FILE_UNSAFE:
      'The admin token file {{path}} has mode {{mode}}: other users can read it, so the central does not use it. Run chmod 600 {{path}} (and change the token if it leaked).',
    CENTRAL_ADMIN_TOKEN_ON_COMMAND_LINE:
      'The admin token is not accepted on the command line (anyone on the machine can see it with ps). Set the MOTCUA_CENTRAL_ADMIN_TOKEN environment variable or use --admin-token-file <file> (mode 600).',
    CENTRAL_TRUST_REQUIRED:
      'No trusted root certificate given. Use --trust <PEM file or folder> for the counters’ root; only for a trial run use --demo (trusts the demo root).',
    CENTRAL_UPLOADS_BUSY:
      'This PC already has {{inProgress}} files being uploaded to the central (at most {{limit}}). Dossiers stay on this PC and are sent again later; if this keeps happening, contact IT.',
  },
} as const;
