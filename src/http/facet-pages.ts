// /sections/{slug}/, /tags/{slug}/, /authors/{key}/: a page per section, tag and author with its newest headlines and
// its three feeds (linked, and announced with <link rel="alternate"> so a reader subscribes by pasting the page's
// address). Reads the facet, its count and its newest entries from the catalog: bounded work per request.
import type { Context, Hono } from "hono";
import { FACET_KINDS, type Facet, type FacetKind, type Scope, scopeKey } from "../core/catalog.ts";
import { archivePageCount, describeScope, facetLabel, feedUrls, scopePath } from "../core/feed-plan.ts";
import { textDirection } from "../core/language.ts";
import type { Article } from "../core/model.ts";
import type { SiteSettings } from "../core/settings.ts";
import { FORMATS } from "../formats/index.ts";
import { PAGE_CSP, timeElement } from "./article-pages.ts";
import { cacheTagHeader, scopeTag } from "./cache-tags.ts";
import type { AppContext } from "./context.ts";
import { NotFoundError } from "./errors.ts";
import { html, page, type SafeHtml } from "./html.ts";
import { labelsFor } from "./labels.ts";
import { cacheControl } from "./responses.ts";

const FACET = `:kind{${FACET_KINDS.join("|")}}/:slug`;

/** The HTML page of a scope: `/` for the site, `/sections/energy/` for a section; the `homeUrl` of its feeds. */
export function scopePageUrl(site: SiteSettings, scope: Scope): string {
  return `${site.url}/${scopePath(scope)}`;
}

/** `<link rel="alternate">` for a scope's feeds in every format, titled as the feeds are. */
export function feedLinks(site: SiteSettings, scope: Scope): SafeHtml {
  const urls = feedUrls(scopePageUrl(site, scope));
  const { title } = describeScope(scope, site);
  return html`${FORMATS.map(
    (f) => html`<link rel="alternate" type="${f.contentType.split(";")[0]}" title="${`${title} (${f.label})`}" href="${urls[f.id]}">
`,
  )}`;
}

/**
 * Newest articles as a list: each entry in its article's language and direction (`lang`, `dir`), its date written in
 * that language, so a Persian headline reads right to left among English ones.
 */
export function headlineList(articles: readonly Article[], site: SiteSettings): SafeHtml {
  return html`<ul class="headlines">
${articles.map((a) => {
  const lang = a.lang ?? site.language;
  return html`<li lang="${lang}" dir="${textDirection(lang)}"><a href="${a.url}">${a.title}</a><br>${timeElement(a.published, site, lang, a.days?.published, "meta")}<p class="summary muted">${a.summary}</p></li>
`;
})}</ul>`;
}

/** Links to a scope's feeds and to the newest page of their archive (RFC 5005), whose `prev-archive` links lead back. */
function subscribeLinks(site: SiteSettings, scope: Scope, positions: number): SafeHtml {
  const { lang, labels } = labelsFor(site.language, site.language);
  const base = scopePageUrl(site, scope);
  const links = (urls: Record<string, string>) =>
    FORMATS.map((f, i) => html`${i ? " · " : ""}<a href="${urls[f.id]}" type="${f.contentType.split(";")[0]}">${f.label}</a>`);
  const archive = feedUrls(`${base}archive/${archivePageCount(positions, site.archiveItems)}/`);
  return html`<p class="meta" lang="${lang}">${labels.subscribe}: ${links(feedUrls(base))}<br>${labels.archive}: ${links(archive)}</p>`;
}

/** A facet's page: what it is, its feeds, and its newest `site.feedItems` headlines; `positions` as FeedWindow has them. */
export function renderFacetPage(facet: Facet, articles: readonly Article[], positions: number, site: SiteSettings): string {
  const { labels } = labelsFor(site.language, site.language);
  const { description } = describeScope(facet, site);
  const author = facet.kind === "authors" ? articles.flatMap((a) => a.authors).find((a) => a.key === facet.slug) : undefined;
  return page({
    siteUrl: site.url,
    lang: site.language,
    title: `${facetLabel(facet)} – ${site.title}`,
    head: html`<link rel="canonical" href="${scopePageUrl(site, facet)}">
<meta name="description" content="${description}">
${feedLinks(site, facet)}`,
    body: html`<header class="muted"><a href="${`${site.url}/`}">${site.title}</a> · ${labels.kinds[facet.kind]}</header>
<h1 dir="auto"${facet.kind === "languages" ? html` lang="${facet.name}"` : ""}>${facetLabel(facet)}</h1>
<p>${description}</p>
${author?.url ? html`<p><a rel="author" href="${author.url}">${author.url}</a></p>` : ""}
${subscribeLinks(site, facet, positions)}
<h2>${labels.latest}</h2>
${headlineList(articles, site)}`,
  });
}

/** The newest headlines of a scope at `now`, as the page lists them (the same number as its feed). */
export async function latestArticles(ctx: AppContext, scope: Scope, now: Date): Promise<readonly Article[]> {
  return ctx.catalog.articles(await ctx.catalog.newest(scope, now, ctx.site.feedItems));
}

async function serveFacetPage(c: Context, ctx: AppContext): Promise<Response> {
  const now = ctx.now();
  const kind = c.req.param("kind") as FacetKind;
  const requested = c.req.param("slug")!;
  // An unknown facet and one whose articles are all under embargo answer alike, after the same one read, before any
  // redirect: the catalog finds public facets only.
  const facet = await ctx.catalog.facet(kind, requested, now);
  if (!facet) throw new NotFoundError(c.req.path);
  c.header("Cache-Tag", cacheTagHeader([scopeTag(scopeKey(facet))]));
  if (requested !== facet.slug || !c.req.path.endsWith("/")) return c.redirect(scopePageUrl(ctx.site, facet), 301);
  // One read of the list (its newest headlines, its positions for the archive link, the next releases), then the articles.
  const window = await ctx.catalog.window(facet, now, { newest: ctx.site.feedItems });
  const articles = await ctx.catalog.articles(window.entries);
  const { siteNextRelease } = window;
  return c.html(renderFacetPage(facet, articles, window.positions, ctx.site), 200, {
    "Content-Security-Policy": PAGE_CSP,
    // Cut like the feeds: the page changes when the site's next embargoed article comes out.
    "Cache-Control": cacheControl(ctx.site, { archived: false, siteNextRelease }, now),
  });
}

export function registerFacetPages(app: Hono, ctx: AppContext): void {
  // Without the trailing slash it is the same page: redirected, so each page has one address.
  app.get(`/${FACET}/`, (c) => serveFacetPage(c, ctx));
  app.get(`/${FACET}`, (c) => serveFacetPage(c, ctx));
}
