// Partner embeds: the /embed/headlines iframe page and the /headlines.json data behind both (the /embed.js script is a
// static asset: src/node/build-assets.ts). The iframe page stays self-contained, its few styles inline: on a partner's
// page it is one request, with nothing else to fetch.
import type { Context, Hono } from "hono";
import { buildHeadlines, formatRelativeTime, type HeadlinesDocument, selectHeadlines } from "../core/headlines.ts";
import { textDirection } from "../core/language.ts";
import { type HeadlinesPlan, HeadlinesRequestError, planHeadlines } from "../core/partners.ts";
import { HEADLINES_TAG } from "./cache-tags.ts";
import type { AppContext } from "./context.ts";
import { answerHeadlinesPreflight, decideHeadlinesCors, headlineTitle, isFramed } from "./embed-rules.ts";
import { html, trusted } from "./html.ts";

/** CSP `frame-ancestors` for a plan: any page for the public defaults, else our own site plus the partner's origins. */
export function frameAncestors(plan: HeadlinesPlan): string {
  return plan.origins.includes("*") ? "*" : ["'self'", ...plan.origins].join(" ");
}

export function registerEmbedRoutes(app: Hono, ctx: AppContext): void {
  app.options("/headlines.json", async (c) => {
    // The GET's origin rule: a partner key answers only its own origins.
    const { status, headers } = answerHeadlinesPreflight(await ctx.catalog.partners(), c.req.query("key"), c.req.header("Origin"));
    return c.body(null, status, headers);
  });
  app.get("/headlines.json", (c) => serveHeadlinesJson(c, ctx));
  app.get("/embed/headlines", (c) => serveHeadlinesPage(c, ctx));
}

/** What a headlines request asks for, resolved against partners.yaml and the sections published at `now`. */
async function planRequest(c: Context, ctx: AppContext, now: Date): Promise<HeadlinesPlan> {
  // Only sections with something out: a section that so far holds only embargoed stories does not exist yet.
  const sections = new Set((await ctx.catalog.publicFacets("sections", now)).map((f) => f.slug));
  const query = { key: c.req.query("key"), section: c.req.query("section"), limit: c.req.query("limit") };
  return planHeadlines(query, await ctx.catalog.partners(), sections);
}

async function headlinesOf(ctx: AppContext, plan: HeadlinesPlan, now: Date): Promise<HeadlinesDocument> {
  return buildHeadlines(ctx.site, await ctx.catalog.articles(await selectHeadlines(ctx.catalog, now, plan)), plan);
}

/** The data behind the widget and the iframe page; CORS by the partner's origins (any origin without a key). */
async function serveHeadlinesJson(c: Context, ctx: AppContext): Promise<Response> {
  const now = ctx.now();
  const plan = await planRequest(c, ctx, now);
  const origin = c.req.header("Origin");
  const cors = decideHeadlinesCors(plan.origins, origin);
  if (!cors.allowed) {
    throw new HeadlinesRequestError(
      "origin-not-allowed",
      `origin ${origin?.slice(0, 100)} is not allowed for partner "${plan.partner?.key}"`,
    );
  }
  const body = JSON.stringify(await headlinesOf(ctx, plan, now), null, 2) + "\n";
  return c.body(body, 200, {
    "Content-Type": "application/json; charset=utf-8",
    ...cors.headers,
    "Cache-Control": "public, max-age=60",
    "Cache-Tag": HEADLINES_TAG,
  });
}

/** The iframe page: the same list, framable by the partner's origins only (any page without a key). */
async function serveHeadlinesPage(c: Context, ctx: AppContext): Promise<Response> {
  const now = ctx.now();
  const plan = await planRequest(c, ctx, now);
  const doc = await headlinesOf(ctx, plan, now);
  const lang = safeLocale(c.req.query("lang")) ?? ctx.site.language;
  const thumbnails = c.req.query("thumbnails") === "true";
  const imageOrigins = thumbnails ? [...new Set(doc.items.flatMap((i) => (i.image ? [new URL(i.image.url).origin] : [])))] : [];
  const csp = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `img-src 'self' ${imageOrigins.join(" ")}`.trim(),
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors(plan)}`,
  ].join("; ");
  const title = headlineTitle(c.req.query("title"), plan, isFramed(c.req.header("Sec-Fetch-Dest")));
  return c.html(renderHeadlinesPage(doc, { lang, now, thumbnails, title }), 200, {
    "Content-Security-Policy": csp,
    "Cache-Control": "public, max-age=60",
    "Cache-Tag": HEADLINES_TAG,
    // The heading depends on whether the page is framed, so caches keep the two apart.
    Vary: "Sec-Fetch-Dest",
    "Referrer-Policy": "strict-origin-when-cross-origin",
  });
}

function safeLocale(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

const FRAME_CSS = `
:root{color-scheme:light dark}
body{margin:0;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#fff}
section{padding:12px 14px}
h2{font-size:12px;font-weight:700;letter-spacing:.06em;text-transform:uppercase;margin:0 0 6px;color:#555}
ul{list-style:none;margin:0;padding:0}
li{padding:8px 0;border-top:1px solid #8884}li:first-child{border-top:0}
a{display:flex;gap:10px;align-items:flex-start;color:#0b57d0;font-weight:600;text-decoration:none}
a:hover .t{text-decoration:underline}a:focus-visible{outline:3px solid currentColor;outline-offset:2px}
img{width:64px;height:48px;object-fit:cover;border-radius:4px;flex:none}
time{display:block;font-size:12px;color:#5c5c5c;margin-top:2px}
@media (prefers-color-scheme:dark){body{color:#e8e8e8;background:#15171a}h2{color:#aaa}a{color:#8ab4f8}time{color:#a8a8a8}}
`;

/** The iframe page: the same list as the widget, times relative to the server's clock in the requested language. */
export function renderHeadlinesPage(
  doc: HeadlinesDocument,
  options: { lang: string; now: Date; thumbnails: boolean; title?: string },
): string {
  const absolute = new Intl.DateTimeFormat(options.lang, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "UTC",
    timeZoneName: "short",
  });
  const items = doc.items.map((item) => {
    const when = new Date(item.date_published);
    // Each headline in its own language and direction (a partner's list may mix Persian and English stories); the
    // relative time, in the page's language, keeps its own direction inside the headline's (<bdi>).
    return html`<li lang="${item.language}" dir="${item.dir}"><a href="${item.url}" target="_blank" rel="noopener">${
      options.thumbnails && item.image ? html`<img src="${item.image.url}" alt="" width="64" height="48" loading="lazy">` : ""
    }<span class="t">${item.title}</span></a><time datetime="${item.date_published}" title="${absolute.format(when)}"><bdi lang="${options.lang}">${formatRelativeTime(when, options.now, options.lang)}</bdi></time></li>`;
  });
  return html`<!doctype html>
<html lang="${options.lang}" dir="${textDirection(options.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${options.title ?? doc.title}</title>
<style>${trusted(FRAME_CSS)}</style>
</head>
<body>
<section aria-labelledby="edge-h">
<h2 id="edge-h">${options.title ?? doc.title}</h2>
<ul role="list">
${items}
</ul>
</section>
</body>
</html>
`.toString();
}
