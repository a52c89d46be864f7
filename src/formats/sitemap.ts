// Sitemaps for search engines: the sitemaps.org 0.9 protocol (urlset and sitemap index) and Google's News sitemap
// extension, written with the project's one XML writer.
import { formatRfc3339 } from "../core/dates.ts";
import { XmlWriter } from "./xml.ts";

export const SITEMAP_CONTENT_TYPE = "application/xml; charset=utf-8";
const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9";

/** Most URLs (and most sitemaps in an index) one file may list (sitemaps.org protocol, "Sitemap index files"). */
export const SITEMAP_URLS_MAX = 50_000;

export interface SitemapUrl {
  /** Absolute URL. */
  loc: string;
  lastmod?: Date;
}

export interface NewsSitemapUrl {
  loc: string;
  /** The publication's name, as in Google News. */
  publication: string;
  /** ISO 639 language code of the article (Google News: `zh-cn`/`zh-tw` for Chinese, else two or three letters). */
  language: string;
  published: Date;
  title: string;
}

/** A `<urlset>`: each URL with its `lastmod` in W3C Datetime (RFC 3339, UTC). */
export function renderUrlset(urls: readonly SitemapUrl[]): string {
  const x = new XmlWriter();
  x.open("urlset", { xmlns: SITEMAP_NS });
  for (const url of urls) {
    x.open("url");
    x.text("loc", url.loc);
    x.text("lastmod", url.lastmod && formatRfc3339(url.lastmod));
    x.close("url");
  }
  x.close("urlset");
  return x.toString();
}

/** A `<sitemapindex>` of the given sitemap files. */
export function renderSitemapIndex(sitemaps: readonly SitemapUrl[]): string {
  const x = new XmlWriter();
  x.open("sitemapindex", { xmlns: SITEMAP_NS });
  for (const sitemap of sitemaps) {
    x.open("sitemap");
    x.text("loc", sitemap.loc);
    x.text("lastmod", sitemap.lastmod && formatRfc3339(sitemap.lastmod));
    x.close("sitemap");
  }
  x.close("sitemapindex");
  return x.toString();
}

/** Google News sitemap: each article with `news:publication` (name, language), `news:publication_date` and `news:title`. */
export function renderNewsSitemap(urls: readonly NewsSitemapUrl[]): string {
  const x = new XmlWriter();
  x.open("urlset", { xmlns: SITEMAP_NS, "xmlns:news": NEWS_NS });
  for (const url of urls) {
    x.open("url");
    x.text("loc", url.loc);
    x.open("news:news");
    x.open("news:publication");
    x.text("news:name", url.publication);
    x.text("news:language", url.language);
    x.close("news:publication");
    x.text("news:publication_date", formatRfc3339(url.published));
    x.text("news:title", url.title);
    x.close("news:news");
    x.close("url");
  }
  x.close("urlset");
  return x.toString();
}

/** Google News' language code for a BCP 47 tag: the ISO 639 language, lowercased, except `zh-cn` and `zh-tw`. */
export function newsLanguage(lang: string): string {
  let locale: Intl.Locale;
  try {
    locale = new Intl.Locale(lang).maximize();
  } catch {
    return lang.split("-")[0]!.toLowerCase();
  }
  if (locale.language === "zh") return locale.script === "Hant" ? "zh-tw" : "zh-cn";
  return locale.language;
}
