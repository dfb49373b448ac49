/**
 * Dates as the clerk types them: dd/mm/yyyy (also with "-" or "."), never the browser's locale format. A
 * native date input follows the operating system's or Chromium's language, so it may read mm/dd/yyyy.
 */

/** "01/12/2026" (or "1.12.2026", or "01122026" typed without separators) → "2026-12-01"; null when it is not a real date. */
export function parseVietnameseDate(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text) ?? /^\s*(\d{2})(\d{2})(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "2026-12-01" → "01/12/2026". */
export function formatIsoDateVietnamese(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}
