/** Messages for the central's devices, status feed, back office and reference data. */
export const messagesCentralDevices = {
  vi: {
    DEVICE_UNAUTHENTICATED:
      'Máy này chưa được đăng ký với hệ thống trung tâm (hoặc mã xác thực không đúng). Hồ sơ vẫn được giữ trên máy; hãy báo bộ phận CNTT đăng ký lại máy.',
    DEVICE_REVOKED:
      'Hệ thống trung tâm đã thu hồi quyền kết nối của máy này. Hồ sơ vẫn được giữ trên máy; hãy báo bộ phận CNTT đăng ký lại máy.',
    DEVICE_FORBIDDEN: 'Hồ sơ {{dossierId}} không thuộc đơn vị của máy này nên trung tâm từ chối. Hãy kiểm tra đơn vị tiếp nhận hoặc báo bộ phận CNTT.',
    DEVICE_UNIT_MISMATCH:
      'Máy được đăng ký với trung tâm cho {{deviceUnitName}} ({{deviceUnit}}), quầy {{deviceCounter}}, nhưng ứng dụng đang cấu hình cho {{unitName}} ({{unit}}), quầy {{counter}}: trung tâm sẽ từ chối mọi hồ sơ của quầy này. Hồ sơ vẫn được giữ trên máy; hãy báo bộ phận CNTT.',
    ENROLLMENT_CODE_INVALID: 'Mã đăng ký máy không dùng được ({{reason}}). Hãy xin bộ phận CNTT một mã mới.',
    ENROLLMENT_COUNTER_TAKEN:
      'Quầy số {{counter}} của {{unitName}} ({{unit}}) đã có máy "{{holder}}" đăng ký từ {{since}}. Hai máy cùng số quầy sẽ cấp trùng mã hồ sơ, nên trung tâm không đăng ký máy thứ hai. Nếu máy cũ đã thay: thu hồi nó trước (motcua central revoke {{holderId}}); nếu không: dùng số quầy khác (cả trong config.json của máy này).',
    ADMIN_UNAUTHENTICATED: 'Thiếu hoặc sai mã quản trị của hệ thống trung tâm. Hãy dùng đúng mã quản trị (MOTCUA_CENTRAL_ADMIN_TOKEN).',
    DOSSIER_STATUS_TRANSITION_INVALID:
      'Không thể chuyển hồ sơ từ trạng thái {{from}} sang {{to}}. Hãy kiểm tra trạng thái hiện tại của hồ sơ.',
    REFERENCE_DATA_INVALID: 'Dữ liệu danh mục/lịch "{{kind}}" không hợp lệ: {{issue}}. Bản đang dùng được giữ nguyên.',
  },
  en: {
    DEVICE_UNAUTHENTICATED: 'This PC is not enrolled with the central system (or its credential is wrong). Dossiers stay on this PC; ask IT to enroll it again.',
    DEVICE_REVOKED: 'The central system revoked this PC’s access. Dossiers stay on this PC; ask IT to enroll it again.',
    DEVICE_FORBIDDEN: 'Dossier {{dossierId}} does not belong to this PC’s unit, so the central refused. Check the receiving unit or contact IT.',
    DEVICE_UNIT_MISMATCH:
      'This PC is enrolled with the central for {{deviceUnitName}} ({{deviceUnit}}), counter {{deviceCounter}}, but the app is configured for {{unitName}} ({{unit}}), counter {{counter}}: the central will refuse every dossier of this counter. Dossiers stay on this PC; contact IT.',
    ENROLLMENT_CODE_INVALID: 'The enrollment code cannot be used ({{reason}}). Ask IT for a new code.',
    ENROLLMENT_COUNTER_TAKEN:
      'Counter {{counter}} of {{unitName}} ({{unit}}) already has the PC "{{holder}}", enrolled since {{since}}. Two PCs with one counter number would issue the same dossier codes, so the central does not enroll a second. If the old PC was replaced, revoke it first (motcua central revoke {{holderId}}); otherwise use another counter number (in this PC’s config.json too).',
    ADMIN_UNAUTHENTICATED: 'The central’s admin token is missing or wrong. Use the right admin token (MOTCUA_CENTRAL_ADMIN_TOKEN).',
    DOSSIER_STATUS_TRANSITION_INVALID: 'A dossier cannot move from status {{from}} to {{to}}. Check its current status.',
    REFERENCE_DATA_INVALID: 'The "{{kind}}" reference data is invalid: {{issue}}. The copy in use is kept.',
  },
} as const;
