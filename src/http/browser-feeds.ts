// Feeds opened in a browser: the media type that lets browsers apply the feeds' CSS stylesheet (a static asset,
// src/assets/feed.css, named by each RSS and Atom document).
//
// The choice (docs/feeds.md, "A feed opened in a browser"): every client gets the same bytes, the feed itself, with
// an `<?xml-stylesheet type="text/css"?>` PI that readers ignore. XSLT is not used because Chromium is removing it.
// Chromium shows application/rss+xml and application/atom+xml as plain text and applies stylesheets only to
// documents served with a generic XML type, so for a top-level browser navigation (Sec-Fetch-Dest: document, a
// header feed readers do not send) only the Content-Type header becomes application/xml. The body, and so the
// ETag, never changes; no reader can be sent HTML.

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
