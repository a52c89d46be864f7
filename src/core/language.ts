// Writing direction of a BCP 47 language tag, so pages, the iframe list and the widget lay each article out as its
// language reads (a Persian article right to left) without a per-language table to keep up to date.

/** The base direction of text in a language, as HTML's `dir` attribute takes it. */
export type TextDirection = "ltr" | "rtl";

// ISO 15924 scripts written right to left (Unicode's Script_Extensions with bidi class R/AL), current and historic.
// biome-ignore format: a table
const RTL_SCRIPTS: ReadonlySet<string> = new Set([
  "Adlm", "Arab", "Aran", "Armi", "Avst", "Chrs", "Cprt", "Elym", "Hatr", "Hebr", "Hung", "Khar", "Lydi", "Mand", "Mani",
  "Mend", "Merc", "Mero", "Narb", "Nbat", "Nkoo", "Orkh", "Ougr", "Palm", "Phli", "Phlp", "Phnx", "Prti", "Rohg", "Samr",
  "Sarb", "Sogd", "Sogo", "Syrc", "Thaa", "Yezi",
]);

/**
 * `rtl` when the tag's script (explicit, as in `az-Arab`, or the likely one CLDR gives its language, as `Arab` for `fa`)
 * is written right to left; `ltr` otherwise, including for tags that are not well formed.
 */
export function textDirection(lang: string): TextDirection {
  try {
    const script = new Intl.Locale(lang).maximize().script;
    return script && RTL_SCRIPTS.has(script) ? "rtl" : "ltr";
  } catch {
    return "ltr";
  }
}

/** A language as the site's language lists group articles: its key in URLs and lists, and the tag its feeds declare. */
export interface LanguageGroup {
  /** Lower-case, the URL segment of its feeds and page: `en`, `fa`, `zh-hant`, `az-arab`. */
  slug: string;
  /** The BCP 47 tag its feeds declare (RSS `language`, Atom `xml:lang`, JSON Feed `language`): `en`, `zh-Hant`. */
  name: string;
}

/**
 * The language list a tag belongs to: its language subtag, with its script where that is not the one the language is
 * usually written in (CLDR's likely subtags), so `en`, `en-GB` and `en-US` are one list, and `az-Latn` and `az-Arab`,
 * `zh-CN` (`zh`) and `zh-TW` (`zh-Hant`) are two: a reader of one cannot read the other. Regions are not kept: MSN's
 * partner rules ask for one language per feed, not one market.
 */
export function languageOf(tag: string): LanguageGroup {
  // Two ICU likely-subtag lookups a call, for the one or few tags a site uses, per article published: looked up once.
  let group = groups.get(tag);
  if (group === undefined) {
    if (groups.size >= GROUPS_KEPT) groups.clear();
    group = groupOf(tag);
    groups.set(tag, group);
  }
  return { ...group };
}

/** languageOf's answers by tag (a site has a few; arbitrary tags from front matter can only fill it, then it starts again). */
const groups = new Map<string, LanguageGroup>();
const GROUPS_KEPT = 256;

function groupOf(tag: string): LanguageGroup {
  try {
    const locale = new Intl.Locale(tag);
    const script = locale.maximize().script;
    const usual = new Intl.Locale(locale.language).maximize().script;
    const name = script && script !== usual ? `${locale.language}-${script}` : locale.language;
    return { slug: name.toLowerCase(), name };
  } catch {
    return { slug: tag.toLowerCase(), name: tag };
  }
}

/** A language's own name for itself (`English`, `فارسی`), or the tag when the runtime has no name for it. */
export function languageAutonym(tag: string): string {
  try {
    const name = new Intl.DisplayNames([tag], { type: "language", fallback: "none" }).of(tag);
    return name ? name.charAt(0).toLocaleUpperCase(tag) + name.slice(1) : tag;
  } catch {
    return tag;
  }
}

/** A language's name in `locale` (`Persian` in English), or the tag when the runtime has no name for it. */
export function languageName(tag: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "language", fallback: "none" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}
