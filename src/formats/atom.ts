// Atom 1.0 (RFC 4287), with Media RSS elements for the lead image.
import { formatRfc3339 } from "../core/dates.ts";
import type { Article, Author, Feed } from "../core/model.ts";
import type { FeedFormat, RenderOptions } from "./format.ts";
import { writeMediaImage } from "./media-rss.ts";
import { NS } from "./rss.ts";
import { type FragmentCache, XmlWriter } from "./xml.ts";

/** RFC 4287 §3.2 Person construct: name, and uri and email where known. */
function person(x: XmlWriter, element: string, author: Author): void {
  x.open(element);
  x.text("name", author.name);
  x.text("uri", author.url);
  x.text("email", author.email);
  x.close(element);
}

function renderEntry(x: XmlWriter, article: Article, feed: Feed): void {
  x.open("entry", { "xml:lang": article.lang });
  x.text("id", article.id);
  x.text("title", article.title, { type: "text" });
  x.empty("link", { rel: "alternate", type: "text/html", href: article.url });
  x.text("published", formatRfc3339(article.published));
  x.text("updated", formatRfc3339(article.updated));
  for (const author of article.authors) person(x, "author", author);
  if (article.section) x.empty("category", { term: article.section, scheme: `${feed.homeUrl}sections/` });
  for (const tag of article.tags) x.empty("category", { term: tag, scheme: `${feed.homeUrl}tags/` });
  x.text("summary", article.summary, { type: "text" });
  x.cdata("content", article.html, { type: "html" });
  const image = article.image;
  if (image) {
    if (image.type) x.empty("link", { rel: "enclosure", type: image.type, length: image.length, href: image.url });
    writeMediaImage(x, image);
  }
  x.close("entry");
}

const entries: FragmentCache<Article> = new WeakMap();

export function renderAtom(feed: Feed, options: RenderOptions = {}): string {
  const x = new XmlWriter({ stylesheet: options.stylesheet });
  x.open("feed", {
    xmlns: NS.atom,
    "xmlns:media": NS.media,
    "xmlns:fh": feed.paging?.archived ? NS.fh : undefined,
    "xml:lang": feed.language,
  });
  x.text("id", feed.id);
  x.text("title", feed.title, { type: "text" });
  x.text("subtitle", feed.description, { type: "text" });
  x.text("updated", formatRfc3339(feed.updated));
  x.empty("link", { rel: "alternate", type: "text/html", href: feed.homeUrl });
  x.empty("link", { rel: "self", type: "application/atom+xml", href: feed.urls.atom });
  for (const hub of feed.hubs ?? []) x.empty("link", { rel: "hub", href: hub });
  const paging = feed.paging;
  if (paging) {
    // RFC 5005 §4 archived feeds.
    if (paging.current) x.empty("link", { rel: "current", type: "application/atom+xml", href: paging.current.atom });
    if (paging.prev) x.empty("link", { rel: "prev-archive", type: "application/atom+xml", href: paging.prev.atom });
    if (paging.next) x.empty("link", { rel: "next-archive", type: "application/atom+xml", href: paging.next.atom });
    if (paging.archived) x.empty("fh:archive");
  }
  x.text("generator", "edge-feeds");
  person(x, "author", feed.publisher);
  // An entry's category schemes name the feed's home page: the only feed-level fact in it.
  for (const item of feed.items) x.fragment(entries, item, feed.homeUrl, (sub) => renderEntry(sub, item, feed));
  x.close("feed");
  return x.toString();
}

export const atom: FeedFormat = {
  id: "atom",
  file: "atom.xml",
  contentType: "application/atom+xml; charset=utf-8",
  label: "Atom 1.0",
  render: renderAtom,
};
