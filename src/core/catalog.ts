// What the app asks about the content, always asynchronously, so that an in-memory catalog (tests, the CLI) and a
// database at the edge (D1) answer alike: facets, what is published at a given instant and in what
// order, each article's rendered parts, images and partner settings.
import type { ArticleRecord } from "./article.ts";
import type { ContentIssue } from "./errors.ts";
import type { ImageFacts } from "./images.ts";
import type { Article, FormatId } from "./model.ts";
import type { PartnerRegistry } from "./partners.ts";
import type { PathQuery, PathRow } from "./redirects.ts";

/**
 * The kinds of facet an article is filed under; each has its own feeds and pages. An article is in one language list,
 * its `lang` (else SITE_LANGUAGE) as `languageOf` (language.ts) groups tags: one feed per language.
 */
export type FacetKind = "sections" | "tags" | "authors" | "languages";

/** Every facet kind, in the order pages, lists and the OPML show them. */
export const FACET_KINDS: readonly FacetKind[] = ["sections", "tags", "authors", "languages"];

/** A section, tag or author. */
export interface Facet {
  readonly kind: FacetKind;
  /** URL form: `slugify(name)` for sections and tags, the authors.yaml key (or the name's slug) for authors. */
  readonly slug: string;
  /** The name as first written in the published articles. */
  readonly name: string;
}

/** A feed's subject: the whole site, or one facet. */
export type Scope = { readonly kind: "home" } | Facet;

export const HOME: Scope = { kind: "home" };

/**
 * The list of every publishable article, whatever feeds it is in: what sitemaps count and the site's next release
 * is read from. An article with `main_feed: false` is in it but not in the site's own list (`home`). It has no feed
 * or page of its own.
 */
export type AllScope = { readonly kind: "all" };

export const ALL: AllScope = { kind: "all" };

/** A list the catalog can be asked about: a feed's scope, or every article. */
export type ListScope = Scope | AllScope;

/** The entries a feed document lists: the newest N, or the oldest-first positions [from, to) of an archive page. */
export type WindowRows = { readonly newest: number } | { readonly from: number; readonly to: number };

/** A feed document's reads from the catalog (`Catalog.window`). */
export interface FeedWindow {
  /** Articles of the scope published at `now`. */
  count: number;
  /**
   * Positions of the scope's list taken at `now`: its articles out, and the positions of articles removed since they
   * came out (a removal leaves its position taken, so no later article moves). Archive pages and sitemap files are
   * counted in positions; without removals it is `count`.
   */
  positions: number;
  entries: readonly Entry[];
  /** The scope's first publication after `now`. */
  nextRelease?: Date;
  /** The site's first publication after `now`. */
  siteNextRelease?: Date;
}

/**
 * A list as storage keys it, and as publishing and WebSub name it: `home`, `sections/{slug}`, `tags/{slug}`,
 * `authors/{key}`, `languages/{language}`, or `all` (no feed of its own).
 */
export type ScopeKey = string;

/** The key of a list. */
export function scopeKey(scope: { kind: "home" } | { kind: "all" } | { kind: FacetKind; slug: string }): ScopeKey {
  return "slug" in scope ? `${scope.kind}/${scope.slug}` : scope.kind;
}

/** What a key names: the site, or a facet's kind and slug; undefined for anything that is no feed's key (`all` included). */
export function parseScopeKey(key: ScopeKey): { kind: "home" } | { kind: FacetKind; slug: string } | undefined {
  if (key === "home") return { kind: "home" };
  const slash = key.indexOf("/");
  const kind = key.slice(0, slash) as FacetKind;
  return slash > 0 && FACET_KINDS.includes(kind) ? { kind, slug: key.slice(slash + 1) } : undefined;
}

/** The feed folder (relative to the site URL) of a scope key: `` for `home`, `sections/energy/` for a section. */
export function scopeKeyPath(key: ScopeKey): string | undefined {
  const scope = parseScopeKey(key);
  if (!scope) return undefined;
  return scope.kind === "home" ? "" : `${scope.kind}/${encodeURIComponent(scope.slug)}/`;
}

/** An article as lists hold it: enough to select, page and version a feed without reading the article. */
export interface Entry {
  readonly slug: string;
  readonly published: Date;
  /** `updated`, or else `published`. */
  readonly updated: Date;
  /** Changes whenever anything that shapes the article's output changes: a hash of its whole record. */
  readonly fingerprint: string;
}

/** The order of every list: newest publication first, ties by slug, so every catalog pages alike. */
export function compareEntries(a: Pick<Entry, "slug" | "published">, b: Pick<Entry, "slug" | "published">): number {
  return b.published.getTime() - a.published.getTime() || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
}

/** A stored item part: a format's whole items (`rss`), or its excerpt items (`rss-excerpt`). */
export type ItemPart = FormatId | `${FormatId}-excerpt`;

