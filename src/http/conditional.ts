// HTTP conditional requests (RFC 9110 §13): reading validators and deciding whether a GET or HEAD gets a 304.

export interface EntityTag {
  weak: boolean;
  /** The opaque tag, quotes included. */
  opaque: string;
}

/**
 * An `If-None-Match` value (RFC 9110 §13.1.2): `*`, or a list of entity tags. Undefined when malformed, so that a
 * broken header is ignored rather than answered with an error. Empty list elements are allowed, as in every `#rule`.
 */
export function parseEntityTags(value: string): "*" | EntityTag[] | undefined {
  const text = value.trim();
  if (text === "*") return "*";
  const tags: EntityTag[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (text[i] === " " || text[i] === "\t") i++;
  };
  while (i < text.length) {
    skipSpace();
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (i >= text.length) break;
    let weak = false;
    if (text.startsWith("W/", i)) {
      weak = true;
      i += 2;
    }
    if (text[i] !== '"') return undefined;
    const end = text.indexOf('"', i + 1);
    if (end < 0) return undefined;
    const opaque = text.slice(i, end + 1);
    // etagc = %x21 / %x23-7E / obs-text
    if (!/^"[\x21\x23-\x7e\x80-\xff]*"$/.test(opaque)) return undefined;
    tags.push({ weak, opaque });
    i = end + 1;
    skipSpace();
    if (i < text.length && text[i] !== ",") return undefined;
  }
  return tags.length ? tags : undefined;
}

/** Weak comparison (RFC 9110 §8.8.3.2): the opaque tags are equal, whether or not either is weak. */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const IMF = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850 =
  /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * An HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, or the obsolete RFC 850 and asctime forms a recipient must accept.
 * Undefined for anything else, including impossible dates.
 */
export function parseHttpDate(value: string): Date | undefined {
  const text = value.trim();
  let parts: [day: string, month: string, year: number, h: string, m: string, s: string] | undefined;
  const imf = IMF.exec(text);
  const rfc850 = imf ? null : RFC850.exec(text);
  const asctime = imf || rfc850 ? null : ASCTIME.exec(text);
  if (imf) parts = [imf[1]!, imf[2]!, Number(imf[3]), imf[4]!, imf[5]!, imf[6]!];
  else if (rfc850) {
    // Two-digit years: RFC 9110 §5.6.7 reads a year more than 50 years ahead as the past century; 70 is the usual pivot.
    const yy = Number(rfc850[3]);
    parts = [rfc850[1]!, rfc850[2]!, yy >= 70 ? 1900 + yy : 2000 + yy, rfc850[4]!, rfc850[5]!, rfc850[6]!];
  } else if (asctime) parts = [asctime[2]!.trim(), asctime[1]!, Number(asctime[6]), asctime[3]!, asctime[4]!, asctime[5]!];
  if (!parts) return undefined;
  const [day, month, year, h, m, s] = parts;
  const monthIndex = MONTHS.indexOf(month);
  if (monthIndex < 0) return undefined;
  const time = Date.UTC(year, monthIndex, Number(day), Number(h), Number(m), Number(s));
  const date = new Date(time);
  if (date.getUTCDate() !== Number(day) || date.getUTCMonth() !== monthIndex || Number(h) > 23 || Number(m) > 59 || Number(s) > 59)
    return undefined;
  return date;
}

export interface RequestValidators {
  ifNoneMatch?: string | null;
  ifModifiedSince?: string | null;
}

export interface CurrentValidators {
  /** The current strong ETag, quotes included. */
  etag: string;
  lastModified?: Date;
}

/**
 * RFC 9110 §13.2.2 for GET and HEAD: `If-None-Match` decides whenever the field is present; only without it does
 * `If-Modified-Since` (the representation is not modified if its Last-Modified, in whole seconds, is not after it).
 * A malformed `If-None-Match` matches nothing, and still silences `If-Modified-Since` (§13.1.3: a recipient MUST ignore
 * If-Modified-Since if the request contains an If-None-Match field), so a broken tag never earns a 304 from a date.
 */
export function isNotModified(request: RequestValidators, current: CurrentValidators): boolean {
  if (request.ifNoneMatch !== undefined && request.ifNoneMatch !== null) {
    // The common case, a reader sending back the one tag it was given: a match by any comparison.
    if (request.ifNoneMatch === current.etag) return true;
    const tags = parseEntityTags(request.ifNoneMatch);
    if (tags === undefined) return false;
    if (tags === "*") return true;
    const mine = parseEntityTags(current.etag);
    return mine !== undefined && mine !== "*" && tags.some((tag) => weakMatch(tag, mine[0]!));
  }
  const since = request.ifModifiedSince ? parseHttpDate(request.ifModifiedSince) : undefined;
  if (!since || !current.lastModified) return false;
  return Math.floor(current.lastModified.getTime() / 1000) * 1000 <= since.getTime();
}
