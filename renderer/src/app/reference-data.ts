/** The screens' view of the reference data (the central's last good copy, else the built-in data). */
import { useMemo } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { Procedure } from '../../../shared/domain/procedure';
import type { WorkingCalendar } from '../../../shared/domain/working-calendar';
import type { WorkingRules } from '../../../shared/domain/appointment';
import { defaultSupplementWindow, type SupplementWindow } from '../../../shared/domain/time-limit-rules';
import { calendarFrom, catalogFrom, workingRulesFor } from '../db/reference-data';
import { useServices } from './services';

export { workingRulesFor } from '../db/reference-data';

export function useCatalog(): readonly Procedure[] {
  const { db } = useServices();
  const row = useLiveQuery(() => db.reference.get('catalog'), [db]);
  return useMemo(() => catalogFrom(row), [row]);
}

export function useWorkingCalendar(): WorkingCalendar {
  const { db, config } = useServices();
  const row = useLiveQuery(() => db.reference.get('calendar'), [db]);
  // Issue 15: 24/11 on a weekend is compensated unless the counter is configured otherwise (UNCONFIRMED rule).
  const cultureDayCompensated = config.timeLimits?.cultureDayCompensated ?? true;
  return useMemo(() => calendarFrom(row, { cultureDayCompensated }), [row, cultureDayCompensated]);
}

/** Issue 15: the counting rules and the 2025 supplement window the desk and the board close dossiers with. */
export function useSupplementClosureRules(): { readonly window: SupplementWindow; readonly rules: WorkingRules } {
  const { config } = useServices();
  const calendar = useWorkingCalendar();
  const window = config.timeLimits?.supplementWindow ?? defaultSupplementWindow;
  return useMemo(() => ({ window, rules: workingRulesFor(calendar) }), [window, calendar]);
}
