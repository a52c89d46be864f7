// Which feeds exist and what goes into each (the site, a section, a tag, an author; subscription or archive page),
// decided without rendering anything, plus the content version that names the bytes a feed will have.
import type { ArticleRecord } from "./article.ts";
import { type ArticleEntry, type Catalog, type FacetKind, firstPublishedIndex, nextRelease } from "./catalog.ts";
import type { FeedOptions } from "./feed.ts";
import { hashText } from "./hash.ts";
import type { FeedPaging } from "./model.ts";
import type { SiteSettings } from "./settings.ts";
import { slugify } from "./text.ts";

export type ScopeKind = "home" | FacetKind;

/** A feed's subject: the whole site, or one section, tag or author. */
export interface FeedScope<E extends ArticleEntry = ArticleRecord> {
  kind: ScopeKind;
  /** The URL slug (empty for the site). */
  slug: string;
  name: string;
  /** Its articles, newest first, embargoed ones included. */
  list: readonly E[];
  /** Path of the feed folder relative to the site URL: `` for the site, `sections/energy/` for a section. */
  path: string;
}

/** Absolute URL of a feed in every format, given the folder URL (ending in `/`). */
export type FeedUrlsOf = (base: string) => Record<string, string>;

export const FACET_KINDS: readonly FacetKind[] = ["sections", "tags", "authors"];

export function siteScope<E extends ArticleEntry>(catalog: Catalog<E>, site: SiteSettings): FeedScope<E> {
  return { kind: "home", slug: "", name: site.title, list: catalog.articles, path: "" };
}

/**
 * The section, tag or author a URL segment names, or undefined. Sections and tags are matched by their slug form
 * (`slugify`: lowercase letters and digits of any script, anything else one hyphen), authors by their authors.yaml
 * key; a name spelled any other way that slugifies to a known slug matches too (the route then redirects to it).
 */
export function findScope<E extends ArticleEntry>(catalog: Catalog<E>, kind: FacetKind, requested: string): FeedScope<E> | undefined {
  const facets = catalog.facets[kind];
  const facet = facets.get(requested) ?? facets.get(slugify(requested));
  if (!facet) return undefined;
  return { kind, slug: facet.slug, name: facet.name, list: facet.articles, path: `${kind}/${encodeURIComponent(facet.slug)}/` };
}

/** True when at least one of the scope's articles is published at `now` (a facet of only embargoed articles is hidden). */
export function isPublicScope<E extends ArticleEntry>(catalog: Catalog<E>, scope: FeedScope<E>, now: Date): boolean {
  return scope.kind === "home" || firstPublishedIndex(catalog, now, scope.list) < scope.list.length;
}

/** Every feed a reader can subscribe to at `now`: the site's, then public sections, tags and authors by slug. */
export function publicScopes<E extends ArticleEntry>(catalog: Catalog<E>, site: SiteSettings, now: Date): FeedScope<E>[] {
  const scopes = [siteScope(catalog, site)];
  for (const kind of FACET_KINDS) {
    for (const slug of [...catalog.facets[kind].keys()].sort()) {
      const scope = findScope(catalog, kind, slug)!;
      if (isPublicScope(catalog, scope, now)) scopes.push(scope);
    }
  }
  return scopes;
}

/** Title and description of a scope's feeds. */
export function describeScope(scope: FeedScope<ArticleEntry>, site: SiteSettings): { title: string; description: string } {
  switch (scope.kind) {
    case "home":
      return { title: site.title, description: site.description };
    case "sections":
      return { title: `${site.title}: ${scope.name}`, description: `Articles in the section “${scope.name}” from ${site.title}.` };
    case "tags":
      return { title: `${site.title}: tagged “${scope.name}”`, description: `Articles tagged “${scope.name}” from ${site.title}.` };
    case "authors":
      return { title: `${site.title}: ${scope.name}`, description: `Articles by ${scope.name} from ${site.title}.` };
  }
}

/**
 * Number of archive pages for `count` published articles: every full page, plus the open newest page (partial, possibly
 * empty). Because the page after a full one always exists, a full page's `next-archive` link never has to appear later:
 * its bytes stay the same once it is full.
 */
export function archivePageCount(count: number, pageSize: number): number {
  return Math.floor(count / pageSize) + 1;
}

/**
 * Archive page `page` (1-based, counted from the oldest article) of `published` (newest first): the articles at
 * oldest-first positions [(page-1)·size, page·size), newest first. New articles only ever add to the last page, so a
 * full page keeps its articles forever (RFC 5005 §4: archive documents do not change).
 */
export function archivePage<E>(published: readonly E[], pageSize: number, page: number): readonly E[] {
  const n = published.length;
  return published.slice(Math.max(0, n - page * pageSize), n - (page - 1) * pageSize);
}

