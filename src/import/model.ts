// What every importer reads out of its source (WXR, RSS, Atom, JSON Feed): posts, authors and images, before any file is written.

/** An instant and the offset its source wrote it with, so the article keeps the time zone it was published in. */
export interface SourceTime {
  /** Epoch milliseconds. */
  ms: number;
  /** Minutes east of UTC as the source gave them. */
  offset?: number;
  /** A wall-clock time without a zone (a WordPress draft's): `ms` holds it as if it were UTC; it is read in the site's zone. */
  naive?: boolean;
}

export interface SourceAuthor {
  /** A stable handle in the source (WordPress login, or the name), from which the authors.yaml key is made. */
  handle: string;
  name: string;
  email?: string;
  url?: string;
  avatar?: string;
}

export interface SourceImage {
  /** Absolute URL (or, for feeds saved to disk, a path relative to the input file) of the image. */
  url: string;
  alt?: string;
  caption?: string;
  credit?: string;
  /** A path relative to an uploads folder (WordPress `_wp_attached_file`), for `--images`. */
  uploadsPath?: string;
}

export type PostStatus = "published" | "scheduled" | "draft";

/** One post of a source, as the writer needs it; `html` is the body as the source holds it (WordPress: with shortcodes). */
export interface SourcePost {
  /** The input file it came from (for messages). */
  input: string;
  /** Where in the input (an item's position or its source id), for messages. */
  where: string;
  /** The source's permanent identifier (WordPress guid, RSS guid, Atom id, JSON Feed id), kept as the article's `id`. */
  id?: string;
  /** The old permalink, kept as an alias. */
  link?: string;
  /** Further old URLs (WordPress `_wp_old_slug`). */
  oldLinks: string[];
  title: string;
  /** A slug the source gives (WordPress post_name, or the permalink's last segment), if any. */
  slug?: string;
  date?: SourceTime;
  updated?: SourceTime;
  status: PostStatus;
  /** Why the post was made a draft although its source did not call it one (private, password-protected). */
  draftReason?: string;
  authors: SourceAuthor[];
  section?: string;
  tags: string[];
  /** The excerpt as the source has it (HTML or text). */
  summaryHtml?: string;
  html: string;
  /** How the body is written: WordPress post content (paragraphs by blank lines, shortcodes), HTML, or plain text. */
  bodyKind: "wordpress" | "html" | "text";
  image?: SourceImage;
  /** A lead image the source names but does not hold (a featured image whose attachment is not in the export). */
  missingImage?: string;
  lang?: string;
  /** WordPress attachments whose parent is this post, in export order (what `[gallery]` without ids shows). */
  attached?: readonly string[];
}

/** What an input yielded: its posts, and what it skipped (pages, attachments, trashed posts…) by kind, for the summary. */
export interface SourceDocument {
  kind: "wxr" | "rss" | "atom" | "json-feed";
  posts: SourcePost[];
  skipped: Record<string, number>;
  /** Problems in the input that lost nothing an article needs (e.g. characters XML forbids), counted. */
  recovered: number;
  /** WordPress attachments by post id (for `[gallery]`), when the source has them. */
  attachments?: ReadonlyMap<string, SourceImage>;
  /** The site the posts came from (WXR base_site_url, a feed's link), for relative links. */
  siteUrl?: string;
  /** The document's language (RSS `language`, Atom `xml:lang`, JSON Feed `language`), for posts that give none. */
  language?: string;
}
