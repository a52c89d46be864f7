// The index page: every feed (home, sections, tags, authors) with subscribe links, copy buttons and autodiscovery.
import type { Hono } from "hono";
import { type ArticleEntry, type Catalog, type Facet, type FacetKind, firstPublishedIndex } from "../core/catalog.ts";
import type { SiteSettings } from "../core/settings.ts";
import { FORMATS } from "../formats/index.ts";
import { autodiscoveryLinks } from "./article-pages.ts";
import type { AppContext } from "./context.ts";
import { html, page, type SafeHtml, trusted } from "./html.ts";

const GROUPS: readonly (readonly [FacetKind, string])[] = [
  ["sections", "Sections"],
  ["tags", "Tags"],
  ["authors", "Authors"],
];

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

/** Facets with at least one article out at `now`: an embargoed story must not reveal its section or tags early. */
function publicFacets(catalog: Catalog<ArticleEntry>, kind: FacetKind, now: Date): Facet<ArticleEntry>[] {
  return [...catalog.facets[kind].values()]
    .filter((f) => firstPublishedIndex(catalog, now, f.articles) < f.articles.length)
    .sort((a, b) => a.name.localeCompare(b.name, "en") || (a.slug < b.slug ? -1 : 1));
}

function feedRow(name: string, base: string, label: string): SafeHtml {
  const rss = `${base}${FORMATS[0]!.file}`;
  return html`<li><strong>${name}</strong> ${FORMATS.map(
    (f, i) => html`${i ? " · " : ""}<a href="${base + f.file}" type="${f.contentType.split(";")[0]}">${f.label}</a>`,
  )}<br><code>${rss}</code> <button type="button" data-copy="${rss}" aria-label="${`Copy the ${label} feed URL`}">Copy URL</button></li>
`;
}

/** The home page; feeds of sections, tags and authors follow issue 3's URL scheme. */
export function renderIndexPage(site: SiteSettings, catalog?: Catalog<ArticleEntry>, now: Date = new Date(0)): string {
  const groups = catalog
    ? GROUPS.map(([kind, title]) => {
        const facets = publicFacets(catalog, kind, now);
        if (!facets.length) return "";
        return html`<h2>${title}</h2>
<ul class="feeds">
${facets.map((f) => feedRow(f.name, `${site.url}/${kind}/${encodeURIComponent(f.slug)}/`, `${f.name} (${title.toLowerCase().replace(/s$/, "")})`))}</ul>
`;
      })
    : [];
  return page({
    lang: site.language,
    title: `${site.title} feeds`,
    head: autodiscoveryLinks(site),
    body: html`<h1>${site.title}</h1>
<p>${site.description}</p>
<p class="muted">Subscribe by opening a feed in your reader, or copy its address into the reader's “add feed” box. All feeds: <a href="${`${site.url}/feeds.opml`}">OPML</a>.</p>
<h2>All stories</h2>
<ul class="feeds">
${feedRow("Latest", `${site.url}/`, "latest stories")}</ul>
${groups}<p id="copy-status" role="status" class="muted"></p>
<script>${trusted(COPY_SCRIPT)}</script>`,
  });
}

export function registerIndexPage(app: Hono, ctx: AppContext): void {
  app.get("/", async (c) => {
    const body = renderIndexPage(ctx.site, await ctx.catalog(), ctx.now());
    return c.html(body, 200, {
      "Content-Security-Policy": `default-src 'none'; script-src ${await copyScriptHash()}; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`,
      "Cache-Control": "public, max-age=300",
    });
  });
}
