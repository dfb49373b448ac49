/**
 * The reference of `config.json`'s fields (docs/configuration.md), generated from the zod schema the app parses
 * the file with (`hostConfigSchema`, config.ts) so the two cannot drift: `npm run docs:config` writes it, and
 * tests/unit/electron/config-reference.test.ts fails when the file is stale or a field has no explanation here.
 * Types, required fields, defaults, limits and allowed values come from the schema; only the explanation of each
 * field is written by hand, below, keyed by its path (`[]` for an array's items, `{kind=…}` for one variant).
 */
import { z } from 'zod';
import { hostConfigSchema } from './config';

interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly additionalProperties?: boolean | JsonSchema;
}

export interface ConfigField {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly defaultValue: unknown;
  readonly limits: string;
}

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (schema.oneOf ?? schema.anyOf) return 'một trong các dạng dưới đây';
  if (schema.type === 'array') return `mảng ${schema.items ? typeOf(schema.items) : ''}`.trim();
  if (schema.format === 'uri') return 'URL';
  return Array.isArray(schema.type) ? schema.type.join(' \\| ') : ((schema.type as string | undefined) ?? 'bất kỳ');
}

function limitsOf(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined && schema.minLength > 1) parts.push(`≥ ${schema.minLength} ký tự`);
  if (schema.maxLength !== undefined) parts.push(`≤ ${schema.maxLength} ký tự`);
  if (schema.minItems !== undefined) parts.push(`≥ ${schema.minItems} phần tử`);
  if (schema.maxItems !== undefined) parts.push(`≤ ${schema.maxItems} phần tử`);
  if (schema.pattern !== undefined) parts.push(`mẫu \`${schema.pattern}\``);
  if (schema.additionalProperties === false) parts.push('không nhận khóa khác');
  return parts.join(', ');
}

/** Every field of the configuration, depth first, in the schema's order. */
export function configFields(): ConfigField[] {
  const root = z.toJSONSchema(hostConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const fields: ConfigField[] = [];
  const visit = (schema: JsonSchema, path: string, required: boolean) => {
    if (path) fields.push({ path, type: typeOf(schema), required, defaultValue: schema.default, limits: limitsOf(schema) });
    const variants = schema.oneOf ?? schema.anyOf;
    if (variants) {
      for (const variant of variants) {
        const tag = Object.entries(variant.properties ?? {}).find(([, p]) => p.const !== undefined);
        visit({ ...variant, type: 'object' }, tag ? `${path}{${tag[0]}=${String(tag[1].const)}}` : path, required);
      }
      return;
    }
    if (schema.type === 'array' && schema.items && (schema.items.properties ?? schema.items.oneOf ?? schema.items.anyOf)) visit(schema.items, `${path}[]`, true);
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      // A variant's tag is listed in the variant's own name.
      if (child.const !== undefined) continue;
      visit(child, path ? `${path}.${key}` : key, (schema.required ?? []).includes(key));
    }
  };
  visit(root, '', true);
  return fields;
}

