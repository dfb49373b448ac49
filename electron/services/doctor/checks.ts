/**
 * The doctor's checks (issue 16 item 4): each a plain function from what its probe measured to PASS / WARN /
 * FAIL with a Vietnamese explanation and what to do. Probes (probes.ts) touch the machine; these only judge,
 * so tests drive every verdict by handing them measurements (a clock two hours off, a full disk, no token).
 *
 * Thresholds are settings with defaults chosen here (UNCONFIRMED as any official figure; docs/deployment.md).
 */
import type { DoctorCheck } from '../../../shared/doctor/report';
import { describeError } from '../../../shared/i18n/error-messages';
import type { WireError } from '../../../shared/errors';
import type { DeviceRecord } from '../../../shared/sync/protocol';
import type { HostConfig } from '../config';
import type { DiskSpace } from '../disk-space';

const mib = 1024 * 1024;
const gib = 1024 * mib;

export const doctorThresholds = {
  /** Below this free space on the data volume: FAIL (a full disk corrupts IndexedDB; engineering notes). */
  diskFailBytes: 512 * mib,
  /** Below this: WARN (about a day of scanning at a busy counter). */
  diskWarnBytes: 2 * gib,
  /** A certificate expiring within this many days: WARN. */
  certificateWarnDays: 30,
  /** Oldest unsent dossier older than this: WARN; older than `backlogFailHours`: FAIL. */
  backlogWarnHours: 24,
  backlogFailHours: 72,
} as const;
export type DoctorThresholds = typeof doctorThresholds;

const err = (error: WireError): string => describeError('vi', error.code, error.details);
const minutes = (ms: number): number => Math.round(ms / 60_000);

/** Probe outcomes: the value, or the coded reason it could not be measured. */
export type Probed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WireError };

export function checkConfig(config: Probed<HostConfig>, file: string): DoctorCheck {
  const title = 'Tệp cấu hình';
  if (config.ok) return { id: 'config', verdict: 'pass', title, explanation: `Cấu hình hợp lệ (${file}): ${config.value.unit.name} (${config.value.unit.code}), quầy ${config.value.counterNo}.`, facts: { file } };
  return { id: 'config', verdict: 'fail', title, explanation: err(config.error), action: `Sửa tệp rồi chạy "motcua config validate" để xem từng lỗi (tệp: ${file}).`, facts: { file } };
}

/** A check that could not run because something before it failed (the configuration, the central). */
export function notChecked(id: DoctorCheck['id'], title: string, why: string, subject?: string): DoctorCheck {
  return { id, ...(subject ? { subject } : {}), verdict: 'warn', title, explanation: `Chưa kiểm tra được: ${why}.`, action: 'Sửa mục bị lỗi ở trên rồi chạy lại kiểm tra.' };
}

export interface CentralHealthReading {
  readonly protocolVersion: number;
  readonly skewMs: number;
  readonly centralTime: string;
  readonly localTime: string;
  readonly latencyMs: number;
}

export function checkCentral(health: Probed<CentralHealthReading>, centralUrl: string, ourProtocolVersion: number): DoctorCheck {
  const title = 'Kết nối hệ thống trung tâm';
  if (!health.ok) {
    return {
      id: 'central',
      verdict: 'fail',
      title,
      explanation: `Không nhận được câu trả lời đúng từ ${centralUrl}: ${err(health.error)}`,
      action: 'Kiểm tra mạng, địa chỉ trung tâm (centralUrl trong cấu hình), tường lửa/proxy. Hồ sơ vẫn được giữ trên máy và sẽ gửi khi kết nối lại.',
      facts: { centralUrl },
    };
  }
  const facts = { centralUrl, protocolVersion: health.value.protocolVersion, latencyMs: health.value.latencyMs };
  if (health.value.protocolVersion !== ourProtocolVersion) {
    return {
      id: 'central',
      verdict: 'fail',
      title,
      explanation: `Trung tâm dùng giao thức phiên bản ${health.value.protocolVersion}, ứng dụng này dùng phiên bản ${ourProtocolVersion}: hai bên không tương thích.`,
      action: 'Cập nhật ứng dụng trên máy quầy (hoặc trung tâm) cho cùng phiên bản; báo bộ phận CNTT tỉnh.',
      facts,
    };
  }
  return { id: 'central', verdict: 'pass', title, explanation: `Trung tâm ${centralUrl} trả lời sau ${health.value.latencyMs} ms, giao thức phiên bản ${ourProtocolVersion}.`, facts };
}

