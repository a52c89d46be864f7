// /articles/{slug}: the readable article page every feed link leads to when the service runs on its own.
import type { Hono } from "hono";
import { type Catalog, type Facet, type FacetKind, type FoundArticle, statusAt } from "../core/catalog.ts";
import { formatRfc3339InZone } from "../core/dates.ts";
import { describeScope, listedFacets, scopePath } from "../core/feed-plan.ts";
import { languageOf, textDirection } from "../core/language.ts";
import type { Article } from "../core/model.ts";
import type { SiteSettings } from "../core/settings.ts";
import { slugify } from "../core/text.ts";
import { FORMATS } from "../formats/index.ts";
import { jsonForScript, newsArticleJsonLd, type PublisherLogo } from "../formats/json-ld.ts";
import { articleTag, cacheTagHeader } from "./cache-tags.ts";
import type { AppContext } from "./context.ts";
import { NotFoundError } from "./errors.ts";
import { html, page, type SafeHtml, trusted } from "./html.ts";
import { labelsFor } from "./labels.ts";

/** Pages show article HTML the core has sanitised; no script runs on them. */
export const PAGE_CSP =
  "default-src 'none'; img-src * data:; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/**
 * A published article by slug: drafts never are, and embargoed ones are not found until their time, by the same one
 * read as a slug that does not exist (Catalog.find with `publishedBy`), so a 404's timing reveals nothing.
 */
export async function findPublished(catalog: Catalog, now: Date, slug: string): Promise<FoundArticle | undefined> {
  const found = await catalog.find(slug, { publishedBy: now });
  return found && statusAt(found, now) === "published" ? found : undefined;
}

/**
 * The locale dates are written in for text in `lang`: one per language, so every English date on a page looks alike
 * (an `en-GB` article's beside an `en` one's). For the site's own language that is SITE_LANGUAGE's tag (the newsroom's
 * convention), for any other the language and its script without a region (`fa`: the Solar Hijri calendar with
 * Persian digits; `az-Arab` stays in its script).
 */
export function dateLocale(lang: string, site: SiteSettings): string {
  const base = (tag: string) => {
    try {
      const locale = new Intl.Locale(tag);
      return locale.script ? `${locale.language}-${locale.script}` : locale.language;
    } catch {
      return tag.split("-")[0]!.toLowerCase();
    }
  };
  const primary = (tag: string) => base(tag).split("-")[0];
  return primary(lang) === primary(site.language) ? site.language : base(lang);
}

/**
 * Date and time in the site's zone, for people, in one style per language (`dateLocale`); the `<time datetime>` carries
 * the instant for machines. With `day` (the calendar date the front matter gave alone) it is that date, without a time.
 */
export function formatSiteTime(date: Date, site: SiteSettings, lang: string, day?: string): string {
  const locale = dateLocale(lang, site);
  const dateParts = { year: "numeric", month: "long", day: "numeric" } as const;
  try {
    if (day !== undefined) {
      const [y, m, d] = day.split("-").map(Number) as [number, number, number];
      return new Intl.DateTimeFormat(locale, { ...dateParts, timeZone: "UTC" }).format(Date.UTC(y, m - 1, d));
    }
    return new Intl.DateTimeFormat(locale, {
      ...dateParts,
      hour: "2-digit",
      minute: "2-digit",
      timeZone: site.timeZone,
      timeZoneName: "short",
    }).format(date);
  } catch {
    return date.toISOString();
  }
}

/** A `<time>` for people and machines: the instant, or the calendar day when the article was dated, not timed. */
export function timeElement(date: Date, site: SiteSettings, lang: string, day?: string, className?: string): SafeHtml {
  return html`<time${className ? html` class="${className}"` : ""} datetime="${day ?? date.toISOString()}">${formatSiteTime(date, site, lang, day)}</time>`;
}

/**
 * `<link rel="alternate">` for the site's feeds, then for each language feed given (`hreflang` its language), so a
 * reader that discovers feeds offers the one in the reader's language.
 */
