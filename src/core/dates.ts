// Front-matter times to instants, and instants to the date formats the feed specs require.
import { tzOffset } from "@date-fns/tz";
import { describeValue, quote } from "./describe-value.ts";

export type DateResult = { ok: true; date: Date } | { ok: false; reason: string };

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export const DATE_FORMS = "an ISO 8601 date or time: 2025-04-28, 2025-04-28 09:30, 2025-04-28T09:30:00 or 2025-04-28T09:30:00+04:00";

/**
 * Reads a front-matter time. With an offset (ISO 8601 / RFC 3339 §5.6) it is that instant; without one it is a
 * wall-clock time in `timeZone`; a date alone is midnight there. Wall-clock times that a daylight-saving change skips
 * move forward by the gap, and times it repeats take the earlier instant (the rule Temporal calls "compatible").
 */
export function parseDateValue(value: unknown, timeZone: string): DateResult {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? { ok: false, reason: "an invalid date" } : { ok: true, date: value };
  }
  if (typeof value !== "string") return { ok: false, reason: describe(value) };
  // No date is longer than this; a longer string is not run through the pattern at all.
  const m = value.length <= 64 ? PATTERN.exec(value.trim()) : null;
  if (!m) return { ok: false, reason: `${quote(value)}, which is not a date` };
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "0", offset] = m;
  const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)] as const;
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  const wall = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], ms);
  const check = new Date(wall);
  if (
    check.getUTCFullYear() !== parts[0] ||
    check.getUTCMonth() !== parts[1] - 1 ||
    check.getUTCDate() !== parts[2] ||
    parts[3] > 23 ||
    parts[4] > 59 ||
    parts[5] > 59
  ) {
    return { ok: false, reason: `${quote(value)}, which is not a real calendar date and time` };
  }
  if (offset) {
    const minutes = offsetMinutes(offset);
    if (minutes === null) return { ok: false, reason: `${quote(value)}, whose offset ${offset} is out of range` };
    return { ok: true, date: new Date(wall - minutes * 60_000) };
  }
  return { ok: true, date: new Date(wallClockToInstant(wall, timeZone)) };
}

/**
 * The calendar date a front-matter time gives alone (`2025-05-03`), or undefined for a time of day or anything else:
 * such an article was dated, not timed, and pages show it as a date, not as midnight.
 */
export function calendarDayOf(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const day = value.trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : undefined;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  return typeof value === "object" ? describeValue(value) : `${typeof value} ${describeValue(value)}`;
}

function offsetMinutes(offset: string): number | null {
  if (offset.toUpperCase() === "Z") return 0;
  const sign = offset[0] === "-" ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || "0");
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

/** `wall` is the wall-clock time encoded as if it were UTC; returns the epoch milliseconds of that time in `timeZone`. */
function wallClockToInstant(wall: number, timeZone: string): number {
  const DAY = 86_400_000;
  const before = tzOffset(timeZone, new Date(wall - DAY));
  const after = tzOffset(timeZone, new Date(wall + DAY));
  const candidates = [...new Set([before, after])]
    .map((o) => wall - o * 60_000)
    .filter((instant) => tzOffset(timeZone, new Date(instant)) * 60_000 === wall - instant)
    .sort((a, b) => a - b);
  // No candidate: the time falls in a gap; shift it forward by the gap, reading it with the offset before the change.
  return candidates[0] ?? wall - before * 60_000;
}

/** RFC 822 date-time (RFC 1123 form, four-digit year, GMT), as RSS 2.0 and HTTP dates want it. */
export function formatRfc822(date: Date): string {
  return date.toUTCString();
}

/** RFC 3339 §5.6 date-time in UTC, as Atom (RFC 4287 §3.3) and JSON Feed 1.1 want it. Whole seconds unless there are milliseconds. */
export function formatRfc3339(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith(".000Z") ? iso.slice(0, -5) + "Z" : iso;
}

/**
 * RFC 3339 §5.6 date-time with the offset `timeZone` has at that instant (`2025-04-28T14:10:00+01:00`): the wall-clock
 * time the newsroom wrote, for schema.org and Open Graph, where readers show the time as given. A zero offset is
 * written `+00:00`, the site's zone at that instant, not `Z`.
 */
export function formatRfc3339InZone(date: Date, timeZone: string): string {
  const offset = tzOffset(timeZone, date);
  const wall = new Date(date.getTime() + offset * 60_000).toISOString();
  const time = wall.endsWith(".000Z") ? wall.slice(0, -5) : wall.slice(0, -1);
  const abs = Math.abs(offset);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return `${time}${offset < 0 ? "-" : "+"}${hhmm}`;
}