/** What each field means and when to change it (Vietnamese: the reference is for the province's IT staff). */
export const configFieldNotes: Readonly<Record<string, string>> = {
  unit: 'Đơn vị tiếp nhận của quầy.',
  'unit.code': 'Mã định danh cơ quan (Quyết định 20/2020/QĐ-TTg) — dùng làm đầu mã hồ sơ; mã QCVN 102 cũ vẫn được nhận. Phải trùng đơn vị của mã đăng ký máy.',
  'unit.name': 'Tên đơn vị in trên giấy tiếp nhận, ví dụ "UBND xã A".',
  organisationName: 'Tên cơ quan in trong dấu sao y (Nghị định 30/2020) và trên biểu mẫu.',
  counterNo: 'Số quầy (1–9) trong đơn vị; phải trùng số quầy của mã đăng ký máy.',
  centralUrl: 'Địa chỉ hệ thống trung tâm của tỉnh. Phải là https:// (trừ phòng thử nghiệm, xem allowHttpCentral).',
  locale: 'Ngôn ngữ giao diện: "vi" (mặc định khi cài) hoặc "en".',
  deadlineThresholds: 'Khi nào hồ sơ đổi màu vàng / cam theo tỷ lệ thời hạn đã dùng (đỏ khi quá hạn).',
  'deadlineThresholds.yellowFrom': 'Tỷ lệ thời gian đã dùng để chuyển vàng (0–1).',
  'deadlineThresholds.orangeFrom': 'Tỷ lệ để chuyển cam (0–1, không nhỏ hơn yellowFrom).',
  signatureAppearance: 'Hình thức chữ ký của cơ quan trên bản sao điện tử.',
  'signatureAppearance.kind': '"copy-stamp": dấu sao y hiện ở góc trên trang 1; "none": chữ ký ẩn.',
  'signatureAppearance.copyForm': 'Hình thức sao in trong dấu: SAO Y, SAO LỤC hoặc TRÍCH SAO.',
  copySigning: 'Ai ký bản sao điện tử (Nghị định 118/2025 Điều 17.1.c) — docs/signing.md.',
  'copySigning.defaultSigner': 'Người ký mặc định khi thành phần hồ sơ không nói khác; bỏ trống: chữ ký cá nhân của công chức nếu có, nếu không thì của cơ quan.',
  'copySigning.personalAppearance': '"signature-box": ô nhỏ ghi tên người ký và thời điểm ở trang 1; "none": ẩn.',
  imaging: 'Xử lý ảnh trang quét (docs/imaging.md).',
  'imaging.cleanup': 'Làm sạch trang (cắt lề, xoay, chỉnh nghiêng, phát hiện trang trắng) trước khi ghép PDF.',
  'imaging.minDpiPolicy': 'Trang dưới 200 dpi (Nghị định 30): "warn" cảnh báo, "block" không cho ký đến khi quét lại.',
  'imaging.ocr': 'Thêm lớp chữ tiếng Việt (OCR) vào PDF để tìm kiếm được.',
  'imaging.ocrEngine': 'Bộ đọc chữ: "auto" dùng chương trình tesseract của máy nếu có tiếng Việt (nhanh hơn, đọc tốt hơn), nếu không dùng tesseract.js đi kèm ứng dụng; "native" hoặc "wasm" để chọn hẳn một bộ (docs/imaging.md).',
  'imaging.ocrWorkers': 'Số trang đọc chữ cùng lúc; bỏ trống: mỗi lõi CPU một trang, tối đa 2.',
  'imaging.tesseractPath': 'Đường dẫn chương trình tesseract khi nó không nằm trong PATH (Windows: thường là C:\\Program Files\\Tesseract-OCR\\tesseract.exe).',
  retention: 'Thời gian giữ dữ liệu trên máy quầy sau khi trung tâm đã nhận (docs/security.md). Hồ sơ chưa gửi không bao giờ bị xóa.',
  'retention.filesDaysAfterAck': 'Số ngày giữ tệp PDF sau khi trung tâm xác nhận đã nhận (0: xóa ngay lượt đồng bộ đó).',
  'retention.dossiersDaysAfterClose': 'Số ngày giữ thông tin hồ sơ sau khi hồ sơ kết thúc.',
  'retention.applicantsDaysUnseen': 'Số ngày giữ thông tin người nộp không quay lại.',
  timeLimits: 'Quy tắc thời hạn năm 2025 (docs/calendar.md); bỏ trống: các giá trị mặc định ghi ở đó.',
  'timeLimits.supplementWindow': 'Thời hạn người nộp bổ sung hồ sơ.',
  'timeLimits.supplementWindow.amount': 'Số ngày.',
  'timeLimits.supplementWindow.unit': '"days": ngày lịch; "working-days": ngày làm việc.',
  'timeLimits.extensionNoticeDays': 'Đề nghị gia hạn phải gửi trước hạn bao nhiêu ngày (UNCONFIRMED, docs/calendar.md).',
  'timeLimits.reception': 'Lịch tiếp nhận ngày thứ Bảy (khác với lịch tính thời hạn).',
  'timeLimits.reception.saturday': 'Tiếp nhận thứ Bảy: không, buổi sáng, cả ngày.',
  'timeLimits.reception.saturdayProcedures': 'Chỉ các thủ tục này được tiếp nhận thứ Bảy (mảng mã thủ tục; rỗng: mọi thủ tục).',
  'timeLimits.reception.saturdayReceiptCounts': 'Hồ sơ nhận thứ Bảy tính thời hạn từ ngày làm việc kế tiếp hay từ thứ Bảy.',
  'timeLimits.cultureDayCompensated': 'Ngày Văn hóa 24/11 có được nghỉ bù khi trùng cuối tuần (UNCONFIRMED, docs/calendar.md).',
  encryptionAtRest: 'Chỉ để đo hiệu năng: mã hóa dữ liệu trên máy luôn bật với máy quầy thật.',
  'encryptionAtRest.seal': 'false: ghi dữ liệu mới không mã hóa (chỉ dùng khi đo benchmark).',
  signers: 'Khóa ký số của quầy: tối đa một khóa cá nhân của công chức ("personal") và một của cơ quan ("organisation"). Cấu hình cũ chỉ có "signer" được hiểu là khóa của cơ quan.',
  'signers[].role': '"personal": chữ ký cá nhân của công chức; "organisation": chứng thư số của cơ quan.',
  'signers[].keystore': 'Nơi giữ khóa: tệp PKCS#12 hoặc thẻ ký số (USB token, PKCS#11).',
  'signers[].keystore{kind=pkcs12}': 'Tệp .p12/.pfx; mật khẩu do công chức nhập khi mở khóa, không bao giờ lưu.',
  'signers[].keystore{kind=pkcs12}.path': 'Đường dẫn tệp .p12 trên máy quầy.',
  'signers[].keystore{kind=pkcs12}.label': 'Tên hiển thị cho công chức.',
  'signers[].keystore{kind=pkcs11}': 'USB token của nhà cung cấp chứng thư số (VNPT-CA, Viettel-CA, …) qua thư viện PKCS#11 của hãng — cài trình điều khiển trước (docs/deployment.md "Thẻ ký số").',
  'signers[].keystore{kind=pkcs11}.library': 'Tệp thư viện PKCS#11 (.dll/.so); bỏ trống: tự tìm theo bảng thư viện của các CA Việt Nam (pkcs11-libraries.ts).',
  'signers[].keystore{kind=pkcs11}.tokenLabel': 'Nhãn của thẻ (CK_TOKEN_INFO.label) — xem bằng `pkcs11-tool --list-slots` hoặc phần mềm của hãng; thẻ được tìm theo nhãn, không theo số khe cắm.',
  'signers[].keystore{kind=pkcs11}.keyLabel': 'Nhãn khóa trên thẻ (CKA_LABEL) khi thẻ có nhiều khóa; bỏ trống: khóa đầu tiên có chứng thư.',
  'signers[].keystore{kind=pkcs11}.label': 'Tên hiển thị cho công chức.',
  tsa: 'Máy chủ dấu thời gian RFC 3161: chữ ký làm khi mất mạng được gắn dấu thời gian trước lần gửi đầu (docs/timestamps.md).',
  'tsa.url': 'Địa chỉ TSA do nhà cung cấp dịch vụ chứng thực công bố.',
  'tsa.timeoutSeconds': 'Thời gian chờ TSA trả lời, giây.',
  trust: 'Kiểm tra chứng thư số trước khi ký (docs/certificate-checks.md).',
  'trust.anchorsDir': 'Thư mục chứa chứng thư gốc tin cậy bổ sung (PEM/DER), ngoài các chứng thư trung tâm cung cấp.',
  'trust.maxRevocationAgeHours': 'Kết quả kiểm tra thu hồi (CRL/OCSP) cũ tối đa bao nhiêu giờ khi ký lúc mất mạng.',
  'trust.requireRevocation': 'Không ký nếu không có bằng chứng thu hồi đủ mới. Mặc định của lược đồ là false (bản demo không có CRL); cấu hình do bộ cài tạo ra và tệp mẫu đặt true — máy quầy thật phải để true.',
  'trust.revocationFetch': 'Giới hạn khi tải CRL/OCSP từ địa chỉ ghi trong chứng thư.',
  'trust.revocationFetch.allowedPorts': 'Các cổng được phép.',
  'trust.revocationFetch.allowPrivateNetworks': 'Chỉ phòng thử nghiệm: cho phép máy chủ CRL/OCSP trong mạng nội bộ/loopback.',
  'trust.revocationFetch.maxCrlMegabytes': 'Kích thước CRL tối đa, MB.',
  'trust.revocationFetch.maxOcspKilobytes': 'Kích thước trả lời OCSP tối đa, KB.',
  'trust.revocationFetch.timeoutSeconds': 'Thời gian chờ, giây.',
  capture: 'Máy quét và thư mục nhận ảnh (docs/capture.md).',
  'capture.sane': 'Máy quét qua SANE (Linux).',
  'capture.sane.enabled': 'Bật SANE (không dùng trên Windows).',
  'capture.sane.command': 'Đường dẫn lệnh scanimage khác mặc định.',
  'capture.sane.devices': 'Chỉ dùng các thiết bị này (tên SANE).',
  'capture.sane.deviceOptions': 'Tùy chọn scanimage riêng theo thiết bị, ví dụ {"fujitsu:…": ["--swcrop=yes"]}.',
  'capture.escl': 'Máy quét mạng (eSCL/AirScan).',
  'capture.escl[].label': 'Tên hiển thị.',
  'capture.escl[].url': 'Địa chỉ gốc eSCL của máy quét, ví dụ http://192.168.1.50/eSCL.',
  'capture.hotFolders': 'Thư mục mà phần mềm của máy quét thả tệp vào; ứng dụng nhận từng tệp khi đã ghi xong.',
  'capture.hotFolders[].label': 'Tên hiển thị.',
  'capture.hotFolders[].path': 'Thư mục theo dõi.',
  'capture.hotFolders[].archivePath': 'Nơi chuyển tệp đã nhận; bỏ trống: thư mục con "da-nhan" của thư mục theo dõi.',
  'capture.hotFolders[].pollMs': 'Chu kỳ kiểm tra thư mục, mili giây.',
  'capture.hotFolders[].stablePolls': 'Số lần liên tiếp kích thước tệp không đổi thì coi là đã ghi xong.',
  'capture.wia': 'Máy quét qua WIA (Windows).',
  'capture.wia.enabled': 'Bật WIA.',
  'capture.twain': 'Máy quét TWAIN qua NAPS2 (Windows), khi đã cài NAPS2.',
  'capture.twain.enabled': 'Bật TWAIN.',
  'capture.twain.naps2Console': 'Đường dẫn NAPS2.Console.exe.',
  printing: 'In biểu mẫu (docs/ARCHITECTURE.md "Printing").',
  'printing.printerName': 'Tên máy in để in thẳng không hỏi; bỏ trống: hiện hộp thoại in.',
  signing: 'Khóa ký tự khóa khi không dùng.',
  'signing.idleLockMinutes': 'Số phút không dùng thì khóa ký tự khóa (mặc định 15).',
  kiosk: 'Chế độ kiosk cho máy quầy chuyên dụng: toàn màn hình, không đóng được, chỉ thoát bằng mã PIN của CNTT (docs/deployment.md "Chế độ kiosk").',
  'kiosk.enabled': 'Bật chế độ kiosk.',
  'kiosk.exitPinHash': 'Mã băm scrypt của mã PIN thoát — tạo bằng `motcua kiosk-pin --pin-env BIEN`; không bao giờ ghi mã PIN rõ.',
  allowHttpCentral: 'Chỉ phòng thử nghiệm: cho phép trung tâm http:// (dữ liệu đi không mã hóa). Máy quầy thật: false.',
  enrollment: 'Mã đăng ký máy do bộ cài hoặc CNTT đặt sẵn: lần mở đầu tiên ứng dụng tự đăng ký máy với mã này rồi xóa mục này khỏi tệp (docs/deployment.md "Đăng ký máy").',
  'enrollment.code': 'Mã đăng ký một lần (XXXX-XXXX-XXXX) do `motcua central enroll-code` cấp.',
  'enrollment.deviceName': 'Tên máy để trung tâm nhận biết; bỏ trống: tên máy tính.',
  maxClockSkewMinutes: 'Số phút đồng hồ máy được lệch so với trung tâm trước khi việc đăng ký bị từ chối và `motcua doctor` báo lỗi (mặc định 5).',
  firstStartEnrollmentScreen: 'Khi máy chưa đăng ký, mở màn hình đăng ký lúc khởi động (mặc định true); false khi CNTT chỉ đăng ký bằng `motcua enroll`.',
  updates: 'Cập nhật do trung tâm phát hành (docs/deployment.md "Cập nhật"). Không có khóa nhà phát hành thì máy không tự cập nhật.',
  'updates.publisherKeys': 'Khóa công khai Ed25519 của nhà phát hành (PEM, `openssl pkey -pubout`): chỉ bản cập nhật có chữ ký khớp một khóa này mới được cài.',
  'updates.checkIntervalMinutes': 'Bao nhiêu phút hỏi trung tâm một lần có bản mới không.',
  'updates.maxKilobytesPerSecond': 'Giới hạn tốc độ tải bản cập nhật (KB/s; 0: không giới hạn). Khi hồ sơ đang được gửi, việc tải luôn tạm dừng.',
  'updates.installAfterIdleMinutes': 'Công chức rời bàn phím và chuột bao nhiêu phút thì mới cài (cài xong ứng dụng khởi động lại).',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/configuration.md, as `npm run docs:config` writes it. */
export function renderConfigurationReference(): string {
  const rows = configFields()
    .filter((f) => !f.path.endsWith('[]'))
    .map((f) => {
      const presence = f.required ? 'bắt buộc' : f.defaultValue !== undefined ? `mặc định \`${JSON.stringify(f.defaultValue)}\`` : 'tùy chọn';
      return `| \`${f.path}\` | ${f.type} | ${cell(presence)} | ${cell(f.limits)} | ${cell(configFieldNotes[f.path] ?? '**(chưa có giải thích)**')} |`;
    });
  return [
    '# Cấu hình máy quầy — `config.json` (Configuration reference)',
    '',
    '<!-- Generated by `npm run docs:config` from hostConfigSchema (electron/services/config.ts) and the notes in',
    '     electron/services/config-reference.ts. Do not edit by hand: tests/unit/electron/config-reference.test.ts fails when stale. -->',
    '',
    'Tệp `config.json` nằm trong thư mục dữ liệu của ứng dụng (`%LOCALAPPDATA%\\Motcua\\config.json` trên Windows;',
    'docs/deployment.md). Bộ cài tạo nó từ cấu hình đặt sẵn (`/CONFIG=…` và các tham số), ứng dụng đọc nó khi khởi động',
    'và từ chối tệp sai với lỗi nêu đúng trường. Mẫu đầy đủ, hợp lệ: `build/default-config.example.json` (cài kèm ứng dụng',
    'ở `resources/default-config.example.json`).',
    '',
    '*The counter\'s configuration file. Every field, its type, whether it is required, its default and limits, as the',
    'app validates them; explanations in Vietnamese for the province\'s IT staff.*',
    '',
    '| trường (field) | kiểu | bắt buộc / mặc định | giới hạn | ý nghĩa |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
