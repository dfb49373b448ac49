/** Messages for the central's tus upload lock shared through PostgreSQL (issue 19, central/src/cluster/upload-lock.ts). */
export const messagesUploadLock = {
  vi: {
    CENTRAL_UPLOAD_LOCK_NEEDS_POSTGRES:
      'Khóa tệp tải lên "postgres" cần một máy chủ PostgreSQL: hãy thêm --database postgres://… (hoặc biến MOTCUA_CENTRAL_DATABASE_URL), hoặc dùng --upload-lock memory khi chỉ chạy một tiến trình trung tâm.',
    CENTRAL_UPLOAD_LOCK_MEMORY_IN_CLUSTER:
      'Khóa tệp tải lên "memory" chỉ có tác dụng trong một tiến trình: ở chế độ cụm (--cluster) hai trung tâm có thể cùng ghi một tệp. Hãy bỏ --upload-lock memory (mặc định là postgres) hoặc đặt --upload-lock postgres.',
  },
  en: {
    CENTRAL_UPLOAD_LOCK_NEEDS_POSTGRES:
      'The "postgres" upload lock needs a PostgreSQL server: add --database postgres://… (or MOTCUA_CENTRAL_DATABASE_URL), or use --upload-lock memory when a single central process runs.',
    CENTRAL_UPLOAD_LOCK_MEMORY_IN_CLUSTER:
      'The "memory" upload lock only works inside one process: in cluster mode (--cluster) two centrals could write the same upload. Drop --upload-lock memory (the default is postgres) or set --upload-lock postgres.',
  },
} as const;
