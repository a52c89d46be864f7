// RSS 2.0 (rssboard.org/rss-specification) following the RSS Advisory Board's best practices profile,
// with the content, Dublin Core, Atom and Media RSS namespaces.
import { formatRfc822, formatRfc3339 } from "../core/dates.ts";
import { FEED_FILES } from "../core/feed-plan.ts";
import type { Article, FeedContent } from "../core/model.ts";
import type { FeedDocument, FeedFormat, LinkRange } from "./format.ts";
import { MEDIA_NS, writeMediaImages } from "./media-rss.ts";
import { cdata, escapeText, unescapeXml, XmlWriter } from "./xml.ts";

export const NS = {
  atom: "http://www.w3.org/2005/Atom",
  content: "http://purl.org/rss/1.0/modules/content/",
  dc: "http://purl.org/dc/elements/1.1/",
  media: MEDIA_NS,
  /** RFC 5005 §4 Feed History. */
  fh: "http://purl.org/syndication/history/1.0",
} as const;

/**
 * RSS `author` must be an e-mail address (RSS 2.0 §item); the best-practices form is `email (Name)`, one per item. Only
 * an address authors.yaml marks public is written: readers that show `<author>` show it as the raw `email (Name)`
 * string, and every author is named by `dc:creator` anyway.
 */
function rssAuthor(article: Article): string | undefined {
  const withEmail = article.authors.find((a) => a.publicEmail);
  return withEmail ? `${withEmail.publicEmail} (${withEmail.name})` : undefined;
}

/**
 * One item. An excerpt is the same item without `content:encoded` and the body's own images: its `description` (the
 * summary) is then what every reader shows, with the lead image as its enclosure and Media RSS content.
 */
function renderItem(x: XmlWriter, article: Article, content: FeedContent): void {
  x.open("item");
  x.text("title", article.title);
  x.text("link", article.url);
  x.text("guid", article.id, { isPermaLink: article.idIsUrl ? "true" : "false" });
  x.text("pubDate", formatRfc822(article.published));
  // RSS has no updated time of its own, so a correction is written in two namespaced elements (RFC 3339), for the
  // readers' sake: `dc:date` is the one date extension gofeed reads in an RSS item (into DublinCoreExt; pubDate stays
  // the published time), and `atom:updated` the one Perl's XML::Feed reads as `modified` (with dcterms:modified); the
  // Universal Feed Parser maps both onto `updated`. sfeed, newsboat and rss-parser keep pubDate
  // (test/node/readers.test.ts).
  const updated = formatRfc3339(article.updated);
  x.text("dc:date", updated);
  x.text("atom:updated", updated);
  for (const author of article.authors) x.text("dc:creator", author.name);
  x.text("author", rssAuthor(article));
  if (article.section) x.text("category", article.section);
  for (const tag of article.tags) x.text("category", tag);
  x.htmlText("description", article.summary);
  if (content === "full") x.cdata("content:encoded", article.html);
  const image = article.image;
  if (image?.type) x.empty("enclosure", { url: image.url, length: image.length ?? 0, type: image.type });
  writeMediaImages(x, content === "full" ? article : { image });
  x.text("dc:language", article.lang);
  x.close("item");
}

/** Items sit in `rss > channel`. */
const ITEM_DEPTH = 2;

function renderRssItem(article: Article, content: FeedContent = "full"): string {
  const x = new XmlWriter({ fragmentDepth: ITEM_DEPTH });
  renderItem(x, article, content);
  return x.toString();
}

const LINK_OPEN = "<link>";

/** The item's `link` text: its first `<link>` element, after the title, whose text is escaped and so holds no `<`. */
function rssItemLink(item: string): LinkRange | undefined {
  const open = item.indexOf(LINK_OPEN);
  if (open < 0) return undefined;
  const start = open + LINK_OPEN.length;
  const end = item.indexOf("</link>", start);
  return end < 0 ? undefined : { start, end };
}

function renderRssDocument({ head, updated, items }: FeedDocument): string[] {
  const x = new XmlWriter({ stylesheet: head.stylesheet });
  x.open("rss", {
    version: "2.0",
    "xmlns:atom": NS.atom,
    "xmlns:content": NS.content,
    "xmlns:dc": NS.dc,
    "xmlns:media": NS.media,
    "xmlns:fh": head.paging?.archived ? NS.fh : undefined,
  });
  x.open("channel");
  x.text("title", head.title);
  x.text("link", head.homeUrl);
  x.text("description", head.description);
  x.text("language", head.language);
  x.text("copyright", head.rights);
  x.text("lastBuildDate", formatRfc822(updated));
  x.text("docs", "https://www.rssboard.org/rss-specification");
  x.text("generator", "edge-feeds");
  const image = head.logo ?? head.icon;
  if (image) {
    // RSS 2.0 §image: title and link should match the channel's, so readers show the picture as the channel's own.
    x.open("image");
    x.text("url", image);
    x.text("title", head.title);
    x.text("link", head.homeUrl);
    x.close("image");
  }
  x.empty("atom:link", { href: head.self.rss, rel: "self", type: "application/rss+xml" });
  for (const hub of head.hubs) x.empty("atom:link", { href: hub, rel: "hub" });
  const paging = head.paging;
  if (paging) {
    // RFC 5005 §4 links, written with atom:link as the RFC suggests for RSS.
    if (paging.current) x.empty("atom:link", { href: paging.current.rss, rel: "current", type: "application/rss+xml" });
    if (paging.prev) x.empty("atom:link", { href: paging.prev.rss, rel: "prev-archive", type: "application/rss+xml" });
    if (paging.next) x.empty("atom:link", { href: paging.next.rss, rel: "next-archive", type: "application/rss+xml" });
    if (paging.archived) x.empty("fh:archive");
  }
  for (const item of items) x.raw(item);
  x.close("channel");
  x.close("rss");
  return x.parts();
}

export const rss: FeedFormat<"rss"> = {
  id: "rss",
  file: FEED_FILES.rss,
  contentType: "application/rss+xml; charset=utf-8",
  label: "RSS 2.0",
  part: "rss",
  renderItem: (article) => renderRssItem(article),
  bodySlot: cdata,
  excerpt: { id: "rss", part: "rss-excerpt", renderItem: (article) => renderRssItem(article, "excerpt") },
  documentParts: renderRssDocument,
  itemLink: rssItemLink,
  escapeLink: escapeText,
  unescapeLink: unescapeXml,
};
