/**
 * `motcua calendar <year> [--calendar <file.json>]`: the year's non-working weekdays (holidays, compensatory
 * and swapped days) and the weekend days worked, as JSON, from the official calendar (the file's, else the
 * bundled one) or the rule-based default. Exit 0; 2 on bad usage or a malformed calendar file.
 */
import { parseArgs } from 'node:util';
import { createWorkingCalendar } from '../../../shared/domain/working-calendar';
import { MAX_LUNAR_YEAR, MIN_LUNAR_YEAR } from '../../../shared/domain/lunar';
import { calendarMessage, loadCalendarFile } from './due';

const usage = 'Cách dùng: motcua calendar <năm> [--calendar <tệp lịch.json>]';

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { calendar: { type: 'string' } } });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  const [yearText, ...extra] = parsed.positionals;
  const year = Number(yearText);
  if (!yearText || extra.length > 0 || !/^\d{4}$/.test(yearText) || year < MIN_LUNAR_YEAR || year > MAX_LUNAR_YEAR) {
    console.error(`Năm không hợp lệ: "${yearText ?? ''}". Hãy nhập năm từ ${MIN_LUNAR_YEAR} đến ${MAX_LUNAR_YEAR}.\n${usage}`);
    return 2;
  }
  try {
    const official = parsed.values.calendar ? await loadCalendarFile(parsed.values.calendar) : [];
    console.log(JSON.stringify(createWorkingCalendar({ official }).nonWorkingDays(year), null, 2));
    return 0;
  } catch (err) {
    console.error(calendarMessage(err));
    return 2;
  }
}
