/** Start-up errors of the central's storage (issue 19: stored files and uploads on disk or in S3 buckets). */
export const messagesCentralStorage = {
  vi: {
    CENTRAL_STORAGE_INVALID:
      'Cấu hình lưu trữ "{{value}}" không hợp lệ. --storage (MOTCUA_CENTRAL_STORAGE) là disk hoặc s3; --s3-endpoint là địa chỉ http:// hoặc https://. Hãy sửa cấu hình rồi khởi động lại.',
    CENTRAL_S3_SETTING_MISSING:
      'Thiếu {{setting}} để lưu tệp trên S3. Khóa truy cập chỉ đọc từ biến môi trường (MOTCUA_CENTRAL_S3_ACCESS_KEY_ID, MOTCUA_CENTRAL_S3_SECRET_ACCESS_KEY), không bao giờ từ tham số dòng lệnh. Hãy bổ sung rồi khởi động lại.',
    CENTRAL_S3_UNREACHABLE:
      'Không kết nối được kho S3 tại {{endpoint}} ({{reason}}). Hệ thống trung tâm chưa nhận hồ sơ nào. Hãy kiểm tra dịch vụ lưu trữ (Ceph RGW…) đang chạy và địa chỉ đúng, rồi khởi động lại.',
    CENTRAL_S3_BUCKET_MISSING:
      'Kho S3 tại {{endpoint}} không có bucket "{{bucket}}". Hãy tạo bucket (tệp hồ sơ và tệp đang tải lên dùng hai bucket riêng) hoặc sửa --s3-files-bucket / --s3-uploads-bucket, rồi khởi động lại.',
    CENTRAL_S3_ACCESS_DENIED:
      'Kho S3 tại {{endpoint}} từ chối truy cập bucket "{{bucket}}". Hãy kiểm tra khóa truy cập và quyền của tài khoản S3 trên bucket đó, rồi khởi động lại.',
  },
  en: {
    CENTRAL_STORAGE_INVALID:
      'The storage setting "{{value}}" is not valid. --storage (MOTCUA_CENTRAL_STORAGE) is disk or s3; --s3-endpoint is an http:// or https:// address. Fix the setting and start again.',
    CENTRAL_S3_SETTING_MISSING:
      '{{setting}} is missing for storing files in S3. Access keys are read only from the environment (MOTCUA_CENTRAL_S3_ACCESS_KEY_ID, MOTCUA_CENTRAL_S3_SECRET_ACCESS_KEY), never from command-line arguments. Add it and start again.',
    CENTRAL_S3_UNREACHABLE:
      'The S3 store at {{endpoint}} cannot be reached ({{reason}}). The central has not taken any dossier. Check that the storage service (Ceph RGW…) is running and the address is right, then start again.',
    CENTRAL_S3_BUCKET_MISSING:
      'The S3 store at {{endpoint}} has no bucket "{{bucket}}". Create it (stored files and uploads in progress use two separate buckets) or correct --s3-files-bucket / --s3-uploads-bucket, then start again.',
    CENTRAL_S3_ACCESS_DENIED:
      'The S3 store at {{endpoint}} refuses access to bucket "{{bucket}}". Check the access keys and the S3 account’s rights on that bucket, then start again.',
  },
} as const;
