// The one rule for an article's slug, whether `slug:` sets it or the file name gives it: Unicode NFC, and a URL
// segment that reads as it looks (no spaces, no characters a URL gives a meaning, nothing invisible).
import { quote } from "./describe-value.ts";

/** A slug, or why there can be none: `found` names the offending character, as `npm run check` prints it. */
export type SlugResult = { ok: true; slug: string } | { ok: false; found: string };

/** What a slug must be, in the words `npm run check` prints. */
export const SLUG_EXPECTED =
  "a URL segment without spaces, '/', '?', '#', '%', '\\' or invisible characters (zero-width, bidi controls), not '.' or '..'";

/** Characters a URL path gives a meaning to (or that a server may read as one): they cannot sit in a slug. */
const RESERVED = /[/?#%\\]/u;
/**
 * Whitespace, controls (Cc) and invisible formatting characters (Cf: zero-width space, bidi controls, BOM, soft
 * hyphen…). ZWNJ and ZWJ (U+200C, U+200D) are Cf too but are spelling in Persian and several Indic scripts
 * (بهره‌برداری), so between two letters they are allowed; anywhere else they only make look-alikes.
 */
const INVISIBLE = /[\s\p{Cc}\p{Cf}]/u;
const JOINER_BETWEEN_LETTERS = /(?<=[\p{L}\p{M}])[\u200c\u200d](?=[\p{L}\p{M}])/gu;

/** Names for the characters people actually meet; others are shown by code point. */
const NAMES: Readonly<Record<string, string>> = {
  " ": "a space",
  "\t": "a tab",
  "\u00a0": "a no-break space (U+00A0)",
  "\u00ad": "a soft hyphen (U+00AD)",
  "\u200b": "a zero-width space (U+200B)",
  "\u200c": "a zero-width non-joiner (U+200C) outside a word",
  "\u200d": "a zero-width joiner (U+200D) outside a word",
  "\u200e": "a left-to-right mark (U+200E)",
  "\u200f": "a right-to-left mark (U+200F)",
  "\u202a": "a left-to-right embedding (U+202A)",
  "\u202b": "a right-to-left embedding (U+202B)",
  "\u202c": "a pop directional formatting (U+202C)",
  "\u202d": "a left-to-right override (U+202D)",
  "\u202e": "a right-to-left override (U+202E)",
  "\u2060": "a word joiner (U+2060)",
  "\u2066": "a left-to-right isolate (U+2066)",
  "\u2067": "a right-to-left isolate (U+2067)",
  "\u2068": "a first-strong isolate (U+2068)",
  "\u2069": "a pop directional isolate (U+2069)",
  "\ufeff": "a byte order mark (U+FEFF)",
};

function describeCharacter(ch: string): string {
  const named = NAMES[ch];
  if (named) return named;
  if (RESERVED.test(ch)) return `'${ch}'`;
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  if (/\s/u.test(ch)) return `a space character (${code})`;
  if (/\p{Cc}/u.test(ch)) return `a control character (${code})`;
  return `an invisible formatting character (${code})`;
}

/** Why `slug` (already NFC) cannot be one, naming the first offending character; undefined when it can. */
function slugProblem(slug: string): string | undefined {
  if (slug === "") return "nothing";
  if (slug === "." || slug === "..") return `"${slug}", which a URL reads as a folder`;
  const bad = RESERVED.exec(slug) ?? INVISIBLE.exec(slug.replace(JOINER_BETWEEN_LETTERS, ""));
  if (!bad) return undefined;
  // The index in the stripped text may differ; the character is what the message needs.
  return describeCharacter(bad[0]);
}

/** A `slug:` value: normalised to NFC, then refused if it is not a clean URL segment. */
export function normaliseSlug(value: string): SlugResult {
  const slug = value.trim().normalize("NFC");
  const problem = slugProblem(slug);
  return problem ? { ok: false, found: `${quote(visible(value))}, which holds ${problem}` } : { ok: true, slug };
}

/**
 * The slug a file name gives (`2025/05/Baku visit.md` → `Baku-visit`): the name without `.md`, normalised to NFC (a
 * name saved as NFD on one machine and NFC on another is one slug), spaces and URL-reserved characters turned into
 * hyphens (trimmed at the ends), then held to the same rule as `slug:`. Case is kept: a slug is part of a public URL,
 * and changing the case of existing ones would move them.
 */
export function fileNameSlug(file: string): SlugResult {
  const name = file.split("/").pop()!.replace(/\.md$/i, "");
  const cut = /[\s/?#%\\]+/gu;
  const slug = name
    .normalize("NFC")
    .replace(new RegExp(`^(?:${cut.source})|(?:${cut.source})$`, "gu"), "")
    .replace(cut, "-");
  const problem = slugProblem(slug);
  if (!problem) return { ok: true, slug };
  return { ok: false, found: `the file name ${quote(visible(name))}, which gives a slug holding ${problem}` };
}

/** Invisible characters written as `<U+200B>` (ZWNJ and ZWJ too: in a slug they are what is wrong). */
function visible(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]/gu, (ch) => `<U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}>`);
}
