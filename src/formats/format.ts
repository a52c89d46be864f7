// What a feed format is to the rest of the system: an id, a file name, a media type and a two-part renderer.
import type { Article, FeedHead, FormatId } from "../core/model.ts";

/** A document to write: its head, its updated time, and its items already written by the format's `renderItem`. */
export interface FeedDocument {
  head: FeedHead;
  /** Newest `updated` among the items; the Unix epoch for an empty feed. */
  updated: Date;
  items: readonly string[];
}

export interface FeedFormat<Id extends FormatId = FormatId> {
  /** Key in every per-format map (`FormatUrls`). */
  readonly id: Id;
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
   * The whole document around items written by `renderItem`, as the pieces it is made of, in order: joined, they
   * are the document; encoded one after another (`encodeParts`), they are its bytes. Each item stays its own piece,
   * never copied into one big string: a served feed goes from stored items to bytes in one pass, and most items,
   * being Latin-1 text, take V8's fast path when encoded alone (one non-Latin-1 character would widen a joined document).
   */
  documentParts(document: FeedDocument): string[];
}
