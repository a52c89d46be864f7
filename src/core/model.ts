// The format-neutral model every renderer reads: plain facts about articles and feeds, no format vocabulary.

export interface Author {
  /** The key in authors.yaml, or the slug of a free-form name. */
  key: string;
  name: string;
  email?: string;
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
  published: Date;
  /** `updated`, or else `published`. */
  updated: Date;
  authors: readonly Author[];
  section?: string;
  tags: readonly string[];
  dateline?: string;
  /** BCP 47 language, only when it differs from the site's. */
  lang?: string;
  image?: LeadImage;
  /** Plain-text summary. */
  summary: string;
  /** Sanitised HTML of the full content with absolute URLs, lead figure first. */
  html: string;
}

/** A feed to render: the same for every format; each renderer picks what its format can say. */
export interface Feed {
  title: string;
  description: string;
  language: string;
  /** The HTML page this feed belongs to. */
  homeUrl: string;
  /** Absolute URL of this feed in each format, keyed by format id (`rss`, `atom`, `json`). */
  urls: Readonly<Record<string, string>>;
  /** A stable identifier of the feed (its home URL plus its path). */
  id: string;
  /** Newest `updated` among the items; the Unix epoch for an empty feed, so output stays deterministic. */
  updated: Date;
  publisher: Author;
  items: readonly Article[];
  /** Links between the pages of an archived feed (RFC 5005 §4), when this feed is part of one. */
  paging?: FeedPaging;
  /** WebSub hubs that deliver this feed (W3C WebSub §4); absent or empty when none is configured. */
  hubs?: readonly string[];
}

/** Where a feed document sits in its archived feed set (RFC 5005 §4); every URL map is keyed by format id. */
export interface FeedPaging {
  /** The subscription document, on archive pages (`current`). */
  current?: Readonly<Record<string, string>>;
  /** The next older archive page (`prev-archive`; JSON Feed `next_url`). */
  prev?: Readonly<Record<string, string>>;
  /** The next newer archive page (`next-archive`). */
  next?: Readonly<Record<string, string>>;
  /** A full archive page: its items never change as new articles arrive (RFC 5005 `fh:archive`). */
  archived: boolean;
}
