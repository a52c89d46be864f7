// /articles/{slug}: the readable article page every feed link leads to when the service runs on its own.
import type { Hono } from "hono";
import { type Catalog, type FoundArticle, statusAt } from "../core/catalog.ts";
import type { Article } from "../core/model.ts";
import type { SiteSettings } from "../core/settings.ts";
import { slugify } from "../core/text.ts";
import { FORMATS } from "../formats/index.ts";
import type { AppContext } from "./context.ts";
import { NotFoundError } from "./errors.ts";
import { html, page, type SafeHtml, trusted } from "./html.ts";

/** Pages show article HTML the core has sanitised; no script runs on them. */
export const PAGE_CSP =
  "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** A published article by slug: drafts never are, and embargoed ones are not found until their time. */
export async function findPublished(catalog: Catalog, now: Date, slug: string): Promise<FoundArticle | undefined> {
  const found = await catalog.find(slug);
  return found && statusAt(found, now) === "published" ? found : undefined;
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

export function renderArticlePage(article: Article, site: SiteSettings): string {
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
    const found = await findPublished(ctx.catalog, ctx.now(), c.req.param("slug"));
    if (!found) throw new NotFoundError(c.req.path);
    const [article] = await ctx.catalog.articles([found.entry]);
    return c.html(renderArticlePage(article!, ctx.site), 200, {
      "Content-Security-Policy": PAGE_CSP,
      "Cache-Control": "public, max-age=300",
    });
  });
}
