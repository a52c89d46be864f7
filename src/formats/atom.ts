// Atom 1.0 (RFC 4287), with Media RSS elements for the lead image.
import { formatRfc3339 } from "../core/dates.ts";
import { FEED_FILES } from "../core/feed-plan.ts";
import type { Article, Author, FeedContent } from "../core/model.ts";
import type { FeedDocument, FeedFormat, LinkRange } from "./format.ts";
import { writeMediaImages } from "./media-rss.ts";
import { NS } from "./rss.ts";
import { cdata, escapeAttr, unescapeXml, XmlWriter } from "./xml.ts";

/** RFC 4287 §3.2 Person construct: name, and uri and email where known (an e-mail only where authors.yaml makes it public). */
function person(x: XmlWriter, element: string, author: Author): void {
  x.open(element);
  x.text("name", author.name);
  x.text("uri", author.url);
  x.text("email", author.publicEmail);
  x.close(element);
}

/**
 * One entry. An excerpt has no `content` (RFC 4287 §4.1.1: an entry without content needs an alternate link, which
 * every entry has) and none of the body's own images: its `summary` and its lead image are what readers show.
 */
function renderEntry(x: XmlWriter, article: Article, content: FeedContent): void {
  x.open("entry", { "xml:lang": article.lang });
  x.text("id", article.id);
  x.text("title", article.title, { type: "text" });
  x.empty("link", { rel: "alternate", type: "text/html", href: article.url });
  x.text("published", formatRfc3339(article.published));
  x.text("updated", formatRfc3339(article.updated));
  for (const author of article.authors) person(x, "author", author);
  if (article.section) x.empty("category", { term: article.section, scheme: `${article.siteUrl}sections/` });
  for (const tag of article.tags) x.empty("category", { term: tag, scheme: `${article.siteUrl}tags/` });
  x.text("summary", article.summary, { type: "text" });
  if (content === "full") x.cdata("content", article.html, { type: "html" });
  const image = article.image;
  if (image?.type) x.empty("link", { rel: "enclosure", type: image.type, length: image.length, href: image.url });
  writeMediaImages(x, content === "full" ? article : { image });
  x.close("entry");
}

/** Entries sit in `feed`. */
const ENTRY_DEPTH = 1;

function renderAtomEntry(article: Article, content: FeedContent = "full"): string {
  const x = new XmlWriter({ fragmentDepth: ENTRY_DEPTH });
  renderEntry(x, article, content);
  return x.toString();
}

const ALTERNATE = '<link rel="alternate" type="text/html" href="';

/** The entry's alternate link's `href`: its first such element, after the id and title, whose texts hold no `<`. */
function atomItemLink(item: string): LinkRange | undefined {
  const open = item.indexOf(ALTERNATE);
  if (open < 0) return undefined;
  const start = open + ALTERNATE.length;
  const end = item.indexOf('"', start);
  return end < 0 ? undefined : { start, end };
}

function renderAtomDocument({ head, updated, items }: FeedDocument): string[] {
  const x = new XmlWriter({ stylesheet: head.stylesheet });
  x.open("feed", {
    xmlns: NS.atom,
    "xmlns:media": NS.media,
    "xmlns:fh": head.paging?.archived ? NS.fh : undefined,
    "xml:lang": head.language,
  });
  x.text("id", head.id);
  x.text("title", head.title, { type: "text" });
  x.text("subtitle", head.description, { type: "text" });
  x.text("updated", formatRfc3339(updated));
  x.empty("link", { rel: "alternate", type: "text/html", href: head.homeUrl });
  x.empty("link", { rel: "self", type: "application/atom+xml", href: head.self.atom });
  for (const hub of head.hubs) x.empty("link", { rel: "hub", href: hub });
  const paging = head.paging;
  if (paging) {
    // RFC 5005 §4 archived feeds.
    if (paging.current) x.empty("link", { rel: "current", type: "application/atom+xml", href: paging.current.atom });
    if (paging.prev) x.empty("link", { rel: "prev-archive", type: "application/atom+xml", href: paging.prev.atom });
    if (paging.next) x.empty("link", { rel: "next-archive", type: "application/atom+xml", href: paging.next.atom });
    if (paging.archived) x.empty("fh:archive");
  }
  x.text("generator", "edge-feeds");
  // RFC 4287 §4.2.5, §4.2.8, §4.2.10: a square icon, a logo, and the rights as text.
  x.text("icon", head.icon);
  x.text("logo", head.logo);
  x.text("rights", head.rights, head.rights === undefined ? undefined : { type: "text" });
  person(x, "author", head.publisher);
  for (const item of items) x.raw(item);
  x.close("feed");
  return x.parts();
}

export const atom: FeedFormat<"atom"> = {
  id: "atom",
  file: FEED_FILES.atom,
  contentType: "application/atom+xml; charset=utf-8",
  label: "Atom 1.0",
  part: "atom",
  renderItem: (article) => renderAtomEntry(article),
  bodySlot: cdata,
  excerpt: { id: "atom", part: "atom-excerpt", renderItem: (article) => renderAtomEntry(article, "excerpt") },
  documentParts: renderAtomDocument,
  itemLink: atomItemLink,
  escapeLink: escapeAttr,
  unescapeLink: unescapeXml,
};
