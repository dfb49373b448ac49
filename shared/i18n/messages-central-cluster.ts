/** Messages for the central's cluster settings (issue 19, central/src/cluster/settings.ts): start-up errors for IT. */
export const messagesCentralCluster = {
  vi: {
    CENTRAL_CLUSTER_DATABASE_REQUIRED:
      'Chế độ cụm (--cluster) cần một cơ sở dữ liệu PostgreSQL dùng chung: hãy thêm --database postgres://… (hoặc biến MOTCUA_CENTRAL_DATABASE_URL). Cơ sở dữ liệu nhúng chỉ dùng được cho một tiến trình.',
    CENTRAL_CLUSTER_S3_REQUIRED:
      'Chế độ cụm (--cluster) cần kho tệp S3 dùng chung: hãy thêm --storage s3 cùng --s3-endpoint và khóa truy cập. Tệp trên ổ đĩa của một máy thì các máy khác không đọc được.',
    CENTRAL_CLUSTER_ADMIN_TOKEN_REQUIRED:
      'Chế độ cụm (--cluster) cần mã quản trị giống nhau trên mọi máy: hãy đặt biến môi trường MOTCUA_CENTRAL_ADMIN_TOKEN hoặc dùng --admin-token-file <tệp> (quyền 600). Mã tự sinh trong thư mục dữ liệu của một máy thì các máy khác không biết.',
    CENTRAL_CLUSTER_PUBLIC_URL_REQUIRED:
      'Chế độ cụm (--cluster) cần địa chỉ công khai mà các quầy dùng để kết nối: hãy thêm --public-url https://… (hoặc biến MOTCUA_CENTRAL_PUBLIC_URL). Địa chỉ tải tệp và liên kết xuất dữ liệu được tạo từ địa chỉ này.',
    CENTRAL_PUBLIC_URL_INVALID:
      'Địa chỉ công khai "{{url}}" không dùng được ({{reason}}). Hãy dùng dạng https://tên-miền[/đường-dẫn], không có tên đăng nhập, tham số hay dấu #.',
    CENTRAL_PUBLIC_URL_WITHOUT_CLUSTER:
      '--public-url (hoặc MOTCUA_CENTRAL_PUBLIC_URL) chỉ dùng cùng --cluster. Hãy thêm --cluster, hoặc bỏ địa chỉ công khai nếu chỉ chạy một máy trung tâm.',
    CENTRAL_INSTANCE_NAME_INVALID:
      'Tên máy trong cụm "{{name}}" không hợp lệ. Hãy dùng 1–63 ký tự chữ, số, dấu chấm, gạch ngang hoặc gạch dưới (--instance-name hoặc MOTCUA_CENTRAL_INSTANCE).',
  },
  en: {
    CENTRAL_CLUSTER_DATABASE_REQUIRED:
      'Cluster mode (--cluster) needs a shared PostgreSQL database: add --database postgres://… (or MOTCUA_CENTRAL_DATABASE_URL). The embedded database serves one process only.',
    CENTRAL_CLUSTER_S3_REQUIRED:
      'Cluster mode (--cluster) needs shared S3 file storage: add --storage s3 with --s3-endpoint and the access keys. Files on one machine’s disk cannot be read by the others.',
    CENTRAL_CLUSTER_ADMIN_TOKEN_REQUIRED:
      'Cluster mode (--cluster) needs the same admin token on every instance: set the MOTCUA_CENTRAL_ADMIN_TOKEN environment variable or use --admin-token-file <file> (mode 600). A token generated into one instance’s data directory is unknown to the others.',
    CENTRAL_CLUSTER_PUBLIC_URL_REQUIRED:
      'Cluster mode (--cluster) needs the public address the counters connect to: add --public-url https://… (or MOTCUA_CENTRAL_PUBLIC_URL). Upload locations and export links are built from it.',
    CENTRAL_PUBLIC_URL_INVALID:
      'The public address "{{url}}" cannot be used ({{reason}}). Use https://host[/path], without a user name, query or #fragment.',
    CENTRAL_PUBLIC_URL_WITHOUT_CLUSTER:
      '--public-url (or MOTCUA_CENTRAL_PUBLIC_URL) is used only with --cluster. Add --cluster, or leave the public address out when a single central runs.',
    CENTRAL_INSTANCE_NAME_INVALID:
      'The instance name "{{name}}" is not valid. Use 1–63 letters, digits, dots, hyphens or underscores (--instance-name or MOTCUA_CENTRAL_INSTANCE).',
  },
} as const;
