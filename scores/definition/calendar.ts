/**
 * Calendar checks shared by every reader of dates: a day that does not exist (31 February) is rejected, never rolled
 * into the next month as `Date` would.
 */

/**
 * True when year-month-day is a day of the (proleptic Gregorian) calendar. Runs in O(1).
 *
 * @example isCalendarDate(2024, 2, 29); // => true
 * @example isCalendarDate(2023, 2, 29); // => false
 */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!(month >= 1 && month <= 12 && day >= 1)) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