export function checkClock(health: Probed<CentralHealthReading>, maxSkewMinutes: number): DoctorCheck {
  const title = 'Đồng hồ máy';
  if (!health.ok) return notChecked('clock', title, 'không so được với giờ trung tâm vì trung tâm không trả lời');
  const skew = Math.abs(health.value.skewMs);
  const facts = { skewSeconds: Math.round(health.value.skewMs / 1000), maxSkewMinutes, local: health.value.localTime, central: health.value.centralTime };
  const described = `Giờ máy ${health.value.localTime}, giờ trung tâm ${health.value.centralTime}: lệch ${minutes(skew)} phút (cho phép ${maxSkewMinutes} phút).`;
  const action = 'Chỉnh giờ Windows: Cài đặt › Thời gian và ngôn ngữ › bật "Đặt giờ tự động" và đồng bộ ngay; nếu máy không ra Internet, đồng bộ với máy chủ thời gian của tỉnh.';
  if (skew > maxSkewMinutes * 60_000) return { id: 'clock', verdict: 'fail', title, explanation: `${described} Chứng thư số, hạn trả kết quả và mã hồ sơ dựa vào giờ đúng.`, action, facts };
  if (skew > (maxSkewMinutes * 60_000) / 2) return { id: 'clock', verdict: 'warn', title, explanation: `${described} Đã quá nửa mức cho phép.`, action, facts };
  return { id: 'clock', verdict: 'pass', title, explanation: described, facts };
}

/** The central did not give an answer to judge the credential by. */
const centralSilent = new Set<string>(['CENTRAL_UNREACHABLE', 'ENROLLMENT_CENTRAL_UNREACHABLE', 'CENTRAL_NOT_A_CENTRAL', 'CENTRAL_SERVER_ERROR']);

export type DeviceSelfReading =
  | { readonly state: 'not-enrolled' }
  /** device.json names another central than the configured one. */
  | { readonly state: 'other-central'; readonly enrolledWith: string }
  | { readonly state: 'accepted'; readonly device: DeviceRecord }
  | { readonly state: 'refused'; readonly error: WireError };

