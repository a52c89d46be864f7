// Plain-text helpers shared by the model builders: the one text cleaner, excerpts and slugs.

// XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. With the `u` flag a lone
// surrogate is one code point in D800–DFFF, so it is removed too. U+FFFE/U+FFFF are excluded by the ranges.
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

// The same set, tested without the `u` flag, which is several times faster on long bodies: controls other than tab,
// LF and CR, and U+FFFE/U+FFFF; lone surrogates are what String.prototype.isWellFormed reports.
const FORBIDDEN_UNIT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * Removes the characters XML 1.0 forbids (C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF). Applied to
 * every text of every format, so RSS, Atom, JSON Feed and the pages carry the same text: XML must lose them, and a
 * reader shows them as garbage in JSON.
 */
export function cleanText(text: string): string {
  if (!FORBIDDEN_UNIT.test(text) && text.isWellFormed()) return text;
  FORBIDDEN.lastIndex = 0;
  return FORBIDDEN.test(text) ? text.replace(FORBIDDEN, "") : text;
}

/** `value` with `cleanText` applied to every string in it, at any depth (plain objects and arrays; other values kept). */
export function cleanTexts<T>(value: T): T {
  if (typeof value === "string") return cleanText(value) as T;
  if (Array.isArray(value)) return value.map(cleanTexts) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanTexts(v)])) as T;
  }
  return value;
}

/**
 * Cuts plain text at a word boundary near `max` characters and adds an ellipsis. Counts code points, so a cut never
 * splits a surrogate pair.
 */
export function excerpt(text: string, max = 280): string {
  const clean = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(clean);
  if (chars.length <= max) return clean;
  const head = chars.slice(0, max).join("");
  const space = head.lastIndexOf(" ");
  const cut = space > max * 0.5 ? head.slice(0, space) : head;
  return cut.replace(/[\s,;:.\-–—]+$/u, "") + "…";
}

/**
 * The URL slug form of a name, used for sections, tags and authors: lowercase, letters and digits of any script,
 * runs of anything else become one hyphen.
 */
export function slugify(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/** How many line breaks come before `index` in `text`: the 0-based line of that position. */
export function countLinesBefore(text: string, index: number): number {
  let line = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
