// The index page: every feed (home, sections, tags, authors) with subscribe links, copy buttons and autodiscovery.
import type { Hono } from "hono";
import { type Catalog, FACET_KINDS, HOME, scopeKey } from "../core/catalog.ts";
import { facetLabel, GROUP_TITLES, listedFacets, scopePath } from "../core/feed-plan.ts";
import type { Article } from "../core/model.ts";
import type { SiteSettings } from "../core/settings.ts";
import { FORMATS } from "../formats/index.ts";
import { autodiscoveryLinks } from "./article-pages.ts";
import { cacheTagHeader, INDEX_TAG, scopeTag } from "./cache-tags.ts";
import type { AppContext } from "./context.ts";
import { headlineList, latestArticles } from "./facet-pages.ts";
import { html, page, type SafeHtml, trusted } from "./html.ts";
import { labelsFor } from "./labels.ts";
import { answerPlainPermalink } from "./redirects.ts";
import { cacheControl } from "./responses.ts";

// Copies a feed URL and says so in a live region; without the Clipboard API the URL stays selectable in <code>.
const COPY_SCRIPT = [
  'document.addEventListener("click", function (e) {',
  '  var b = e.target.closest("button[data-copy]"); if (!b) return;',
  '  var url = b.dataset.copy, status = document.getElementById("copy-status");',
  "  function done(ok) {",
  '    status.textContent = ok ? "Copied " + url : "Could not copy: select the address instead";',
  '    if (ok) { b.textContent = "Copied"; setTimeout(function () { b.textContent = "Copy URL"; }, 2000); }',
  "  }",
  "  if (navigator.clipboard) navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(false); });",
  "  else done(false);",
  "});",
].join("\n");

let scriptHash: Promise<string> | undefined;
function copyScriptHash(): Promise<string> {
  scriptHash ??= crypto.subtle.digest("SHA-256", new TextEncoder().encode(COPY_SCRIPT)).then((d) => {
    let raw = "";
    for (const byte of new Uint8Array(d)) raw += String.fromCharCode(byte);
    return `'sha256-${btoa(raw)}'`;
  });
  return scriptHash;
}

function feedRow(name: string, base: string, label: string, page?: string, lang?: string): SafeHtml {
  const rss = `${base}${FORMATS[0]!.file}`;
  return html`<li><strong dir="auto"${lang ? html` lang="${lang}"` : ""}>${page ? html`<a href="${page}">${name}</a>` : name}</strong> ${FORMATS.map(
    (f, i) => html`${i ? " · " : ""}<a href="${base + f.file}" type="${f.contentType.split(";")[0]}">${f.label}</a>`,
  )}<br><code dir="ltr">${rss}</code> <button type="button" data-copy="${rss}" aria-label="${`Copy the ${label} feed URL`}">Copy URL</button></li>
`;
}

/**
 * The home page: the newest headlines, then every feed a reader can subscribe to at `now`, facets sorted by name for
 * people, each name in its own direction (`dir="auto"`: tags and authors come in any language). Its autodiscovery
 * links name the site's feeds and, on a site in more than one language, each language's (with `hreflang`).
 */
export async function renderIndexPage(site: SiteSettings, catalog: Catalog, now: Date, latest: readonly Article[]): Promise<string> {
  const { labels } = labelsFor(site.language, site.language);
  const listed = await Promise.all(FACET_KINDS.map((kind) => listedFacets(catalog, kind, now)));
  const groups = FACET_KINDS.map((kind, i) => {
    const title = GROUP_TITLES[kind];
    const facets = [...listed[i]!].sort((a, b) => facetLabel(a).localeCompare(facetLabel(b), "en") || (a.slug < b.slug ? -1 : 1));
    if (!facets.length) return "";
    return html`<h3>${title}</h3>
<ul class="feeds">
${facets.map((f) => {
  const base = `${site.url}/${scopePath(f)}`;
  const label = `${facetLabel(f)} (${title.toLowerCase().replace(/s$/, "")})`;
  return feedRow(facetLabel(f), base, label, base, f.kind === "languages" ? f.name : undefined);
})}</ul>
`;
  });
  return page({
    siteUrl: site.url,
    lang: site.language,
    title: `${site.title} feeds`,
    head: autodiscoveryLinks(site, listed[FACET_KINDS.indexOf("languages")]),
    body: html`<h1>${site.title}</h1>
<p>${site.description}</p>
<h2>${labels.latest}</h2>
${latest.length ? headlineList(latest, site) : html`<p class="muted">${labels.empty}</p>`}
<h2>Feeds</h2>
<p class="muted">Subscribe by opening a feed in your reader, or copy its address into the reader's “add feed” box. All feeds: <a href="${`${site.url}/feeds.opml`}">OPML</a>.</p>
<h3>All stories</h3>
<ul class="feeds">
${feedRow("Latest", `${site.url}/`, "latest stories")}</ul>
${groups}<p id="copy-status" role="status" class="muted"></p>
<script>${trusted(COPY_SCRIPT)}</script>`,
  });
}

export function registerIndexPage(app: Hono, ctx: AppContext): void {
  app.get("/", async (c) => {
    const now = ctx.now();
    // WordPress's plain permalink of an article moved in (an alias /?p=123) leads to its page.
    const moved = await answerPlainPermalink(c, ctx, now);
    if (moved) return moved;
    const [latest, siteNextRelease] = await Promise.all([latestArticles(ctx, HOME, now), ctx.catalog.nextRelease(now)]);
    const body = await renderIndexPage(ctx.site, ctx.catalog, now, latest);
    return c.html(body, 200, {
      "Content-Security-Policy": `default-src 'none'; script-src ${await copyScriptHash()}; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`,
      // Cut like the feeds: the page changes when the site's next embargoed article comes out.
      "Cache-Control": cacheControl(ctx.site, { archived: false, siteNextRelease }, now),
      // The site's newest headlines, and every public feed.
      "Cache-Tag": cacheTagHeader([scopeTag(scopeKey(HOME)), INDEX_TAG]),
    });
  });
}
