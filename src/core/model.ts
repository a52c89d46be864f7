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
}
