/**
 * The reference data in force: the central's last good copy (validated before it was stored) when held,
 * else what the app has built in. Pure; the screens' hooks are in app/reference-data.ts.
 */
import { z } from 'zod';
import { defaultWorkingRules, type WorkingRules } from '../../../shared/domain/appointment';
import { bundledCatalog } from '../../../shared/domain/catalog-demo';
import type { HolidayOptions } from '../../../shared/domain/holidays';
import { procedureSchema, type Procedure } from '../../../shared/domain/procedure';
import { createWorkingCalendar, parseYearCalendars, type WorkingCalendar } from '../../../shared/domain/working-calendar';
import type { ReferenceRow } from './database';

const catalogSchema = z.array(procedureSchema).min(1);

/** The central's catalog when one is held (and still reads under this version's schema), else the bundled one. */
export function catalogFrom(row: ReferenceRow | undefined): readonly Procedure[] {
  if (!row) return bundledCatalog;
  const parsed = catalogSchema.safeParse(row.data);
  return parsed.success ? parsed.data : bundledCatalog;
}

/** The rule-based calendar with the built-in official years, overridden year by year by the central's. */
export function calendarFrom(row: ReferenceRow | undefined, holidayOptions: HolidayOptions = {}): WorkingCalendar {
  if (!row) return createWorkingCalendar({ holidayOptions });
  try {
    return createWorkingCalendar({ official: parseYearCalendars(row.data), holidayOptions });
  } catch {
    return createWorkingCalendar({ holidayOptions });
  }
}

export function workingRulesFor(calendar: WorkingCalendar): WorkingRules {
  return { ...defaultWorkingRules, isNonWorkingDay: (day) => calendar.isNonWorkingDay(day) };
}
