// /sitemap.xml (an index), /sitemaps/pages-{n}.xml and /sitemaps/articles-{n}.xml, the Google News sitemap
// /sitemap-news.xml, and /robots.txt naming them. Each request reads only what its file lists (one slice of at most
// 50,000 entries, or the newest 1,000), so a million-article archive costs no more per request than a full page.
import type { Context, Hono } from "hono";
import { ALL, type Entry, HOME } from "../core/catalog.ts";
import { canonicalJson, publicScopes } from "../core/feed-plan.ts";
import { hashText } from "../core/hash.ts";
import type { SiteSettings } from "../core/settings.ts";
import { OUTPUT_REVISION } from "../formats/index.ts";
import {
  newsLanguage,
  renderNewsSitemap,
  renderSitemapIndex,
  renderUrlset,
  SITEMAP_CONTENT_TYPE,
  SITEMAP_URLS_MAX,
  type SitemapUrl,
} from "../formats/sitemap.ts";
import { articlePageUrl } from "./article-pages.ts";
import { INDEX_TAG } from "./cache-tags.ts";
import type { AppContext } from "./context.ts";
import { NotFoundError } from "./errors.ts";
import { scopePageUrl } from "./facet-pages.ts";
import { otherMethod } from "./feeds.ts";
import { respondVersioned } from "./versioned.ts";

/** Google News lists articles published in the last two days, at most 1,000 (Google's News sitemap guidelines). */
export const NEWS_WINDOW_MS = 2 * 86_400_000;
export const NEWS_ITEMS_MAX = 1_000;

/** `pages-{n}.xml` / `articles-{n}.xml`, n from 1 (Hono's parameters cannot share a path segment with text). */
const file = (prefix: string) => `:file{${prefix}-[1-9][0-9]{0,8}\\.xml}`;
const fileNumber = (c: Context): number => Number(/([0-9]+)\.xml$/.exec(c.req.param("file")!)![1]);

/** How many files of at most `size` URLs hold `count` of them (articles' files: the site list's positions). */
export function sitemapPageCount(count: number, size = SITEMAP_URLS_MAX): number {
  return Math.ceil(count / size);
}

/**
 * Sitemap file `n` (1-based) as positions [from, to) counted from the oldest article, like feed archive pages: new
 * articles only ever fill the last file, so a full file keeps its URLs. Undefined when there is no such file.
 */
export function sitemapRange(count: number, n: number, size = SITEMAP_URLS_MAX): { from: number; to: number } | undefined {
  if (!Number.isInteger(n) || n < 1 || n > sitemapPageCount(count, size)) return undefined;
  return { from: (n - 1) * size, to: Math.min(count, n * size) };
}

export function registerSitemaps(app: Hono, ctx: AppContext): void {
  const size = SITEMAP_URLS_MAX;
  const routes: [string, (c: Context) => Promise<Response> | Response][] = [
    ["/sitemap.xml", (c) => serveIndex(c, ctx, size)],
    [`/sitemaps/${file("pages")}`, (c) => servePages(c, ctx, size)],
    [`/sitemaps/${file("articles")}`, (c) => serveArticles(c, ctx, size)],
    ["/sitemap-news.xml", (c) => serveNews(c, ctx)],
    ["/robots.txt", (c) => serveRobots(c, ctx.site)],
  ];
  for (const [path, handler] of routes) {
    app.get(path, handler);
    app.all(path, (c) => otherMethod(c));
  }
}

async function serveIndex(c: Context, ctx: AppContext, size: number): Promise<Response> {
  const { site, catalog } = ctx;
  const now = ctx.now();
  // The list of every article read for its positions (what article files are counted in) and next release; no entries.
  // Every article, those kept out of the main feeds (`main_feed: false`) too: each has its page.
  const [{ positions, siteNextRelease }, scopes] = await Promise.all([catalog.window(ALL, now, { newest: 0 }), publicScopes(catalog, now)]);
  const files = [
    ...numbered(sitemapPageCount(scopes.length, size)).map((n) => ({ loc: `${site.url}/sitemaps/pages-${n}.xml` })),
    ...numbered(sitemapPageCount(positions, size)).map((n) => ({ loc: `${site.url}/sitemaps/articles-${n}.xml` })),
  ];
  const version = hashText(canonicalJson(files));
  return respondVersioned(
    c,
    ctx,
    {
      etag: `"sitemap-${OUTPUT_REVISION}-${version}"`,
      freshness: { archived: false, siteNextRelease },
      contentType: SITEMAP_CONTENT_TYPE,
      cacheKey: `sitemap.xml/${version}`,
      tags: [INDEX_TAG],
      render: () => renderSitemapIndex(files),
    },
    now,
  );
}

function numbered(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}