export function autodiscoveryLinks(site: SiteSettings, languages: readonly Facet[] = []): SafeHtml {
  return html`${FORMATS.map(
    (
      f,
    ) => html`<link rel="alternate" type="${f.contentType.split(";")[0]}" title="${`${site.title} (${f.label})`}" href="${`${site.url}/${f.file}`}">
`,
  )}${languages.map((language) => {
    const { title } = describeScope(language, site);
    return FORMATS.map(
      (f) =>
        html`<link rel="alternate" type="${f.contentType.split(";")[0]}" hreflang="${language.name}" title="${`${title} (${f.label})`}" href="${`${site.url}/${scopePath(language)}${f.file}`}">
`,
    );
  })}`;
}

/** An article's page on this site, `/articles/{slug}` (its canonical URL may be elsewhere): the one the core computes. */
export { articlePageUrl } from "../core/article.ts";

/** A page of this site for a facet: `/sections/{slug}/`, `/tags/{slug}/`, `/authors/{key}/`. */
export function facetPageUrl(site: SiteSettings, kind: FacetKind, slugOrName: string, name = slugOrName): string {
  const slug = kind === "authors" ? slugOrName : slugify(slugOrName);
  return `${site.url}/${scopePath({ kind, slug, name })}`;
}

/** Items joined the way `lang` joins a list ("A, B and C"; "A، B و C"), each item kept as the markup given. */
export function joinList(lang: string, items: readonly SafeHtml[]): SafeHtml {
  let parts: { type: "element" | "literal"; value: string }[];
  try {
    parts = new Intl.ListFormat(lang, { type: "conjunction" }).formatToParts(items.map((_, i) => String(i)));
  } catch {
    parts = new Intl.ListFormat("en", { type: "conjunction" }).formatToParts(items.map((_, i) => String(i)));
  }
  let next = 0;
  return html`${parts.map((p) => (p.type === "element" ? items[next++]! : p.value))}`;
}

/** Open Graph (ogp.me) and Twitter card tags: what link previews in social networks and chat apps show. */
export function sharingTags(article: Article, site: SiteSettings): SafeHtml {
  const lang = article.lang ?? site.language;
  const image = article.image;
  const property = (name: string, content: string | number | undefined) =>
    content === undefined || content === ""
      ? ""
      : html`<meta property="${name}" content="${String(content)}">
`;
  const named = (name: string, content: string | undefined) =>
    content === undefined || content === ""
      ? ""
      : html`<meta name="${name}" content="${content}">
`;
  return html`${property("og:type", "article")}${property("og:title", article.title)}${property("og:description", article.summary)}${property(
    "og:url",
    article.url,
  )}${property("og:site_name", site.title)}${property("og:locale", openGraphLocale(lang))}${
    image
      ? html`${property("og:image", image.url)}${property("og:image:type", image.type)}${property("og:image:width", image.width)}${property(
          "og:image:height",
          image.height,
        )}${property("og:image:alt", image.alt)}`
      : ""
  }${property("article:published_time", formatRfc3339InZone(article.published, site.timeZone))}${property(
    "article:modified_time",
    formatRfc3339InZone(article.updated, site.timeZone),
  )}${property("article:section", article.section)}${article.tags.map((t) => property("article:tag", t))}${article.authors.map((a) =>
    property("article:author", a.url ?? facetPageUrl(site, "authors", a.key, a.name)),
  )}${named("twitter:card", image ? "summary_large_image" : "summary")}${named("twitter:title", article.title)}${named(
    "twitter:description",
    article.summary,
  )}${image ? html`${named("twitter:image", image.url)}${named("twitter:image:alt", image.alt)}` : ""}`;
}

/** Open Graph's `og:locale` form, language_TERRITORY (`fa_IR`, `en_GB`), the territory CLDR deems likely when the tag has none. */
export function openGraphLocale(lang: string): string {
  try {
    const locale = new Intl.Locale(lang);
    const region = locale.region ?? locale.maximize().region;
    return region ? `${locale.language}_${region}` : locale.language;
  } catch {
    return lang.replace(/-/g, "_");
  }
}

export interface ArticlePageOptions {
  /** The publisher's logo for schema.org's `publisher` (SITE_LOGO), when one is configured. */
  logo?: PublisherLogo;
  /** The article's language feed, announced beside the site's, where the site lists language feeds. */
  languageFeed?: Facet;
}

