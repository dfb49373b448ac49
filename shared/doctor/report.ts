/**
 * The counter's self-check report (`motcua doctor`, the IT screen, the support bundle): plain JSON, one entry
 * per check, each PASS / WARN / FAIL with a Vietnamese explanation and what to do.
 *
 * Exit code for scripts (documented in docs/deployment.md): 0 every check PASS, 1 at least one WARN and no
 * FAIL, 2 at least one FAIL. (Bad usage of the command is 64, EX_USAGE, so a script never reads it as a verdict.)
 */
import { z } from 'zod';

const doctorVerdicts = ['pass', 'warn', 'fail'] as const;
const doctorVerdictSchema = z.enum(doctorVerdicts);
export type DoctorVerdict = z.infer<typeof doctorVerdictSchema>;

const doctorCheckIds = [
  'config',
  'central',
  'device',
  'clock',
  'disk',
  'indexeddb-quota',
  'scanners',
  'signer',
  'certificate',
  'revocation-cache',
  'tsa',
  'backlog',
] as const;
const doctorCheckIdSchema = z.enum(doctorCheckIds);

const doctorCheckSchema = z
  .object({
    id: doctorCheckIdSchema,
    /** Which one, when a check repeats (one entry per signer: its role). */
    subject: z.string().max(200).optional(),
    verdict: doctorVerdictSchema,
    /** Short Vietnamese name of the check ("Đồng hồ máy"). */
    title: z.string().min(1).max(200),
    /** What was found, in Vietnamese. */
    explanation: z.string().min(1).max(2000),
    /** What to do, in Vietnamese; absent when nothing is to be done. */
    action: z.string().min(1).max(2000).optional(),
    /** Measured values for scripts and the support bundle (bytes, minutes, counts). */
    facts: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean(), z.null()])).optional(),
  })
  .strict();
export type DoctorCheck = z.infer<typeof doctorCheckSchema>;

export const doctorReportSchema = z
  .object({
    kind: z.literal('motcua-doctor'),
    version: z.literal(1),
    at: z.iso.datetime({ offset: true }),
    verdict: doctorVerdictSchema,
    exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    checks: z.array(doctorCheckSchema).max(64),
  })
  .strict();
export type DoctorReport = z.infer<typeof doctorReportSchema>;

const rank: Record<DoctorVerdict, number> = { pass: 0, warn: 1, fail: 2 };

/** The worst verdict; an empty list passes. */
export function worstVerdict(checks: readonly Pick<DoctorCheck, 'verdict'>[]): DoctorVerdict {
  return checks.reduce<DoctorVerdict>((worst, c) => (rank[c.verdict] > rank[worst] ? c.verdict : worst), 'pass');
}

export function exitCodeOf(verdict: DoctorVerdict): 0 | 1 | 2 {
  return verdict === 'fail' ? 2 : verdict === 'warn' ? 1 : 0;
}

export function doctorReport(checks: readonly DoctorCheck[], at: Date): DoctorReport {
  const verdict = worstVerdict(checks);
  return { kind: 'motcua-doctor', version: 1, at: at.toISOString(), verdict, exitCode: exitCodeOf(verdict), checks: [...checks] };
}

export const verdictLabels: Record<DoctorVerdict, string> = { pass: 'ĐẠT', warn: 'CẢNH BÁO', fail: 'LỖI' };

const mib = 1024 * 1024;

/**
 * IndexedDB quota, measured in the renderer only (navigator.storage.estimate). Electron treats the database as
 * persistent and unlimited, so the real limit is the disk (checked by main): this warns when the browser's own
 * quota is nearly used, fails when almost nothing is left.
 */
export function indexedDbQuotaCheck(estimate: { readonly usage?: number; readonly quota?: number } | undefined): DoctorCheck {
  const title = 'Dung lượng cơ sở dữ liệu trên máy (IndexedDB)';
  if (!estimate || estimate.quota === undefined || estimate.usage === undefined) {
    return { id: 'indexeddb-quota', verdict: 'warn', title, explanation: 'Trình duyệt không cho biết hạn mức lưu trữ.', action: 'Xem mục "Dung lượng ổ đĩa" ở trên: với ứng dụng máy tính, giới hạn thực là ổ đĩa.' };
  }
  const left = estimate.quota - estimate.usage;
  const facts = { usageBytes: estimate.usage, quotaBytes: estimate.quota };
  const usedText = `Đã dùng ${(estimate.usage / mib).toFixed(1)} MB trên hạn mức ${(estimate.quota / mib).toFixed(0)} MB.`;
  if (left < 200 * mib) {
    return { id: 'indexeddb-quota', verdict: 'fail', title, explanation: `${usedText} Còn dưới 200 MB: hồ sơ mới có thể không lưu được.`, action: 'Gửi hết hồ sơ chờ về trung tâm và giải phóng ổ đĩa; báo bộ phận CNTT.', facts };
  }
  if (estimate.usage > 0.8 * estimate.quota) {
    return { id: 'indexeddb-quota', verdict: 'warn', title, explanation: `${usedText} Đã dùng hơn 80%.`, action: 'Kiểm tra hàng đợi gửi và dung lượng ổ đĩa.', facts };
  }
  return { id: 'indexeddb-quota', verdict: 'pass', title, explanation: usedText, facts };
}
