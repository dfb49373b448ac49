/** Messages for the central's limits on flooding clients (issue 17, finding 5). */
export const messagesCentralLimits = {
  vi: {
    CENTRAL_RATE_LIMITED:
      'Hệ thống trung tâm đang nhận quá nhiều yêu cầu từ máy này ({{route}}) nên tạm từ chối. Hồ sơ vẫn được giữ trên máy và sẽ tự gửi lại sau khoảng {{retryAfterSeconds}} giây; nếu lỗi lặp lại, hãy báo bộ phận CNTT.',
  },
  en: {
    CENTRAL_RATE_LIMITED:
      'The central system is receiving too many requests from this PC ({{route}}) and refused for now. Dossiers stay on this PC and are sent again in about {{retryAfterSeconds}} seconds; if this keeps happening, contact IT.',
  },
} as const;
