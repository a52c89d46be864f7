// What a feed format is to the rest of the system: an id, a file name, a media type and a two-part renderer (items,
// whole or as excerpts, and the document around them).
import type { ItemWriter } from "../core/catalog.ts";
import type { Article, FeedHead, FormatId } from "../core/model.ts";

/**
 * An item as the document writes it: one string as `renderItem` wrote it, or the pieces that, joined, are that item
 * with a query added to its link (link-query.ts): each piece a slice of the stored item or the query, never a copy.
 */
export type ItemText = string | readonly string[];

/** A document to write: its head, its updated time, and its items already written by the format's `renderItem`. */
export interface FeedDocument {
  head: FeedHead;
  /** Newest `updated` among the items; the Unix epoch for an empty feed. */
  updated: Date;
  items: readonly ItemText[];
}

/** Where an item's link is in its text, as written (escaped for the format): [start, end). */
export interface LinkRange {
  start: number;
  end: number;
}

export interface FeedFormat<Id extends FormatId = FormatId> extends ItemWriter {
  /** Key in every per-format map (`FormatUrls`). */
  readonly id: Id;
  /** Whole items are stored as the format's own part. */
  readonly part: Id;
  /** Last path segment the format is served at, e.g. `rss.xml`. */
  readonly file: string;
  /** Full Content-Type, charset included. */
  readonly contentType: string;
  readonly label: string;
  /**
   * One article's item, exactly as it appears in every document of this format (same indentation everywhere), so
   * it can be written once per article version and stored.
   */
  renderItem(article: Article): string;
  /**
   * The article's body (`article.html`) exactly as `renderItem` writes it into the item (a CDATA section, a JSON
   * string): the whole item is stored with a mark in its place and the body once (src/core/publish/stored-body.ts).
   */
  bodySlot(html: string): string;
  /**
   * The excerpt item writer: the same item without the article's content (RSS `content:encoded`, Atom `content`, JSON
   * Feed `content_html`) or the body's images, its summary and lead image kept; stored beside the whole item.
   */
  readonly excerpt: ItemWriter & { readonly id: Id; readonly part: `${Id}-excerpt` };
  /**
   * The whole document around items written by `renderItem`, as the pieces it is made of, in order: joined, they
   * are the document; encoded one after another (`encodeParts`), they are its bytes. Each item stays its own piece,
   * never copied into one big string: a served feed goes from stored items to bytes in one pass, and most items,
   * being Latin-1 text, take V8's fast path when encoded alone (one non-Latin-1 character would widen a joined document).
   */
  documentParts(document: FeedDocument): string[];
  /**
   * Where an item written by this format (whole or excerpt) has its link (RSS `link`, Atom `link rel="alternate"`'s
   * `href`, JSON Feed `url`): found by the item's own layout, before any text the article gives, so the search never
   * reads into the content.
   */
  itemLink(item: string): LinkRange | undefined;
  /** Text escaped as the format writes it where the link stands (XML text, an XML attribute, a JSON string's content). */
  escapeLink(text: string): string;
  /** The text `escapeLink` wrote, read back. */
  unescapeLink(text: string): string;
}
