// Response building blocks shared by the routes: errors (RFC 9457 problem details, or an HTML page in the site's style) and Cache-Control.
import type { Context } from "hono";
import type { secureHeaders } from "hono/secure-headers";
import type { SiteSettings } from "../core/settings.ts";
import type { HttpStatus } from "./errors.ts";
import { html, page } from "./html.ts";
import { capLifetimesAtRelease } from "./release-hint.ts";

/** HSTS on an https site: browsers then never ask for it over plain http (hono's value: 180 days, subdomains too). */
export const STRICT_TRANSPORT_SECURITY = "max-age=15552000; includeSubDomains";

/**
 * What hono/secure-headers sets on every response, errors included: `nosniff` always (browsers must not second-guess
 * the declared types: feeds are often sniffed as HTML), and `Strict-Transport-Security` when SITE_URL is
 * https. Its other defaults stay off, each for a reason: `X-Frame-Options` and `Cross-Origin-Opener-Policy` would stop
 * partners framing /embed/headlines (framing is governed by each page's CSP `frame-ancestors`);
 * `Cross-Origin-Resource-Policy: same-origin` would stop feed readers and partner pages loading /images/ and
 * /embed.js; `Referrer-Policy` is set per page; the rest are for browsers long gone. Content-Security-Policy stays per
 * route (pages, previews, images and the iframe each have their own).
 */
export function securityHeaderOptions(site: SiteSettings): NonNullable<Parameters<typeof secureHeaders>[0]> {
  return {
    xContentTypeOptions: true,
    strictTransportSecurity: new URL(site.url).protocol === "https:" ? STRICT_TRANSPORT_SECURITY : false,
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    crossOriginEmbedderPolicy: false,
    originAgentCluster: false,
    referrerPolicy: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xFrameOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  };
}

/** True when the client prefers an HTML page (a browser): it lists text/html and does not refuse it with q=0. */
export function wantsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(",").some((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(";");
    if (type?.trim() !== "text/html") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return !q || Number(q.slice(2)) > 0;
  });
}

const TITLES: Record<HttpStatus, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  412: "Precondition Failed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/**
 * An error response: a small HTML page for browsers, `application/problem+json` (RFC 9457 §3) for everything else.
 * Varies on Accept, since the body depends on it. `members` are extension members of the problem (RFC 9457 §3.2),
 * such as the `issues` of a refused publish; the HTML page leaves them out.
 */
export function problem(
  c: Context,
  site: SiteSettings,
  status: HttpStatus,
  detail: string,
  headers: Record<string, string> = {},
  members: Record<string, unknown> = {},
): Response {
  const title = TITLES[status];
  // Details quote the request (its path, a parameter): an oversize request never gets its whole self echoed back.
  const text = capText(detail, DETAIL_MAX);
  const common = { Vary: "Accept", "Cache-Control": status === 404 ? "public, max-age=60" : "no-store", ...headers };
  if (wantsHtml(c.req.header("Accept"))) {
    // The site's own page shell and stylesheet, as on every other page a person reads.
    const body = page({
      siteUrl: site.url,
      lang: site.language,
      title: `${status} ${title} – ${site.title}`,
      body: html`<header class="muted"><a href="${`${site.url}/`}">${site.title}</a></header>
<h1>${title}</h1>
<p>${text}</p>
<p><a href="${`${site.url}/`}">${site.title} feeds</a></p>`,
    });
    return c.body(body, status, {
      ...common,
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'",
    });
  }
  const path = new URL(c.req.url).pathname;
  const body = { type: "about:blank", title, status, detail: text, ...(path.length <= DETAIL_MAX ? { instance: path } : {}), ...members };
  return c.body(JSON.stringify(body, null, 2) + "\n", status, { ...common, "Content-Type": "application/problem+json" });
}

/** Longest `detail` (and `instance`) an error answer carries, in characters. */
const DETAIL_MAX = 400;

/** An error's `detail` as every answer carries it: at most DETAIL_MAX characters (the files of a batch too). */
export function capDetail(detail: string): string {
  return capText(detail, DETAIL_MAX);
}

function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\ud800-\udbff]/.test(text[max - 2]!) ? max - 2 : max - 1; // never half a surrogate pair
  return `${text.slice(0, end)}…`;
}

export interface Freshness {
  /** A full archive page: it does not change as articles are published. */
  archived: boolean;
  /**
   * The next release of the whole site (`nextRelease(catalog, now)` over every article), never the feed's own: a
   * per-feed time would tell which feed the embargoed article is in. Required, so a plan's per-feed time cannot be
   * passed by accident.
   */
  siteNextRelease: Date | undefined;
}

/**
 * `Cache-Control` for a feed (RFC 9111 §5.2.2, RFC 5861 for stale-while-revalidate): the configured lifetimes, each cut
 * at the step boundary before the site's next release (src/http/release-hint.ts), so no cache serves a feed past a
 * publication and the header reveals neither which feed changes nor the release's second.
 */
export function cacheControl(site: SiteSettings, freshness: Freshness, now: Date): string {
  const c = site.cache;
  if (freshness.archived)
    return `public, max-age=${c.archiveMaxAge}, s-maxage=${c.archiveMaxAge}, stale-while-revalidate=${c.staleWhileRevalidate}`;
  const { maxAge, sMaxAge, staleWhileRevalidate } = capLifetimesAtRelease(c, freshness.siteNextRelease, now);
  return `public, max-age=${maxAge}, s-maxage=${sMaxAge}, stale-while-revalidate=${staleWhileRevalidate}`;
}
