// The words the pages put around content ("By", "Updated", "Tags"…), per language: a small typed table rather than an
// i18n library, since the pages have a dozen labels. An article page uses its article's language, other pages the
// site's; a language without a table falls back to the site's, then to English.
import type { FacetKind } from "../core/catalog.ts";

export interface PageLabels {
  /** Before the byline's names. */
  by: string;
  /** Before the time of the last update. */
  updated: string;
  /** Before the section's name. */
  section: string;
  /** Before the list of tags. */
  tags: string;
  /** Heading of a list of the newest articles. */
  latest: string;
  /** Before the links to a page's feeds. */
  subscribe: string;
  /** Before the links to a feed's archive pages. */
  archive: string;
  /** What a facet page is the page of, shown above its name. */
  kinds: { readonly [K in FacetKind]: string };
  /** Shown when a list has no article yet. */
  empty: string;
}

/** Languages with their own labels, by primary language subtag. */
export type LabelLanguage = "en" | "fa";

const LABELS: { readonly [L in LabelLanguage]: PageLabels } = {
  en: {
    by: "By",
    updated: "Updated",
    section: "Section",
    tags: "Tags",
    latest: "Latest stories",
    subscribe: "Subscribe",
    archive: "Archive",
    kinds: { sections: "Section", tags: "Tag", authors: "Author", languages: "Language" },
    empty: "Nothing published here yet.",
  },
  fa: {
    by: "نوشتهٔ",
    updated: "به‌روزرسانی",
    section: "بخش",
    tags: "برچسب‌ها",
    latest: "تازه‌ترین مطالب",
    subscribe: "اشتراک",
    archive: "بایگانی",
    kinds: { sections: "بخش", tags: "برچسب", authors: "نویسنده", languages: "زبان" },
    empty: "هنوز مطلبی منتشر نشده است.",
  },
};

function tableLanguage(lang: string): LabelLanguage | undefined {
  const primary = lang.split("-")[0]!.toLowerCase();
  return primary in LABELS ? (primary as LabelLanguage) : undefined;
}

/**
 * The labels for text in `lang`, and the language they are in: `lang`'s own when there is a table for it, else the
 * site's (`fallback`), else English. Callers mark labels with `lang` when it differs from the text around them.
 */
export function labelsFor(lang: string, fallback: string): { lang: string; labels: PageLabels } {
  const own = tableLanguage(lang);
  if (own) return { lang, labels: LABELS[own] };
  const site = tableLanguage(fallback);
  return site ? { lang: fallback, labels: LABELS[site] } : { lang: "en", labels: LABELS.en };
}