export function checkDevice(reading: Probed<DeviceSelfReading>, config: HostConfig): DoctorCheck {
  const title = 'Đăng ký máy với trung tâm';
  const enrollHint = `Xin bộ phận CNTT mã đăng ký (motcua central enroll-code --unit ${config.unit.code} --counter ${config.counterNo}) rồi chạy: motcua enroll --central ${config.centralUrl} --code <mã> --unit ${config.unit.code} --counter ${config.counterNo}`;
  if (!reading.ok) {
    if (centralSilent.has(reading.error.code)) return notChecked('device', title, `trung tâm không trả lời (${err(reading.error)})`);
    // Sealed by the app's OS key store (DPAPI): plain Node (the CLI) cannot open it; the app's own screen can.
    if (reading.error.code === 'DEVICE_CREDENTIAL_SEALED') {
      return { id: 'device', verdict: 'warn', title, explanation: err(reading.error), action: 'Mở ứng dụng và nhấn Ctrl+Alt+Shift+D để kiểm tra mục này từ bên trong ứng dụng.' };
    }
    return { id: 'device', verdict: 'fail', title, explanation: err(reading.error), action: enrollHint };
  }
  const r = reading.value;
  switch (r.state) {
    case 'not-enrolled':
      return { id: 'device', verdict: 'fail', title, explanation: 'Máy này chưa được đăng ký với hệ thống trung tâm: hồ sơ sẽ không gửi được.', action: enrollHint };
    case 'other-central':
      return {
        id: 'device',
        verdict: 'fail',
        title,
        explanation: `Máy được đăng ký với trung tâm ${r.enrolledWith}, nhưng cấu hình chỉ đến ${config.centralUrl}: mã xác thực không gửi tới trung tâm khác.`,
        action: `Sửa centralUrl trong cấu hình cho đúng, hoặc đăng ký lại với trung tâm mới. ${enrollHint}`,
      };
    case 'refused':
      return { id: 'device', verdict: 'fail', title, explanation: err(r.error), action: enrollHint };
    case 'accepted': {
      const d = r.device;
      const facts = { deviceId: d.deviceId, unit: d.unit.code, counterNo: d.counterNo };
      if (d.unit.code !== config.unit.code || d.counterNo !== config.counterNo) {
        return {
          id: 'device',
          verdict: 'fail',
          title,
          explanation: err({ code: 'DEVICE_UNIT_MISMATCH', details: { deviceUnitName: d.unit.name, deviceUnit: d.unit.code, deviceCounter: d.counterNo, unitName: config.unit.name, unit: config.unit.code, counter: config.counterNo } }),
          action: `Sửa đơn vị/số quầy trong cấu hình (motcua config set unit.code …) hoặc thu hồi máy ở trung tâm và đăng ký lại đúng đơn vị. ${enrollHint}`,
          facts,
        };
      }
      return { id: 'device', verdict: 'pass', title, explanation: `Trung tâm chấp nhận máy "${d.deviceName}" (${d.unit.name}, quầy ${d.counterNo}), đăng ký từ ${d.enrolledAt}.`, facts };
    }
  }
}

export function checkDisk(space: Probed<DiskSpace>, dataDir: string, t: DoctorThresholds = doctorThresholds): DoctorCheck {
  const title = 'Dung lượng ổ đĩa';
  if (!space.ok) return { id: 'disk', verdict: 'fail', title, explanation: `Không đọc được dung lượng ổ chứa ${dataDir}: ${err(space.error)}`, action: 'Kiểm tra thư mục dữ liệu có tồn tại và ổ đĩa còn hoạt động.' };
  const { freeBytes, totalBytes } = space.value;
  const facts = { dataDir, freeBytes, totalBytes };
  const described = `Ổ chứa dữ liệu (${dataDir}) còn trống ${(freeBytes / mib).toFixed(0)} MB trên ${(totalBytes / mib).toFixed(0)} MB.`;
  const action = 'Giải phóng ổ đĩa (xóa tệp tạm, tệp tải về không cần); không xóa thư mục dữ liệu của ứng dụng. Báo bộ phận CNTT nếu ổ quá nhỏ.';
  if (freeBytes < t.diskFailBytes) return { id: 'disk', verdict: 'fail', title, explanation: `${described} Dưới ${t.diskFailBytes / mib} MB: hồ sơ mới có thể không lưu được và cơ sở dữ liệu có thể hỏng khi ổ đầy.`, action, facts };
  if (freeBytes < t.diskWarnBytes) return { id: 'disk', verdict: 'warn', title, explanation: `${described} Dưới ${t.diskWarnBytes / gib} GB.`, action, facts };
  return { id: 'disk', verdict: 'pass', title, explanation: described, facts };
}

export interface ScannerReading {
  readonly devices: readonly { readonly id: string; readonly label: string }[];
  readonly problems: readonly WireError[];
}

