/**
 * The counts of form 07a of Circular 09/2026/TT-BTP (in force 1 August 2026): for one period, the
 * dossiers to be resolved (carried over + newly received, the new ones by channel) and what became of them
 * (resolved before / on / after time; still in progress within time / overdue; stopped or withdrawn).
 * The form's exact layout was not found (UNCONFIRMED); the columns follow the breakdown secondary sources
 * quote (by channel: online whole/partial, postal, in person; by outcome).
 *
 * How a dossier is counted (docs/indicators.md, "Mẫu 07a"):
 * - In scope: received no later than the period's end, and neither resolved nor stopped before its start.
 * - Carried over: received before the period; newly received: received within it, by channel.
 * - Resolved in the period: processing ended within it (status 9 first seen, else the return, status 10 —
 *   as the Decision 766 indicators). Against the appointment IN FORCE: an extension (Art. 19.6) moves it, so
 *   an extended dossier is judged by its new date. On time = ended no later than the appointment, on the
 *   appointment's own (Vietnam) day; before time = on an earlier day; after time = later than the appointment.
 * - Stopped (status 8) or withdrawn (status 7) within the period: a column of its own, neither resolved nor
 *   in progress, so the columns add up to the total.
 * - In progress at the period's end (or now, for a period not over yet): overdue when that moment — or the
 *   moment the clock stopped for a supplement — is past the appointment, else within time.
 */
import { toVietnamIso } from './time';

/** How the dossier was submitted (KenhThucHien; online split as the form splits it). */
export const submissionChannels = ['online-whole', 'online-partial', 'postal', 'in-person'] as const;
type SubmissionChannel = (typeof submissionChannels)[number];

export interface Form07aDossier {
  /** The row it is counted in (a field of procedures, or a procedure). */
  readonly group: string;
  readonly channel: SubmissionChannel;
  readonly receivedAt: Date;
  /** The appointment in force (moved by an extension). */
  readonly appointmentAt: Date;
  /** Processing ended (status 9), else the result was returned (status 10). */
  readonly finishedAt?: Date;
  /** Status 8 (stopped) or 7 (withdrawn), with when. */
  readonly stoppedAt?: Date;
  /** While waiting for the applicant's supplement the clock is stopped. */
  readonly pausedSince?: Date;
}

export interface Form07aCounts {
  readonly total: number;
  readonly carriedOver: number;
  readonly received: Readonly<Record<SubmissionChannel, number>>;
  readonly resolvedEarly: number;
  readonly resolvedOnTime: number;
  readonly resolvedLate: number;
  readonly inProgressWithinTime: number;
  readonly inProgressOverdue: number;
  readonly stopped: number;
}

export interface Form07aRow extends Form07aCounts {
  readonly label: string;
}

export interface Form07aPeriod {
  readonly from: Date;
  readonly to: Date;
}

export type Form07aOutcome = 'early' | 'on-time' | 'late' | 'within-time' | 'overdue' | 'stopped';

const vietnamDay = (d: Date): string => toVietnamIso(d).slice(0, 10);

/** What became of one dossier in the period; null when the period does not count it at all. */
export function form07aOutcome(d: Form07aDossier, period: Form07aPeriod, now: Date): Form07aOutcome | null {
  const from = period.from.getTime();
  const to = period.to.getTime();
  if (d.receivedAt.getTime() > to) return null;
  const finished = d.finishedAt && (!d.stoppedAt || d.finishedAt.getTime() <= d.stoppedAt.getTime()) ? d.finishedAt : undefined;
  const stopped = finished ? undefined : d.stoppedAt;
  const ended = finished ?? stopped;
  if (ended && ended.getTime() < from) return null;
  if (finished && finished.getTime() <= to) {
    if (finished.getTime() > d.appointmentAt.getTime()) return 'late';
    return vietnamDay(finished) === vietnamDay(d.appointmentAt) ? 'on-time' : 'early';
  }
  if (stopped && stopped.getTime() <= to) return 'stopped';
  const asOf = Math.min(to, now.getTime(), d.pausedSince?.getTime() ?? Number.POSITIVE_INFINITY);
  return asOf > d.appointmentAt.getTime() ? 'overdue' : 'within-time';
}

const zero = (): { -readonly [K in keyof Form07aCounts]: K extends 'received' ? Record<SubmissionChannel, number> : number } => ({
  total: 0,
  carriedOver: 0,
  received: { 'online-whole': 0, 'online-partial': 0, postal: 0, 'in-person': 0 },
  resolvedEarly: 0,
  resolvedOnTime: 0,
  resolvedLate: 0,
  inProgressWithinTime: 0,
  inProgressOverdue: 0,
  stopped: 0,
});

function count(items: readonly Form07aDossier[], period: Form07aPeriod, now: Date): Form07aCounts {
  const c = zero();
  for (const d of items) {
    const outcome = form07aOutcome(d, period, now);
    if (outcome === null) continue;
    c.total++;
    if (d.receivedAt.getTime() < period.from.getTime()) c.carriedOver++;
    else c.received[d.channel]++;
    if (outcome === 'early') c.resolvedEarly++;
    else if (outcome === 'on-time') c.resolvedOnTime++;
    else if (outcome === 'late') c.resolvedLate++;
    else if (outcome === 'within-time') c.inProgressWithinTime++;
    else if (outcome === 'overdue') c.inProgressOverdue++;
    else c.stopped++;
  }
  return c;
}

/** One row per group with anything to count (sorted by label), then the total ("Tổng cộng"). */
export function computeForm07a(dossiers: readonly Form07aDossier[], period: Form07aPeriod, now: Date): Form07aRow[] {
  const groups = new Map<string, Form07aDossier[]>();
  for (const d of dossiers) groups.set(d.group, [...(groups.get(d.group) ?? []), d]);
  const rows = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'vi'))
    .map(([label, items]) => ({ label, ...count(items, period, now) }))
    .filter((row) => row.total > 0);
  return [...rows, { label: 'Tổng cộng', ...count(dossiers, period, now) }];
}

/** What the counter can and cannot count, printed under the form and in docs/indicators.md. */
export const form07aNotes = [
  'Số liệu lấy từ hồ sơ do quầy này tiếp nhận trực tiếp và trạng thái trung tâm gửi về quầy; quầy không biết hồ sơ nộp trực tuyến hay qua bưu chính ở nơi khác, nên các cột đó chỉ có số liệu khi trung tâm báo kênh nộp. Báo cáo toàn đơn vị lấy từ hệ thống trung tâm.',
  'Đã giải quyết: kết thúc xử lý (hoặc đã trả kết quả) trong kỳ, so với ngày hẹn đang có hiệu lực (đã gia hạn thì so với ngày hẹn mới). Đúng hạn: xong trong ngày hẹn, không muộn hơn giờ hẹn; trước hạn: xong trước ngày hẹn; quá hạn: xong sau giờ hẹn.',
  'Đang giải quyết: chưa xong đến cuối kỳ (hoặc đến lúc lập báo cáo); quá hạn khi đã qua ngày hẹn (thời gian chờ bổ sung không tính). Hồ sơ dừng giải quyết hoặc công dân rút trong kỳ được ghi riêng.',
];
