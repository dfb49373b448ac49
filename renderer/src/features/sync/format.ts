/** Sizes and durations as the clerk reads them. */
export { formatBytes } from '../../db/storage-space';

const units = {
  vi: { s: 'giây', m: 'phút', h: 'giờ' },
  en: { s: 's', m: 'min', h: 'h' },
} as const;

/** "3 phút", "1 giờ 20 phút": rounded up, never more precise than the estimate is. */
export function formatDuration(seconds: number, language: string): string {
  const u = language.startsWith('en') ? units.en : units.vi;
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} ${u.s}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} ${u.m}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} ${u.h} ${rest} ${u.m}` : `${hours} ${u.h}`;
}
