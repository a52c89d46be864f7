// Feeds opened in a browser: a CSS stylesheet for the XML feeds, and the media type that lets browsers apply it.
//
// The choice (see README, "Partner embeds and pages"): every client gets the same bytes, the feed itself, with an
// `<?xml-stylesheet type="text/css"?>` PI that readers ignore. XSLT is not used because Chromium is removing it.
// Chromium shows application/rss+xml and application/atom+xml as plain text and applies stylesheets only to
// documents served with a generic XML type, so for a top-level browser navigation (Sec-Fetch-Dest: document, a
// header feed readers do not send) only the Content-Type header becomes application/xml. The body, and so the
// ETag, never changes; no reader can be sent HTML.
import type { Hono } from "hono";
import { FEED_STYLESHEET_PATH } from "../core/feed-plan.ts";
import type { AppContext } from "./context.ts";

const FEED_TYPES = /^application\/(rss|atom)\+xml\b/i;

/** True for a browser loading a page in a tab (Fetch Metadata); feed readers, fetch() and XHR never send this pair. */
export function isBrowserNavigation(headers: { header(name: string): string | undefined }): boolean {
  return isNavigation(headers.header("Sec-Fetch-Dest"), headers.header("Sec-Fetch-Mode"));
}

/** The rule of isBrowserNavigation over the two header values (for callers holding a plain `Headers`). */
export function isNavigation(dest: string | null | undefined, mode: string | null | undefined): boolean {
  return dest === "document" && mode === "navigate";
}

/** The request header a feed's answer varies on, besides Accept-Encoding. */
export const NAVIGATION_VARY = "Sec-Fetch-Dest";

/** The Content-Type an RSS or Atom feed gets in a browser tab: a generic XML type, to which browsers apply the stylesheet. */
export const NAVIGATION_TYPE = "application/xml; charset=utf-8";

/** True for the media types of the XML feeds, whose Content-Type differs for a browser tab. */
export function variesByNavigation(contentType: string): boolean {
  return FEED_TYPES.test(contentType);
}

/** The stylesheet route (until static assets serve it). */
export function registerBrowserFeedView(app: Hono, _ctx: AppContext): void {
  app.get(FEED_STYLESHEET_PATH, (c) =>
    c.body(FEED_CSS, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=86400" }),
  );
}

// Styles the feed's own elements; CSS cannot make links clickable, so the banner tells people what to do instead.
const FEED_CSS = `@namespace atom url(http://www.w3.org/2005/Atom);
@namespace media url(http://search.yahoo.com/mrss/);
@namespace content url(http://purl.org/rss/1.0/modules/content/);
@namespace dc url(http://purl.org/dc/elements/1.1/);
:root { display: block; max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; color: #1b1b1b; background: #fff;
  font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
@media (prefers-color-scheme: dark) { :root { color: #e8e8e8; background: #15171a; } }
:root::before { content: "This is a news feed. To subscribe, copy this page's address into your feed reader (Feedly, NetNewsWire, Inoreader, Miniflux…)."; display: block; padding: .75rem 1rem; margin-bottom: 1.5rem; border-radius: 6px; background: #fff4d6; color: #3d2e00; font-weight: 600; }
*|* { display: none; }
rss, channel, item, atom|feed, atom|entry { display: block; }
channel > title, atom|feed > atom|title { display: block; font-size: 2rem; font-weight: 700; line-height: 1.2; margin-bottom: .25rem; }
channel > description, atom|feed > atom|subtitle { display: block; color: #666; margin-bottom: 1.5rem; }
item, atom|entry { padding: 1rem 0; border-top: 1px solid #8885; }
item > title, atom|entry > atom|title { display: block; font-size: 1.2rem; font-weight: 700; }
item > pubDate, atom|entry > atom|published { display: block; font-size: .85rem; color: #777; }
item > description, atom|entry > atom|summary { display: block; margin-top: .25rem; }
item > link { display: block; font-size: .85rem; color: #0b57d0; word-break: break-all; }
`;