export function checkScanners(reading: Probed<ScannerReading>): DoctorCheck {
  const title = 'Máy quét';
  const action = 'Kiểm tra máy quét đã bật, cáp USB/mạng, trình điều khiển (SANE/WIA/TWAIN); xem mục "capture" trong cấu hình. Thử lại bằng: motcua scan --list';
  if (!reading.ok) return { id: 'scanners', verdict: 'fail', title, explanation: `Không liệt kê được máy quét: ${err(reading.error)}`, action };
  const { devices, problems } = reading.value;
  const problemText = problems.map(err).join(' ');
  const facts = { devices: devices.length, problems: problems.length };
  if (devices.length === 0) {
    return { id: 'scanners', verdict: 'fail', title, explanation: `Không có máy quét nào trả lời.${problemText ? ` ${problemText}` : ''} Vẫn có thể nhận tệp ảnh/PDF có sẵn, nhưng không quét được.`, action, facts };
  }
  const names = devices.map((d) => d.label).join('; ');
  if (problems.length > 0) return { id: 'scanners', verdict: 'warn', title, explanation: `Máy quét trả lời: ${names}. Có nguồn quét bị lỗi: ${problemText}`, action, facts };
  return { id: 'scanners', verdict: 'pass', title, explanation: `Máy quét trả lời: ${names}.`, facts };
}

export interface TokenReading {
  readonly library: string;
  readonly tokens: readonly { readonly label: string; readonly certificates: readonly { readonly label: string; readonly subject: string; readonly notAfter: string }[] }[];
}

/** What the signer probe found for one configured signer. */
export type SignerReading =
  | { readonly kind: 'pkcs12'; readonly path: string; readonly readable: boolean }
  | { readonly kind: 'pkcs11'; readonly tokenLabel: string; readonly keyLabel?: string; readonly reading: Probed<TokenReading> };

const roleNames: Record<string, string> = { organisation: 'chữ ký số cơ quan', personal: 'chữ ký số cá nhân' };

