// Validator rules (RFC 9110 §13): entity-tag lists, HTTP-dates, and the 304 decision, one row per case.
import { describe, expect, it } from "vitest";
import { isNotModified, parseEntityTags, parseHttpDate } from "../../src/http/conditional.ts";

const ETAG = '"rss-1-abc"';
const LAST = new Date("2026-01-09T09:00:00.400Z");

describe("parseEntityTags", () => {
  it.each([
    { input: "*", expected: "*" },
    { input: ' "a" ', expected: [{ weak: false, opaque: '"a"' }] },
    { input: 'W/"a"', expected: [{ weak: true, opaque: '"a"' }] },
    {
      input: '"a", W/"b",,"c"',
      expected: [
        { weak: false, opaque: '"a"' },
        { weak: true, opaque: '"b"' },
        { weak: false, opaque: '"c"' },
      ],
    },
    { input: '""', expected: [{ weak: false, opaque: '""' }] },
    { input: "a", expected: undefined },
    { input: '"a', expected: undefined },
    { input: 'w/"a"', expected: undefined },
    { input: '"a" "b"', expected: undefined },
    { input: '"a b"', expected: undefined },
    { input: "", expected: undefined },
    { input: '*, "a"', expected: undefined },
  ])("$input", ({ input, expected }) => {
    expect(parseEntityTags(input)).toEqual(expected);
  });
});

describe("parseHttpDate", () => {
  it.each([
    { input: "Fri, 09 Jan 2026 09:00:00 GMT", expected: "2026-01-09T09:00:00.000Z" },
    { input: "Friday, 09-Jan-26 09:00:00 GMT", expected: "2026-01-09T09:00:00.000Z" },
    { input: "Sun Nov  6 08:49:37 1994", expected: "1994-11-06T08:49:37.000Z" },
    { input: "Fri, 31 Feb 2026 09:00:00 GMT", expected: undefined },
    { input: "Fri, 09 Jan 2026 25:00:00 GMT", expected: undefined },
    { input: "2026-01-09T09:00:00Z", expected: undefined },
    { input: "Fri, 09 Jan 2026 09:00:00 GMT, Fri, 09 Jan 2026 09:00:00 GMT", expected: undefined },
    { input: "yesterday", expected: undefined },
  ])("$input", ({ input, expected }) => {
    expect(parseHttpDate(input)?.toISOString()).toBe(expected);
  });
});

describe("isNotModified", () => {
  it.each([
    { case: "no validators", inm: undefined, ims: undefined, expected: false },
    { case: "same strong tag", inm: ETAG, ims: undefined, expected: true },
    { case: "weak form of the tag (weak comparison)", inm: `W/${ETAG}`, ims: undefined, expected: true },
    { case: "tag in a list", inm: `"x", ${ETAG}`, ims: undefined, expected: true },
    { case: "star", inm: "*", ims: undefined, expected: true },
    { case: "other tag", inm: '"rss-1-old"', ims: undefined, expected: false },
    { case: "other tag wins over a matching date", inm: '"rss-1-old"', ims: "Fri, 09 Jan 2026 09:00:00 GMT", expected: false },
    // RFC 9110 §13.1.3 and §13.2.2: with If-None-Match present, even malformed or empty, If-Modified-Since is ignored.
    {
      case: "malformed tag matches nothing, and the date is ignored",
      inm: "rss-1-abc",
      ims: "Fri, 09 Jan 2026 09:00:00 GMT",
      expected: false,
    },
    { case: "malformed tag with a future date", inm: "unquoted", ims: "Fri, 09 Jan 2099 09:00:00 GMT", expected: false },
    { case: "two tags without a comma with a future date", inm: '"a" "b"', ims: "Fri, 09 Jan 2099 09:00:00 GMT", expected: false },
    { case: "unterminated tag with a future date", inm: '"rss-1-abc', ims: "Fri, 09 Jan 2099 09:00:00 GMT", expected: false },
    { case: "empty If-None-Match with a future date", inm: "", ims: "Fri, 09 Jan 2099 09:00:00 GMT", expected: false },
    { case: "matching tag wins over an old date", inm: ETAG, ims: "Thu, 01 Jan 1970 00:00:00 GMT", expected: true },
    { case: "star wins over an old date", inm: "*", ims: "Thu, 01 Jan 1970 00:00:00 GMT", expected: true },
    { case: "future date alone", inm: undefined, ims: "Fri, 09 Jan 2099 09:00:00 GMT", expected: true },
    { case: "date equal to Last-Modified (whole seconds)", inm: undefined, ims: "Fri, 09 Jan 2026 09:00:00 GMT", expected: true },
    { case: "date after Last-Modified", inm: undefined, ims: "Sat, 10 Jan 2026 09:00:00 GMT", expected: true },
    { case: "date before Last-Modified", inm: undefined, ims: "Fri, 09 Jan 2026 08:59:59 GMT", expected: false },
    { case: "malformed date is ignored", inm: undefined, ims: "not a date", expected: false },
  ])("$case", ({ inm, ims, expected }) => {
    expect(isNotModified({ ifNoneMatch: inm, ifModifiedSince: ims }, { etag: ETAG, lastModified: LAST })).toBe(expected);
  });

  it("never answers 304 to a date when the feed has no Last-Modified", () => {
    expect(isNotModified({ ifModifiedSince: "Fri, 09 Jan 2099 09:00:00 GMT" }, { etag: ETAG })).toBe(false);
  });
});
