// /preview/{slug}: how one article looks in every format and in readers, for editors.
//
// Published articles are public anyway, so their preview needs nothing. Drafts and embargoed articles are shown
// only with the PREVIEW_TOKEN secret (`Authorization: Bearer`, or the session cookie of the /preview sign-in form; see
// preview-access.ts); without the setting they are never shown, and a wrong token is refused outright rather than
// answered with a 404.
import type { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { ArticleRecord } from "../core/article.ts";
import { statusAt } from "../core/catalog.ts";
import type { ContentIssue } from "../core/errors.ts";
import { textDirection } from "../core/language.ts";
import type { Article } from "../core/model.ts";
import { EXCERPT_CHARS, firstChars, htmlToText, imagePicks, previewWarnings } from "../core/preview.ts";
import { renderArticle } from "../core/render.ts";
import type { SiteSettings } from "../core/settings.ts";
import { itemSnippets } from "../formats/snippets.ts";
import { formatSiteTime, PAGE_CSP } from "./article-pages.ts";
import type { AppContext } from "./context.ts";
import { NotFoundError } from "./errors.ts";
import { html, page } from "./html.ts";
import { checkPreviewAccess, PREVIEW_PATH, registerPreviewSignIn } from "./preview-access.ts";

type Status = "published" | "embargoed" | "draft";

export function renderPreviewPage(
  record: ArticleRecord,
  article: Article,
  status: Status,
  site: SiteSettings,
  issues: readonly ContentIssue[],
): string {
  const picks = imagePicks(article);
  const warnings = previewWarnings(article, record, issues);
  const descriptionText = article.summary.replace(/\s+/g, " ").trim(); // plain text already
  const contentText = htmlToText(article.html);
  // The editor's page is in the site's language; what comes from the article is in the article's language and direction.
  const lang = article.lang ?? site.language;
  const own = lang === site.language ? html`` : html` lang="${lang}"`;
  const dir = textDirection(lang);
  const statusText =
    status === "published"
      ? html`Published ${formatSiteTime(article.published, site, site.language, article.days?.published)}`
      : status === "embargoed"
        ? html`<strong>Embargoed</strong> until ${formatSiteTime(article.published, site, site.language, article.days?.published)}: not in any feed yet`
        : html`<strong>Draft</strong>: not in any feed`;
  return page({
    siteUrl: site.url,
    lang: site.language,
    title: `Preview: ${article.title}`,
    head: html`<meta name="robots" content="noindex">`,
    body: html`<p class="muted">Preview · <code>${record.file}</code> · ${statusText}</p>
<h1${own} dir="${dir}">${article.title}</h1>
<h2>Check warnings</h2>
${
  warnings.length
    ? html`<ul class="warn">${warnings.map((w) => html`<li>${w.field ? html`<code>${w.field}</code>: ` : ""}${w.message}</li>`)}</ul>`
    : html`<p>No warnings.</p>`
}
<h2>Excerpt readers show (first ${EXCERPT_CHARS} characters)</h2>
<p class="muted">From the summary (RSS <code>description</code>, Atom <code>summary</code>, JSON Feed <code>summary</code>):</p>
<blockquote class="excerpt" data-source="summary"${own} dir="${dir}">${firstChars(descriptionText)}</blockquote>
<p class="muted">Readers that ignore the summary cut the full content instead:</p>
<blockquote class="excerpt" data-source="content"${own} dir="${dir}">${firstChars(contentText)}</blockquote>
<h2>Image each reader picks</h2>
<table>
<thead><tr><th>Reader</th><th>Image</th><th>Taken from</th><th>Rule</th></tr></thead>
<tbody>
${picks.map(
  (p) => html`<tr data-reader="${p.reader}"><td>${p.reader}</td><td>${
    p.url ? html`<a href="${p.url}"><code>${p.url}</code></a>` : "none"
  }</td><td>${p.from}</td><td>${p.rule}</td></tr>
`,
)}</tbody>
</table>
<p class="muted">Rules as edge-feeds models each reader; readers change, so check one for real before relying on a detail.</p>
<h2>In each format</h2>
${itemSnippets(article).map(
  (s) => html`<h3>${s.label}</h3>
<pre dir="ltr"><code>${s.text}</code></pre>
`,
)}`,
  });
}

export function registerPreviewRoutes(app: Hono, ctx: AppContext): void {
  // Workers Caching keys an answer by its path and query, never by the Cookie a signed-in editor sends: no preview
  // answer (a 404 for a draft included) may be kept by a shared cache, or a locked one would be served to editors.
  const privateAnswers = createMiddleware(async (c, next) => {
    await next();
    c.res.headers.set("Cache-Control", "private, no-store");
    c.res.headers.delete("Cache-Tag");
  });
  app.use(PREVIEW_PATH, privateAnswers);
  app.use(`${PREVIEW_PATH}/*`, privateAnswers);
  registerPreviewSignIn(app, ctx);
  app.get("/preview/:slug", async (c) => {
    const slug = c.req.param("slug");
    const access = await checkPreviewAccess(c, ctx.site, ctx.now());
    if (access === "refused") return c.text("Invalid preview token\n", 403, { "Cache-Control": "no-store" });
    const unlocked = access === "unlocked";
    // Locked, only what is out is looked for: a draft or an embargoed article reads exactly as a slug that does not exist.
    const found = await ctx.catalog.find(slug, unlocked ? { drafts: true } : { publishedBy: ctx.now() });
    const status = found && statusAt(found, ctx.now());
    // Without the token a draft or an embargoed article is indistinguishable from one that does not exist.
    if (!found || !status || (status !== "published" && !unlocked)) throw new NotFoundError(c.req.path);
    // Drafts are in no list, so they are rendered here rather than taken from the catalog's renderings.
    const article = status === "draft" ? renderArticle(found.record) : (await ctx.catalog.articles([found.entry]))[0]!;
    return c.html(renderPreviewPage(found.record, article, status, ctx.site, found.warnings), 200, {
      "Content-Security-Policy": PAGE_CSP,
      "Cache-Control": "private, no-store",
      "X-Robots-Tag": "noindex",
      "Referrer-Policy": "no-referrer",
    });
  });
}