export interface FeedRequest<E extends ArticleEntry = ArticleRecord> {
  scope: FeedScope<E>;
  /** An archive page number; absent for the subscription document. */
  page?: number;
  /** Items in the subscription document; the site's `feedItems` when absent. Archive pages ignore it. */
  limit?: number;
}

/** Everything about one feed document that is known before rendering. */
export interface FeedPlan {
  /** The input of `buildFeed`; rendering it is the only expensive step left. */
  options: FeedOptions;
  /** The newest `updated` among the feed's own items (HTTP Last-Modified); undefined for an empty feed. */
  lastModified?: Date;
  /** Changes whenever any format's bytes for this document would change (the same for every format). */
  version: string;
  /** A full archive page, whose items never change as articles are published. */
  archived: boolean;
  /** When this document next changes because an embargoed article in its scope is published. */
  nextChange?: Date;
}

const fingerprints = new WeakMap<ArticleRecord, string>();

/** A hash of everything in a record (body, dates, authors, image facts): the same record renders the same item. */
export function recordFingerprint(record: ArticleRecord): string {
  let print = fingerprints.get(record);
  if (print === undefined) {
    print = hashText(JSON.stringify(record));
    fingerprints.set(record, print);
  }
  return print;
}

/**
 * What a feed document holds, decided from the catalog's entries alone: which articles (not yet loaded) and the
 * document's links. An indexed catalog loads just these articles before `completePlan`.
 */
export interface FeedSelection<E extends ArticleEntry = ArticleRecord> {
  entries: readonly E[];
  options: Omit<FeedOptions, "records">;
  archived: boolean;
  nextChange?: Date;
}

/** Selects a feed document's articles and links; undefined when the archive page does not exist (yet). */
export function selectFeed<E extends ArticleEntry>(
  catalog: Catalog<E>,
  site: SiteSettings,
  now: Date,
  request: FeedRequest<E>,
  urlsOf: FeedUrlsOf,
): FeedSelection<E> | undefined {
  const { scope } = request;
  const base = `${site.url}/${scope.path}`;
  const start = firstPublishedIndex(catalog, now, scope.list);
  const count = scope.list.length - start;
  const pages = archivePageCount(count, site.archiveItems);
  const pageUrls = (n: number): Record<string, string> => urlsOf(`${base}archive/${n}/`);
  const { title, description } = describeScope(scope, site);
  // Only subscription documents are WebSub topics; archive pages do not change in ways a subscriber needs pushed.
  const hubs = site.websubHub && request.page === undefined ? [site.websubHub] : [];

  let entries: readonly E[];
  let paging: FeedPaging | undefined;
  let archived = false;
  let urls: Record<string, string>;
  if (request.page === undefined) {
    entries = scope.list.slice(start, start + (request.limit ?? site.feedItems));
    urls = urlsOf(base);
    paging = { prev: pageUrls(pages), archived: false };
  } else {
    const page = request.page;
    if (!Number.isInteger(page) || page < 1 || page > pages) return undefined;
    // Pages count from the oldest published article, so the published part of the list is viewed, not copied.
    const n = scope.list.length;
    entries = scope.list.slice(Math.max(start, n - page * site.archiveItems), n - (page - 1) * site.archiveItems);
    archived = entries.length === site.archiveItems;
    urls = pageUrls(page);
    paging = {
      current: urlsOf(base),
      ...(page > 1 ? { prev: pageUrls(page - 1) } : {}),
      ...(page < pages ? { next: pageUrls(page + 1) } : {}),
      archived,
    };
  }
  const options = { site, urls, title, description, paging, hubs };
  return { entries, options, archived, nextChange: archived ? undefined : nextRelease(catalog, now, scope.list) };
}

/** The plan of a selection, given the full records of its entries (in the same order). */
export function completePlan(selection: FeedSelection<ArticleEntry>, records: readonly ArticleRecord[]): FeedPlan {
  const { site, urls, title, description, paging, hubs } = selection.options;
  // The key order is part of the version hash below: keep it as it has always been.
  const options: FeedOptions = { site, records, urls, title, description, paging, hubs };
  const lastModified = records.reduce<Date | undefined>((max, r) => (!max || r.updated > max ? r.updated : max), undefined);
  // Cache lifetimes do not change the bytes, so they stay out of the version (and out of ETags and WebSub state).
  const version = hashText(JSON.stringify({ ...options, site: { ...site, cache: undefined }, records: records.map(recordFingerprint) }));
  return { options, lastModified, version, archived: selection.archived, nextChange: selection.nextChange };
}

/** Plans a feed document of a catalog that holds full records; undefined when the archive page does not exist (yet). */
export function planFeed(catalog: Catalog, site: SiteSettings, now: Date, request: FeedRequest, urlsOf: FeedUrlsOf): FeedPlan | undefined {
  const selection = selectFeed(catalog, site, now, request, urlsOf);
  return selection && completePlan(selection, selection.entries);
}
