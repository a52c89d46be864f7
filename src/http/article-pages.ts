// /articles/{slug}: the readable article page every feed link leads to when the service runs on its own.
import type { Hono } from "hono";
import type { ArticleRecord } from "../core/article.ts";
import { type ArticleEntry, type Catalog, firstPublishedIndex } from "../core/catalog.ts";
import { NotFoundError } from "../core/errors.ts";
import { toArticle } from "../core/feed.ts";
import type { SiteSettings } from "../core/settings.ts";
import { slugify } from "../core/text.ts";
import { FORMATS } from "../formats/index.ts";
import type { AppContext } from "./context.ts";
import { html, page, type SafeHtml, trusted } from "./html.ts";

/** Pages show article HTML the core has sanitised; no script runs on them. */
export const PAGE_CSP =
  "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** A published article by slug: drafts are never in the catalog, and embargoed ones are not found until their time. */
export function findPublished<E extends ArticleEntry>(catalog: Catalog<E>, now: Date, slug: string): E | undefined {
  const start = firstPublishedIndex(catalog, now);
  for (let i = start; i < catalog.articles.length; i++) if (catalog.articles[i]!.slug === slug) return catalog.articles[i];
  return undefined;
}

/** Date and time in the site's zone, for people; the `<time datetime>` carries the instant for machines. */
export function formatSiteTime(date: Date, site: SiteSettings, lang: string): string {
  return new Intl.DateTimeFormat(lang, {
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: site.timeZone,
    timeZoneName: "short",
  }).format(date);
}

export function autodiscoveryLinks(site: SiteSettings): SafeHtml {
  return html`${FORMATS.map(
    (
      f,
    ) => html`<link rel="alternate" type="${f.contentType.split(";")[0]}" title="${`${site.title} (${f.label})`}" href="${`${site.url}/${f.file}`}">
`,
  )}`;
}

export function renderArticlePage(record: ArticleRecord, site: SiteSettings): string {
  const article = toArticle(record);
  const lang = article.lang ?? site.language;
  const time = (date: Date) => html`<time datetime="${date.toISOString()}">${formatSiteTime(date, site, lang)}</time>`;
  const authors = article.authors.map(
    (a, i) =>
      html`${i === 0 ? "" : i === article.authors.length - 1 ? " and " : ", "}${
        a.url ? html`<a rel="author" href="${a.url}">${a.name}</a>` : html`<span>${a.name}</span>`
      }`,
  );
  const updated = article.updated.getTime() !== article.published.getTime();
  return page({
    lang,
    title: `${article.title} – ${site.title}`,
    head: html`<link rel="canonical" href="${article.url}">
<meta name="description" content="${article.summary}">
${autodiscoveryLinks(site)}`,
    body: html`<header class="muted"><a href="${site.url}/">${site.title}</a>${
      article.section ? html` · <a href="${`${site.url}/sections/${slugify(article.section)}/rss.xml`}">${article.section}</a>` : ""
    }</header>
<article>
<h1>${article.title}</h1>
<p class="meta byline">By ${authors} · ${time(article.published)}${updated ? html` · Updated ${time(article.updated)}` : ""}</p>
${trusted(article.html)}
${
  article.tags.length
    ? html`<p class="meta">Tags: ${article.tags.map((t, i) => html`${i ? ", " : ""}<a href="${`${site.url}/tags/${slugify(t)}/rss.xml`}">${t}</a>`)}</p>`
    : ""
}
</article>`,
  });
}

export function registerArticlePages(app: Hono, ctx: AppContext): void {
  app.get("/articles/:slug", async (c) => {
    const slug = c.req.param("slug");
    const catalog = await ctx.catalog();
    const entry = findPublished(catalog, ctx.now(), slug);
    if (!entry) throw new NotFoundError(c.req.path);
    const [record] = await catalog.load([entry]);
    return c.html(renderArticlePage(record!, ctx.site), 200, {
      "Content-Security-Policy": PAGE_CSP,
      "Cache-Control": "public, max-age=300",
    });
  });
}
