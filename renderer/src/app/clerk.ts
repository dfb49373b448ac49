import { useLiveQuery } from 'dexie-react-hooks';
import type { CounterConfig } from '../../../shared/ipc/contract';
import type { UnitData } from '../../../shared/pdf/forms/common';
import { useServices } from './services';

/** Who is at the counter: the name the clerk typed in the header, else "Quầy <n>". */
export function useClerkName(): string {
  const { db, config } = useServices();
  const fallback = `Quầy ${config.counterNo}`;
  const value = useLiveQuery(async () => (await db.counterPrefs.get('clerkName'))?.value, [db]);
  return typeof value === 'string' && value.trim() ? value : fallback;
}

/** "UBND xã Demo" → "Xã Demo": the place in a form's place-and-date line. */
export function placeOf(unitName: string): string {
  const place = unitName.replace(/^(UBND|Ủy ban nhân dân)\s+/iu, '');
  return place.charAt(0).toLocaleUpperCase('vi') + place.slice(1);
}

/**
 * The issuing unit as the forms print it: the organisation's full name over the one-stop division (the
 * unit's short name, e.g. "UBND xã Demo", would only repeat it).
 */
export function formUnit(config: CounterConfig): UnitData {
  return { unitName: config.organisationName, place: placeOf(config.unit.name) };
}