/** A format's item writer, as the core sees it (the formats registry provides them): whole items, or excerpts. */
export interface ItemWriter {
  readonly id: FormatId;
  /** The part its items are stored as, written when an article is published. */
  readonly part: ItemPart;
  renderItem(article: Article): string;
}

/** An article found by slug, with the problems `npm run check` reports for its file. */
export interface FoundArticle {
  entry: Entry;
  /** A publishable article's without its markdown body (`body` is ""); a draft's whole (src/core/article.ts, recordAsStored). */
  record: ArticleRecord;
  warnings: readonly ContentIssue[];
}

/** A local image that articles use: its facts, and the first instant an article using it is published. */
export interface StoredImage {
  facts: ImageFacts;
  release: Date;
}

export interface Catalog {
  /**
   * The facet a URL segment names (its slug, or another spelling of it that slugifies to the same) if it is public at
   * `now`. A facet only embargoed articles use is not found, by the same one read as a name that does not exist, so
   * neither the answer nor the work tells them apart.
   */
  facet(kind: FacetKind, requested: string, now: Date): Promise<Facet | undefined>;
  /** Facets of `kind` with at least one article published at `now` (a story still under embargo reveals none), by slug. */
  publicFacets(kind: FacetKind, now: Date): Promise<readonly Facet[]>;
  /** Whether anything in the scope is published at `now`. */
  isPublic(scope: ListScope, now: Date): Promise<boolean>;
  /** How many articles of the scope are published at `now`. */
  countPublished(scope: ListScope, now: Date): Promise<number>;
  /** The newest `limit` articles of the scope published at `now`, newest first. */
  newest(scope: ListScope, now: Date, limit: number): Promise<readonly Entry[]>;
  /**
   * The scope's articles published at `now` at positions [from, to), counted from the first article listed in it
   * (src/core/publish/lists.ts), newest first. An article keeps its position once it is out: articles published later,
   * back-dated ones included, take new positions, and a removed article leaves its position empty.
   */
  slice(scope: ListScope, now: Date, from: number, to: number): Promise<readonly Entry[]>;
  /** The first publication after `now`, in the scope, or anywhere on the site (`ALL`) when no scope is given. */
  nextRelease(now: Date, scope?: ListScope): Promise<Date | undefined>;
  /**
   * What a feed document is planned from, read together (one round trip to D1): `countPublished`, then `newest` or
   * `slice` as `rows` asks, `nextRelease` in the scope and `nextRelease` anywhere, each exactly as those methods answer.
   */
  window(scope: ListScope, now: Date, rows: WindowRows): Promise<FeedWindow>;
  /** Each entry's rendered article (markdown to sanitised HTML, summary, lead figure), in the same order. */
  articles(entries: readonly Entry[]): Promise<readonly Article[]>;
  /**
   * Each entry's item as `writer` writes it (one format, whole or excerpt), in the same order: as stored when the
   * article was published, or written again from the stored article where the stored one is of an older revision or
   * was never written (an article stored before excerpts were).
   */
  items(entries: readonly Entry[], writer: ItemWriter): Promise<readonly string[]>;
  /**
   * The publishable article with this slug, published or not yet; with `drafts`, a draft of that slug otherwise. With
   * `publishedBy`, only an article published by that instant: one still under embargo is not found, by the same one
   * read as a slug that does not exist (no record is read for it), so pages cannot tell them apart by their timing.
   */
  find(slug: string, options?: { drafts?: boolean; publishedBy?: Date }): Promise<FoundArticle | undefined>;
  /** A local image that a publishable article uses (path relative to the content root, e.g. `images/x.jpg`). */
  image(path: string): Promise<StoredImage | undefined>;
  /** A local image's bytes. */
  imageBytes(path: string): Promise<Uint8Array | undefined>;
  /** The partners allowed to embed headlines (partners.yaml). */
  partners(): Promise<PartnerRegistry>;
  /**
   * What a path no route answers may lead to (src/core/redirects.ts: an old URL of an article, a deleted article's, the
   * permalink rule's slug), read with the site's next release, which bounds how long any answer about the path may be
   * kept: one round trip to D1. An article not yet out at `now` is never found, by the same one read as a path that
   * leads nowhere (no row is returned for it), so an embargoed article's old URL reveals nothing.
   */
  lookupPath(query: PathQuery, now: Date): Promise<{ rows: readonly PathRow[]; nextRelease?: Date }>;
}

/** Whether an article is out at `now`: drafts never are, others from their publication time. */
export function statusAt(found: FoundArticle, now: Date): "published" | "embargoed" | "draft" {
  if (found.record.draft) return "draft";
  return found.entry.published.getTime() <= now.getTime() ? "published" : "embargoed";
}
