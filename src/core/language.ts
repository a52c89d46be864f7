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
