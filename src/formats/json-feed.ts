// JSON Feed 1.1 (jsonfeed.org/version/1.1) as a typed object.
import { formatRfc3339 } from "../core/dates.ts";
import type { Article, Author, Feed } from "../core/model.ts";
import type { FeedFormat } from "./format.ts";

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
  content_html: string;
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
  language: string;
  authors: JsonFeedAuthor[];
  hubs?: { type: string; url: string }[];
  items: JsonFeedItem[];
}

/** JSON Feed 1.1 author object: name, url, avatar (no e-mail field exists). */
function jsonAuthor(author: Author): JsonFeedAuthor {
  return { name: author.name, url: author.url, avatar: author.avatar };
}

function jsonItem(article: Article): JsonFeedItem {
  const tags = [...(article.section ? [article.section] : []), ...article.tags];
  const image = article.image;
  return {
    id: article.id,
    url: article.url,
    title: article.title,
    content_html: article.html,
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

export function toJsonFeed(feed: Feed): JsonFeedDocument {
  return {
    version: "https://jsonfeed.org/version/1.1",
    title: feed.title,
    home_page_url: feed.homeUrl,
    // Pages of an archive keep the subscription feed's URL as their identity; next_url walks to older items.
    feed_url: feed.paging?.current?.json ?? feed.urls.json!,
    next_url: feed.paging?.prev?.json,
    description: feed.description,
    language: feed.language,
    authors: [jsonAuthor(feed.publisher)],
    hubs: feed.hubs?.length ? feed.hubs.map((url) => ({ type: "WebSub", url })) : undefined,
    items: feed.items.map(jsonItem),
  };
}

/** Each article's item as it appears in the document, written once per article and reused across feeds. */
const itemTexts = new WeakMap<Article, string>();

function itemText(article: Article): string {
  let text = itemTexts.get(article);
  if (text === undefined) {
    text = JSON.stringify(jsonItem(article));
    itemTexts.set(article, text);
  }
  return text;
}

/**
 * The feed's own fields indented for people, each item compact on one line: readable in a browser and in the golden
 * files, and each item's text is one `JSON.stringify` that later feeds reuse (indenting a whole item would mean
 * re-scanning its HTML, which costs as much as writing it).
 */
export function renderJsonFeed(feed: Feed): string {
  const head = JSON.stringify({ ...toJsonFeed({ ...feed, items: [] }), items: undefined }, null, 2);
  const items = feed.items.length ? "[\n    " + feed.items.map(itemText).join(",\n    ") + "\n  ]" : "[]";
  return head.slice(0, -2) + ',\n  "items": ' + items + "\n}\n";
}

export const jsonFeed: FeedFormat = {
  id: "json",
  file: "feed.json",
  contentType: "application/feed+json; charset=utf-8",
  label: "JSON Feed 1.1",
  render: renderJsonFeed,
};
