// The format-neutral model every renderer reads: plain facts about articles and feeds, no format vocabulary.

export interface Author {
  /** The key in authors.yaml, or the slug of a free-form name. */
  key: string;
  name: string;
  /**
   * The author's e-mail address, only when authors.yaml marks it public (`email_public: true`); a private address never
   * reaches the model, so no output can carry it.
   */
  publicEmail?: string;
  url?: string;
  avatar?: string;
}

export interface LeadImage {
  /** Absolute URL. */
  url: string;
  alt?: string;
  caption?: string;
  credit?: string;
  /** MIME type (measured for local files). */
  type?: string;
  /** Size in bytes (measured for local files). */
  length?: number;
  width?: number;
  height?: number;
}

export interface Article {
  /** Where the article came from, relative to the content root. */
  file: string;
  slug: string;
  /** A permanent identifier: the front-matter `id`, or else the canonical URL. */
  id: string;
  /** True when `id` is the URL itself. */
  idIsUrl: boolean;
  title: string;
  /** Absolute canonical URL. */
  url: string;
  /** The site the article is published on, with a trailing slash (category schemes and relative links live under it). */
  siteUrl: string;
  published: Date;
  /** `updated`, or else `published`. */
  updated: Date;
  /**
   * The calendar days (`2025-05-03`) the front matter gave `date` and `updated` as, when it gave a date alone: the
   * article was dated, not timed (its instant is midnight in SITE_TIMEZONE), and pages show a date.
   */
  days?: { published?: string; updated?: string };
  authors: readonly Author[];
  section?: string;
  tags: readonly string[];
  dateline?: string;
  /** BCP 47 language, only when it differs from the site's. */
  lang?: string;
  image?: LeadImage;
  /**
   * The other images the body shows, in document order, each once (the lead image left out), with the alt text,
   * caption and credit its markup gives them: Media RSS content of the item. Absent in articles stored before it was.
   */
  inlineImages?: readonly LeadImage[];
  /** Plain-text summary. */
  summary: string;
  /**
   * Sanitised HTML of the full content with absolute URLs: the dateline, the body's first block, the lead figure, the
   * rest of the body (readers that excerpt the content start with the article's words, not the caption).
   */
  html: string;
}

/** The feed formats, a closed set: every map keyed by format is complete, so a missing self link cannot compile. */
export type FormatId = "rss" | "atom" | "json";

/**
 * How a feed carries each article: `full` (the whole content) or `excerpt` (the summary and the lead image, no
 * content), as FEED_CONTENT or a partner's `feed.content` asks.
 */
export type FeedContent = "full" | "excerpt";

/** How a feed document carries its items: whole or as excerpts, and the query its items' links on this site get. */
export interface FeedVariant {
  content: FeedContent;
  /** FEED_LINK_QUERY or a partner's `feed.utm` (src/core/link-query.ts), `{format}` still in it; none: links as stored. */
  linkQuery?: string;
}

/** One URL per format: a feed document's address in each of them. */
export type FormatUrls = Readonly<Record<FormatId, string>>;

/** What a feed document says about itself, the same for every format; each renderer picks what its format can say. */
export interface FeedHead {
  title: string;
  description: string;
  language: string;
  /** The HTML page this feed belongs to (RSS `link`, Atom `link rel="alternate"`, JSON Feed `home_page_url`). */
  homeUrl: string;
  /** The site's own URL with a trailing slash: the base of category schemes, the same in every document. */
  siteUrl: string;
  /** This document's address in each format (self links). */
  self: FormatUrls;
  /** A stable identifier of the feed: the subscription document's Atom URL, shared by its archive pages. */
  id: string;
  /** Who publishes the feed: the site. */
  publisher: Author;
  /** Links between the pages of an archived feed (RFC 5005 §4), when this document is part of one. */
  paging?: FeedPaging;
  /** WebSub hubs that deliver this feed (W3C WebSub §4); empty when none is configured. */
  hubs: readonly string[];
  /** A CSS stylesheet for people who open the document in a browser (XML formats write a processing instruction). */
  stylesheet?: string;
  /** The publisher's square icon (absolute URL). */
  icon?: string;
  /** The publisher's logo (absolute URL). */
  logo?: string;
  /** The rights statement, plain text. */
  rights?: string;
}

/** A feed to render: its head, the newest `updated` of its items, and the items. */
export interface Feed {
  head: FeedHead;
  /** Newest `updated` among the items; the Unix epoch for an empty feed, so output stays deterministic. */
  updated: Date;
  items: readonly Article[];
}

/** Where a feed document sits in its archived feed set (RFC 5005 §4). */
export interface FeedPaging {
  /** The subscription document, on archive pages (`current`). */
  current?: FormatUrls;
  /** The next older archive page (`prev-archive`; JSON Feed `next_url`). */
  prev?: FormatUrls;
  /** The next newer archive page (`next-archive`). */
  next?: FormatUrls;
  /** A full archive page: its items never change as new articles arrive (RFC 5005 `fh:archive`). */
  archived: boolean;
}
