// Table-driven date rules: front-matter forms to instants, and instants to RFC 822 / RFC 3339.
import { describe, expect, it } from "vitest";
import { formatRfc822, formatRfc3339, parseDateValue } from "../../src/core/dates.ts";

const instants: { input: string; zone: string; expected: string; why: string }[] = [
  { input: "2025-04-28T14:10:00+04:00", zone: "Europe/London", expected: "2025-04-28T10:10:00.000Z", why: "offset wins over the zone" },
  { input: "2025-04-28T14:10:00Z", zone: "Asia/Tokyo", expected: "2025-04-28T14:10:00.000Z", why: "Z is UTC" },
  { input: "2025-04-28T14:10:00-0530", zone: "UTC", expected: "2025-04-28T19:40:00.000Z", why: "offset without colon" },
  { input: "2025-04-28T14:10:00.250+01:00", zone: "UTC", expected: "2025-04-28T13:10:00.250Z", why: "fractional seconds" },
  { input: "2025-04-28 14:10", zone: "Europe/London", expected: "2025-04-28T13:10:00.000Z", why: "naive time, London summer (BST)" },
  { input: "2025-01-15 14:10", zone: "Europe/London", expected: "2025-01-15T14:10:00.000Z", why: "naive time, London winter (GMT)" },
  { input: "2025-04-28T14:10:00", zone: "Asia/Baku", expected: "2025-04-28T10:10:00.000Z", why: "naive T form, fixed +04 zone" },
  { input: "2025-04-28 09:30", zone: "Asia/Tehran", expected: "2025-04-28T06:00:00.000Z", why: "half-hour offset zone" },
  { input: "2025-07-04 09:00", zone: "America/New_York", expected: "2025-07-04T13:00:00.000Z", why: "naive time, New York summer (EDT)" },
  { input: "2025-12-04 09:00", zone: "America/New_York", expected: "2025-12-04T14:00:00.000Z", why: "naive time, New York winter (EST)" },
  { input: "2025-05-03", zone: "Europe/London", expected: "2025-05-02T23:00:00.000Z", why: "date alone is local midnight" },
  { input: "2025-05-03", zone: "UTC", expected: "2025-05-03T00:00:00.000Z", why: "date alone in UTC" },
  {
    input: "2025-03-30 01:30",
    zone: "Europe/London",
    expected: "2025-03-30T01:30:00.000Z",
    why: "DST gap: skipped time moves forward (02:30 BST)",
  },
  {
    input: "2025-10-26 01:30",
    zone: "Europe/London",
    expected: "2025-10-26T00:30:00.000Z",
    why: "DST overlap: repeated time takes the earlier instant (BST)",
  },
  { input: "2025-03-09 02:30", zone: "America/New_York", expected: "2025-03-09T07:30:00.000Z", why: "DST gap in New York" },
  { input: "2025-11-02 01:30", zone: "America/New_York", expected: "2025-11-02T05:30:00.000Z", why: "DST overlap in New York takes EDT" },
  { input: "2024-02-29", zone: "UTC", expected: "2024-02-29T00:00:00.000Z", why: "leap day" },
];

describe("parseDateValue: valid forms", () => {
  it.each(instants)("$input in $zone → $expected ($why)", ({ input, zone, expected }) => {
    const result = parseDateValue(input, zone);
    expect(result).toEqual({ ok: true, date: new Date(expected) });
  });
});

const invalid: { input: unknown; reason: RegExp }[] = [
  { input: "2025-02-30", reason: /not a real calendar date/ },
  { input: "2025-02-29", reason: /not a real calendar date/ },
  { input: "2025-13-01", reason: /not a real calendar date/ },
  { input: "2025-04-28 24:00", reason: /not a real calendar date/ },
  { input: "2025-04-28 12:60", reason: /not a real calendar date/ },
  { input: "2025-04-28T10:00:00+25:00", reason: /offset/ },
  { input: "28/04/2025", reason: /not a date/ },
  { input: "April 28, 2025", reason: /not a date/ },
  { input: "yesterday", reason: /not a date/ },
  { input: "", reason: /not a date/ },
  { input: 20250428, reason: /number/ },
  { input: null, reason: /nothing/ },
  { input: new Date(Number.NaN), reason: /invalid/ },
];

describe("parseDateValue: invalid input is refused with a reason", () => {
  it.each(invalid)("$input", ({ input, reason }) => {
    const result = parseDateValue(input, "Europe/London");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe("output formats", () => {
  it.each([
    { date: "2025-04-28T13:10:00Z", rfc822: "Mon, 28 Apr 2025 13:10:00 GMT", rfc3339: "2025-04-28T13:10:00Z" },
    { date: "0999-12-31T23:59:59Z", rfc822: "Tue, 31 Dec 0999 23:59:59 GMT", rfc3339: "0999-12-31T23:59:59Z" },
    { date: "2025-01-05T03:04:05.678Z", rfc822: "Sun, 05 Jan 2025 03:04:05 GMT", rfc3339: "2025-01-05T03:04:05.678Z" },
  ])("$date → $rfc822 / $rfc3339", ({ date, rfc822, rfc3339 }) => {
    expect(formatRfc822(new Date(date))).toBe(rfc822);
    expect(formatRfc3339(new Date(date))).toBe(rfc3339);
  });

  it("RFC 822 dates always have a four-digit year and a zone", () => {
    expect(formatRfc822(new Date("2025-04-28T00:00:00Z"))).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  });
});
