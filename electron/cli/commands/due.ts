/**
 * `motcua due --received <ISO time> --limit "<n> working-days|days|hours" [--calendar <file.json>]`: the
 * appointment time for a dossier received then, counted on the Vietnamese working calendar (official data
 * from the file, else the bundled data, else the rules). Prints JSON { received, limit, due, dueText }.
 * Exit 0; 2 on bad input.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { computeAppointment, defaultWorkingRules, formatVietnamDateTime, toVietnamIso, type TimeLimit } from '../../../shared/domain/appointment';
import { createWorkingCalendar, parseYearCalendars, type YearCalendar } from '../../../shared/domain/working-calendar';
import { AppError, type ErrorCode } from '../../../shared/errors';
import { describeError, errorMessages } from '../../../shared/i18n/error-messages';

const usage = 'Cách dùng: motcua due --received <thời điểm ISO, ví dụ 2026-02-13T09:00:00+07:00> --limit "<số> working-days|days|hours" [--calendar <tệp lịch.json>]';

/** An ISO 8601 time with an explicit offset: a bare local time would be read in the machine's zone. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const LIMIT = /^\s*(\d{1,4})\s+(working-days|days|hours)\s*$/;

/** The Vietnamese message of a calendar failure. */
export function calendarMessage(err: unknown): string {
  if (err instanceof AppError && (errorMessages.vi as Partial<Record<ErrorCode, string>>)[err.code] !== undefined) return describeError('vi', err.code, err.details);
  return `Lỗi không mong muốn: ${err instanceof Error ? err.message : String(err)}`;
}

/** Reads an official calendar file (one year or a list); CALENDAR_DATA_INVALID when unreadable or malformed. */
export async function loadCalendarFile(file: string): Promise<YearCalendar[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new AppError('CALENDAR_DATA_INVALID', { issue: `không đọc được tệp "${file}"` });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new AppError('CALENDAR_DATA_INVALID', { issue: `tệp "${file}" không phải JSON` });
  }
  return parseYearCalendars(data);
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { received: { type: 'string' }, limit: { type: 'string' }, calendar: { type: 'string' } } });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  const { received: receivedText, limit: limitText, calendar: calendarFile } = parsed.values;
  const receivedAt = new Date(receivedText ?? '');
  if (!receivedText || !ISO_WITH_OFFSET.test(receivedText) || Number.isNaN(receivedAt.getTime())) {
    console.error(`Thời điểm tiếp nhận không hợp lệ: "${receivedText ?? ''}". Hãy nhập dạng ISO có múi giờ, ví dụ 2026-02-13T09:00:00+07:00.\n${usage}`);
    return 2;
  }
  const limitMatch = LIMIT.exec(limitText ?? '');
  if (!limitMatch) {
    console.error(`Thời hạn giải quyết không hợp lệ: "${limitText ?? ''}". Hãy nhập dạng "<số> working-days", "<số> days" hoặc "<số> hours".\n${usage}`);
    return 2;
  }
  const limit: TimeLimit = { amount: Number(limitMatch[1]), unit: limitMatch[2] as TimeLimit['unit'] };
  try {
    const official = calendarFile ? await loadCalendarFile(calendarFile) : [];
    const calendar = createWorkingCalendar({ official });
    const due = computeAppointment(receivedAt, limit, { ...defaultWorkingRules, isNonWorkingDay: (day) => calendar.isNonWorkingDay(day) });
    console.log(JSON.stringify({ received: toVietnamIso(receivedAt), limit, due: toVietnamIso(due), dueText: formatVietnamDateTime(due) }, null, 2));
    return 0;
  } catch (err) {
    console.error(calendarMessage(err));
    return 2;
  }
}
