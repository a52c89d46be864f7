// JSON Feed 1.1 (jsonfeed.org/version/1.1) as a typed object.
import { formatRfc3339 } from "../core/dates.ts";
import { FEED_FILES } from "../core/feed-plan.ts";
import type { Article, Author, FeedContent, FeedHead } from "../core/model.ts";
import { cleanText, cleanTexts } from "../core/text.ts";
import type { FeedDocument, FeedFormat, LinkRange } from "./format.ts";

interface JsonFeedAuthor {
  name: string;
  url?: string;
  avatar?: string;
}

interface JsonFeedAttachment {
  url: string;
  mime_type: string;
  size_in_bytes?: number;
}

interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html?: string;
  content_text?: string;
  summary: string;
  image?: string;
  date_published: string;
  date_modified: string;
  authors: JsonFeedAuthor[];
  tags?: string[];
  language?: string;
  attachments?: JsonFeedAttachment[];
}

export interface JsonFeedDocument {
  version: "https://jsonfeed.org/version/1.1";
  title: string;
  home_page_url: string;
  feed_url: string;
  next_url?: string;
  description: string;
  icon?: string;
  favicon?: string;
  language: string;
  authors: JsonFeedAuthor[];
  hubs?: { type: string; url: string }[];
  items: JsonFeedItem[];
}

/** JSON Feed 1.1 author object: name, url, avatar (no e-mail field exists). */
function jsonAuthor(author: Author): JsonFeedAuthor {
  return { name: author.name, url: author.url, avatar: author.avatar };
}

/**
 * One item. An excerpt carries the summary as `content_text` instead of `content_html` (JSON Feed 1.1, items: one of
 * the two is required), and keeps `summary`, `image` and the attachment.
 */
function jsonItem(article: Article, content: FeedContent): JsonFeedItem {
  const tags = [...(article.section ? [article.section] : []), ...article.tags];
  const image = article.image;
  return {
    id: article.id,
    url: article.url,
    title: article.title,
    ...(content === "full" ? { content_html: article.html } : { content_text: article.summary }),
    summary: article.summary,
    image: image?.url,
    date_published: formatRfc3339(article.published),
    date_modified: formatRfc3339(article.updated),
    authors: article.authors.map(jsonAuthor),
    tags: tags.length ? [...new Set(tags)] : undefined,
    language: article.lang,
    attachments: image?.type ? [{ url: image.url, mime_type: image.type, size_in_bytes: image.length }] : undefined,
  };
}

/** The document's own fields (everything but `items`), in the order they are written. */
export function jsonFeedHead(head: FeedHead): Omit<JsonFeedDocument, "items"> {
  return {
    version: "https://jsonfeed.org/version/1.1",
    title: head.title,
    home_page_url: head.homeUrl,
    // Pages of an archive keep the subscription feed's URL as their identity; next_url walks to older items.
    feed_url: head.paging?.current?.json ?? head.self.json,
    next_url: head.paging?.prev?.json,
    description: head.description,
    // JSON Feed 1.1: icon (large, square) and favicon (small, square); the one square icon serves both.
    icon: head.icon,
    favicon: head.icon,
    language: head.language,
    authors: [jsonAuthor(head.publisher)],
    hubs: head.hubs.length ? head.hubs.map((url) => ({ type: "WebSub", url })) : undefined,
  };
}

/**
 * An item compact on one line: one `JSON.stringify`, the same text in every document it appears in. Texts lose the
 * characters XML forbids, as in RSS and Atom, so every format shows the same words.
 */
function renderJsonItem(article: Article, content: FeedContent = "full"): string {
  return JSON.stringify(cleanTexts(jsonItem(article, content)));
}

const URL_KEY = ',"url":"';

/**
 * The item's `url` string's content. Its key is the first `,"url":"` of the item: it follows `id`, and no string can
 * hold that sequence unescaped (a `"` inside a string is written `\"`). It ends at the first `"` no backslash escapes.
 */
function jsonItemLink(item: string): LinkRange | undefined {
  const open = item.indexOf(URL_KEY);
  if (open < 0) return undefined;
  const start = open + URL_KEY.length;
  for (let i = start; i < item.length; i++) {
    const c = item.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return { start, end: i };
  }
  return undefined;
}

/** Text as it stands inside a JSON string. */
function escapeJsonString(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** A JSON string's content, read back. */
function unescapeJsonString(text: string): string {
  return JSON.parse(`"${text}"`) as string;
}

/**
 * The feed's own fields indented for people, each item compact on one line: readable in a browser and in the golden
 * files, and no item is re-scanned to be indented (which would cost as much as writing its HTML).
 */
function renderJsonDocument({ head, items }: FeedDocument): string[] {
  const fields = JSON.stringify(cleanTexts(jsonFeedHead(head)), null, 2);
  // The items stay whole pieces between the head's text and the separators (see FeedFormat.documentParts); an item
  // in pieces (its link's query added) stays in those pieces.
  const parts: string[] = [fields.slice(0, -2) + ',\n  "items": ' + (items.length ? "[\n    " : "[]")];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (typeof item === "string") parts.push(item);
    else parts.push(...item);
    parts.push(i + 1 < items.length ? ",\n    " : "\n  ]");
  }
  parts[parts.length - 1] += "\n}\n";
  return parts;
}

export const jsonFeed: FeedFormat<"json"> = {
  id: "json",
  file: FEED_FILES.json,
  contentType: "application/feed+json; charset=utf-8",
  label: "JSON Feed 1.1",
  part: "json",
  renderItem: (article) => renderJsonItem(article),
  // `content_html` as the item writes it: cleaned like every text, then one JSON string.
  bodySlot: (html) => JSON.stringify(cleanText(html)),
  excerpt: { id: "json", part: "json-excerpt", renderItem: (article) => renderJsonItem(article, "excerpt") },
  documentParts: renderJsonDocument,
  itemLink: jsonItemLink,
  escapeLink: escapeJsonString,
  unescapeLink: unescapeJsonString,
};