async function servePages(c: Context, ctx: AppContext, size: number): Promise<Response> {
  const { site, catalog } = ctx;
  const now = ctx.now();
  const n = fileNumber(c);
  // Every page a person reads besides articles: the home page, then each public section, tag and author page.
  const scopes = await publicScopes(catalog, now);
  const range = sitemapRange(scopes.length, n, size);
  if (!range) throw new NotFoundError(c.req.path);
  // The home page changes as its newest headlines do; a facet page's last change would cost a query per facet.
  const newest = n === 1 ? await catalog.newest(HOME, now, site.feedItems) : [];
  const homeModified = latestUpdate(newest);
  const urls: SitemapUrl[] = scopes
    .slice(range.from, range.to)
    .map((scope) =>
      scope.kind === "home" && homeModified
        ? { loc: scopePageUrl(site, scope), lastmod: homeModified }
        : { loc: scopePageUrl(site, scope) },
    );
  return respondSitemap(c, ctx, now, `pages-${n}`, urls, false);
}

async function serveArticles(c: Context, ctx: AppContext, size: number): Promise<Response> {
  const { site, catalog } = ctx;
  const now = ctx.now();
  const n = fileNumber(c);
  // The file's positions and its articles in one read; the file exists while its first position is taken.
  const window = await catalog.window(ALL, now, { from: (n - 1) * size, to: n * size });
  const range = sitemapRange(window.positions, n, size);
  if (!range) throw new NotFoundError(c.req.path);
  const { entries } = window;
  const urls = entries.map((e) => ({ loc: articlePageUrl(site, e.slug), lastmod: e.updated }));
  // A full file keeps its URLs (only an edit changes a lastmod), like a full feed archive page.
  return respondSitemap(c, ctx, now, `articles-${n}`, urls, range.to === n * size, latestUpdate(entries));
}

async function respondSitemap(
  c: Context,
  ctx: AppContext,
  now: Date,
  name: string,
  urls: readonly SitemapUrl[],
  archived: boolean,
  lastModified?: Date,
): Promise<Response> {
  const version = hashText(canonicalJson(urls.map((u) => [u.loc, u.lastmod?.getTime()])));
  return respondVersioned(
    c,
    ctx,
    {
      etag: `"sitemap-${OUTPUT_REVISION}-${version}"`,
      lastModified,
      freshness: { archived, siteNextRelease: await ctx.catalog.nextRelease(now) },
      contentType: SITEMAP_CONTENT_TYPE,
      cacheKey: `sitemaps/${name}/${version}`,
      tags: [INDEX_TAG],
      render: () => renderUrlset(urls),
    },
    now,
  );
}

function latestUpdate(entries: readonly Entry[]): Date | undefined {
  return entries.reduce<Date | undefined>((max, e) => (!max || e.updated > max ? e.updated : max), undefined);
}

/** Articles published in the two days before `now`, newest first, at most NEWS_ITEMS_MAX. */
export async function selectNews(ctx: AppContext, now: Date): Promise<readonly Entry[]> {
  const since = now.getTime() - NEWS_WINDOW_MS;
  const newest = await ctx.catalog.newest(ALL, now, NEWS_ITEMS_MAX);
  return newest.filter((e) => e.published.getTime() > since);
}

async function serveNews(c: Context, ctx: AppContext): Promise<Response> {
  const { site, catalog } = ctx;
  const now = ctx.now();
  const entries = await selectNews(ctx, now);
  const articles = await catalog.articles(entries);
  const urls = articles.map((a, i) => ({
    loc: articlePageUrl(site, entries[i]!.slug),
    publication: site.title,
    language: newsLanguage(a.lang ?? site.language),
    published: a.published,
    title: a.title,
  }));
  const version = hashText(canonicalJson({ publication: site.title, items: entries.map((e) => e.fingerprint) }));
  // The file changes when an embargoed article comes out and when its oldest article leaves the two-day window.
  const ageOut = entries.length ? new Date(entries.at(-1)!.published.getTime() + NEWS_WINDOW_MS) : undefined;
  const siteNextRelease = await catalog.nextRelease(now);
  const nextChange = [siteNextRelease, ageOut].filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
  return respondVersioned(
    c,
    ctx,
    {
      etag: `"sitemap-news-${OUTPUT_REVISION}-${version}"`,
      lastModified: latestUpdate(entries),
      freshness: { archived: false, siteNextRelease: nextChange },
      contentType: SITEMAP_CONTENT_TYPE,
      cacheKey: `sitemap-news.xml/${version}`,
      tags: [INDEX_TAG],
      render: () => renderNewsSitemap(urls),
    },
    now,
  );
}

/** robots.txt (RFC 9309): everything may be crawled but the editors' preview; the sitemaps are named. */
export function renderRobots(site: SiteSettings): string {
  const base = new URL(`${site.url}/`).pathname;
  return [
    "User-agent: *",
    `Disallow: ${base}preview`,
    "",
    `Sitemap: ${site.url}/sitemap.xml`,
    `Sitemap: ${site.url}/sitemap-news.xml`,
    "",
  ].join("\n");
}

function serveRobots(c: Context, site: SiteSettings): Response {
  return c.body(renderRobots(site), 200, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=3600" });
}