/**
 * The article page, laid out in the article's language and direction (`lang`, `dir`), with its labels in that language
 * where the label table has it (src/http/labels.ts), schema.org NewsArticle JSON-LD and Open Graph / Twitter tags.
 */
export function renderArticlePage(article: Article, site: SiteSettings, options: ArticlePageOptions = {}): string {
  const lang = article.lang ?? site.language;
  const { lang: labelLang, labels } = labelsFor(lang, site.language);
  // A label from the site's table in a page of another language says which language it is in.
  const label = (text: string) => (labelLang === lang ? text : html`<span lang="${labelLang}">${text}</span>`);
  const time = (date: Date, day: string | undefined) => timeElement(date, site, lang, day);
  const authors = joinList(
    lang,
    article.authors.map((a) => html`<a rel="author" href="${facetPageUrl(site, "authors", a.key, a.name)}"><bdi>${a.name}</bdi></a>`),
  );
  const updated = article.updated.getTime() !== article.published.getTime();
  // Names of sections and tags are in whatever language the newsroom wrote them: isolated, so they keep their own direction.
  const sectionLink = article.section
    ? html`<a href="${facetPageUrl(site, "sections", article.section)}"><bdi>${article.section}</bdi></a>`
    : "";
  const tagLinks = article.tags.length
    ? joinList(
        lang,
        article.tags.map((t) => html`<a rel="tag" href="${facetPageUrl(site, "tags", t)}"><bdi>${t}</bdi></a>`),
      )
    : undefined;
  const otherLang = site.language !== lang ? html` lang="${site.language}" dir="${textDirection(site.language)}"` : "";
  return page({
    siteUrl: site.url,
    lang,
    dir: textDirection(lang),
    title: `${article.title} – ${site.title}`,
    head: html`<link rel="canonical" href="${article.url}">
<meta name="description" content="${article.summary}">
${sharingTags(article, site)}<script type="application/ld+json">${trusted(jsonForScript(newsArticleJsonLd(article, site, options.logo)))}</script>
${autodiscoveryLinks(site, options.languageFeed ? [options.languageFeed] : [])}`,
    body: html`<header class="muted"><a href="${`${site.url}/`}"${otherLang}>${site.title}</a>${sectionLink ? html` · ${sectionLink}` : ""}</header>
<article>
<h1>${article.title}</h1>
<p class="meta byline">${label(labels.by)} ${authors} · ${time(article.published, article.days?.published)}${
      updated ? html` · ${label(labels.updated)} ${time(article.updated, article.days?.updated)}` : ""
    }</p>
${trusted(article.html)}
${
  sectionLink || tagLinks
    ? html`<p class="meta">${sectionLink ? html`${label(labels.section)}: ${sectionLink}` : ""}${sectionLink && tagLinks ? " · " : ""}${
        tagLinks ? html`${label(labels.tags)}: ${tagLinks}` : ""
      }</p>`
    : ""
}
</article>`,
  });
}

export function registerArticlePages(app: Hono, ctx: AppContext): void {
  app.get("/articles/:slug", async (c) => {
    const now = ctx.now();
    const found = await findPublished(ctx.catalog, now, c.req.param("slug"));
    if (!found) throw new NotFoundError(c.req.path);
    const [[article], languages] = await Promise.all([ctx.catalog.articles([found.entry]), listedFacets(ctx.catalog, "languages", now)]);
    const own = languageOf(article!.lang ?? ctx.site.language).slug;
    const options = {
      logo: ctx.site.logo ? { url: ctx.site.logo } : undefined,
      languageFeed: languages.find((language) => language.slug === own),
    };
    return c.html(renderArticlePage(article!, ctx.site, options), 200, {
      "Content-Security-Policy": PAGE_CSP,
      // Its language feed's link follows whether the site lists languages: a change that opens or closes the site's
      // second language shows on other articles' pages within this lifetime (they are not purged for it).
      "Cache-Control": "public, max-age=300",
      "Cache-Tag": cacheTagHeader([articleTag(found.entry.slug)]),
    });
  });
}