/** The signer's library and token (signer), and the validity of its certificate (certificate). */
export function checkSigner(role: string, signer: SignerReading, now: Date, t: DoctorThresholds = doctorThresholds): DoctorCheck[] {
  const who = roleNames[role] ?? role;
  const signerTitle = `Thiết bị ký số (${who})`;
  const certTitle = `Chứng thư số (${who})`;
  if (signer.kind === 'pkcs12') {
    if (!signer.readable) {
      return [
        { id: 'signer', subject: role, verdict: 'fail', title: signerTitle, explanation: `Không đọc được tệp khóa ký ${signer.path}.`, action: 'Kiểm tra đường dẫn tệp .p12 trong cấu hình (signers) và quyền đọc của tài khoản Windows.', facts: { kind: 'pkcs12', path: signer.path } },
        notChecked('certificate', certTitle, 'tệp khóa ký không đọc được', role),
      ];
    }
    return [
      { id: 'signer', subject: role, verdict: 'pass', title: signerTitle, explanation: `Tệp khóa ký ${signer.path} có mặt và đọc được.`, facts: { kind: 'pkcs12', path: signer.path } },
      // A PKCS#12 file's certificate is sealed by its password: its dates are checked when the clerk unlocks it.
      { id: 'certificate', subject: role, verdict: 'pass', title: certTitle, explanation: 'Chứng thư trong tệp .p12 được bảo vệ bằng mật khẩu: hạn dùng và thu hồi được kiểm tra khi công chức mở khóa để ký.' },
    ];
  }
  if (!signer.reading.ok) {
    const missingLibrary = signer.reading.error.code === 'SIGNER_LIBRARY_MISSING';
    return [
      {
        id: 'signer',
        subject: role,
        verdict: 'fail',
        title: signerTitle,
        explanation: err(signer.reading.error),
        action: missingLibrary
          ? 'Cài trình điều khiển token của nhà cung cấp chứng thư số (VNPT-CA, Viettel-CA, BKAV-CA…) hoặc sửa "library" trong cấu hình signers cho đúng tệp .dll/.so.'
          : 'Rút và cắm lại token, cài lại trình điều khiển; báo bộ phận CNTT nếu vẫn lỗi.',
        facts: { kind: 'pkcs11', tokenLabel: signer.tokenLabel },
      },
      notChecked('certificate', certTitle, 'không đọc được token', role),
    ];
  }
  const { library, tokens } = signer.reading.value;
  const token = tokens.find((tk) => tk.label === signer.tokenLabel);
  const facts = { kind: 'pkcs11', library, tokenLabel: signer.tokenLabel, tokensSeen: tokens.length };
  if (!token) {
    const seen = tokens.map((tk) => `"${tk.label}"`).join(', ') || 'không có';
    return [
      {
        id: 'signer',
        subject: role,
        verdict: 'fail',
        title: signerTitle,
        explanation: `Trình điều khiển ${library} nạp được, nhưng không thấy token "${signer.tokenLabel}" (token đang cắm: ${seen}).`,
        action: 'Cắm token USB chữ ký số vào máy; nếu đã cắm, kiểm tra "tokenLabel" trong cấu hình đúng tên token.',
        facts,
      },
      notChecked('certificate', certTitle, 'không có token', role),
    ];
  }
  const signerCheck: DoctorCheck = { id: 'signer', subject: role, verdict: 'pass', title: signerTitle, explanation: `Trình điều khiển ${library} nạp được; token "${token.label}" đang cắm.`, facts };
  const cert = signer.keyLabel ? token.certificates.find((c) => c.label === signer.keyLabel) : token.certificates[0];
  if (!cert) {
    return [signerCheck, { id: 'certificate', subject: role, verdict: 'fail', title: certTitle, explanation: `Token "${token.label}" không có chứng thư số${signer.keyLabel ? ` "${signer.keyLabel}"` : ''}.`, action: 'Liên hệ nhà cung cấp chứng thư số để nạp chứng thư vào token; kiểm tra "keyLabel" trong cấu hình.' }];
  }
  const daysLeft = Math.floor((new Date(cert.notAfter).getTime() - now.getTime()) / 86_400_000);
  const certFacts = { subject: cert.subject, notAfter: cert.notAfter, daysLeft };
  const renew = 'Liên hệ nhà cung cấp chứng thư số để gia hạn trước ngày hết hạn; báo bộ phận CNTT.';
  if (daysLeft < 0) return [signerCheck, { id: 'certificate', subject: role, verdict: 'fail', title: certTitle, explanation: `Chứng thư "${cert.subject}" đã hết hạn ngày ${cert.notAfter}: không ký được.`, action: renew, facts: certFacts }];
  if (daysLeft < t.certificateWarnDays) {
    return [signerCheck, { id: 'certificate', subject: role, verdict: 'warn', title: certTitle, explanation: `Chứng thư "${cert.subject}" hết hạn sau ${daysLeft} ngày (${cert.notAfter}).`, action: renew, facts: certFacts }];
  }
  return [signerCheck, { id: 'certificate', subject: role, verdict: 'pass', title: certTitle, explanation: `Chứng thư "${cert.subject}" còn hạn đến ${cert.notAfter} (${daysLeft} ngày).`, facts: certFacts }];
}

export function checkRevocationCache(newest: Probed<Date | null>, now: Date, trust: HostConfig['trust']): DoctorCheck {
  const title = 'Dữ liệu thu hồi chứng thư (CRL/OCSP) lưu trên máy';
  const action = 'Kết nối mạng rồi mở khóa chữ ký số một lần: ứng dụng tự tải CRL/OCSP mới. Nếu vẫn cũ, kiểm tra tường lửa cho địa chỉ CRL/OCSP của nhà cung cấp chứng thư.';
  const severity = trust.requireRevocation ? 'fail' : 'warn';
  if (!newest.ok) return { id: 'revocation-cache', verdict: 'warn', title, explanation: `Không đọc được bộ nhớ đệm: ${err(newest.error)}`, action };
  if (newest.value === null) {
    return { id: 'revocation-cache', verdict: severity, title, explanation: `Chưa có dữ liệu thu hồi nào trên máy${trust.requireRevocation ? ': cấu hình bắt buộc có dữ liệu này nên chưa ký được khi mất mạng' : ''}.`, action, facts: { requireRevocation: trust.requireRevocation } };
  }
  const ageHours = (now.getTime() - newest.value.getTime()) / 3_600_000;
  const facts = { newest: newest.value.toISOString(), ageHours: Math.round(ageHours * 10) / 10, maxRevocationAgeHours: trust.maxRevocationAgeHours };
  if (ageHours > trust.maxRevocationAgeHours) {
    return { id: 'revocation-cache', verdict: severity, title, explanation: `Dữ liệu mới nhất đã ${Math.round(ageHours)} giờ (quá ${trust.maxRevocationAgeHours} giờ cho phép khi ký không có mạng).`, action, facts };
  }
  return { id: 'revocation-cache', verdict: 'pass', title, explanation: `Dữ liệu mới nhất lấy cách đây ${Math.round(ageHours)} giờ (cho phép ${trust.maxRevocationAgeHours} giờ).`, facts };
}

export function checkTsa(tsa: HostConfig['tsa'], reading: Probed<{ latencyMs: number }> | undefined): DoctorCheck {
  const title = 'Máy chủ dấu thời gian (TSA)';
  if (!tsa || !reading) return { id: 'tsa', verdict: 'pass', title, explanation: 'Không cấu hình máy chủ dấu thời gian: chữ ký giữ mức PAdES B-B (không cần kiểm tra).' };
  if (!reading.ok) {
    return {
      id: 'tsa',
      verdict: 'warn',
      title,
      explanation: `Không kết nối được ${tsa.url}: ${err(reading.error)} Hồ sơ vẫn ký và gửi được; dấu thời gian sẽ được gắn khi kết nối lại.`,
      action: 'Kiểm tra mạng/tường lửa tới máy chủ TSA và địa chỉ "tsa.url" trong cấu hình.',
      facts: { url: tsa.url },
    };
  }
  return { id: 'tsa', verdict: 'pass', title, explanation: `${tsa.url} trả lời sau ${reading.value.latencyMs} ms.`, facts: { url: tsa.url, latencyMs: reading.value.latencyMs } };
}

export interface BacklogReading {
  readonly dossiers: number;
  readonly events: number;
  /** Creation time of the oldest unsent entry; null when none. */
  readonly oldest: Date | null;
}

export function checkBacklog(backlog: Probed<BacklogReading>, now: Date, t: DoctorThresholds = doctorThresholds): DoctorCheck {
  const title = 'Hồ sơ chưa gửi về trung tâm';
  if (!backlog.ok) return { id: 'backlog', verdict: 'warn', title, explanation: `Không đọc được bản sao hồ sơ chờ gửi: ${err(backlog.error)}`, action: 'Báo bộ phận CNTT; không xóa thư mục dossier-spool.' };
  const { dossiers, events, oldest } = backlog.value;
  if (dossiers + events === 0 || !oldest) return { id: 'backlog', verdict: 'pass', title, explanation: 'Không có hồ sơ nào chờ gửi.', facts: { dossiers, events } };
  const ageHours = (now.getTime() - oldest.getTime()) / 3_600_000;
  const facts = { dossiers, events, oldest: oldest.toISOString(), oldestAgeHours: Math.round(ageHours * 10) / 10 };
  const described = `${dossiers} hồ sơ và ${events} thao tác chờ gửi; cũ nhất từ ${oldest.toISOString()} (${Math.round(ageHours)} giờ).`;
  const action = 'Kiểm tra kết nối trung tâm và mục "Đăng ký máy" ở trên; hồ sơ được giữ an toàn trên máy. Không gỡ cài đặt hay thay máy trước khi gửi hết.';
  if (ageHours > t.backlogFailHours) return { id: 'backlog', verdict: 'fail', title, explanation: `${described} Quá ${t.backlogFailHours} giờ.`, action, facts };
  if (ageHours > t.backlogWarnHours) return { id: 'backlog', verdict: 'warn', title, explanation: `${described} Quá ${t.backlogWarnHours} giờ.`, action, facts };
  return { id: 'backlog', verdict: 'pass', title, explanation: described, facts };
}

/** The signer probe's input, from the configuration. */
