// The one definition of a feed document: which feeds exist (the site, a section, a tag, an author; subscription
// document or archive page), what each holds, how it links, and the version that names its bytes; all decided from
// the catalog's entries, before anything is rendered. Routes, export, WebSub, previews and tests all plan here.
import { publisherOf } from "./authors.ts";
import { type Catalog, type Entry, FACET_KINDS, type Facet, type FacetKind, HOME, type Scope } from "./catalog.ts";
import { hashText } from "./hash.ts";
import { languageAutonym, languageName } from "./language.ts";
import type { FeedHead, FeedPaging, FeedVariant, FormatId, FormatUrls } from "./model.ts";
import type { Partner, PartnerFeed } from "./partners.ts";
import type { SiteSettings } from "./settings.ts";

/** The file each format is served as, in every feed folder. */
export const FEED_FILES: { readonly [K in FormatId]: string } = { rss: "rss.xml", atom: "atom.xml", json: "feed.json" };

/**
 * Where the stylesheet for people opening an XML feed in a browser is served, under the site URL: a static asset at a
 * stable address, cached for an hour (src/node/build-assets.ts). Not a fingerprinted one: the address is part of every
 * feed's bytes and version, so a stylesheet edit would change every feed's ETag (every reader fetching every feed
 * again) and be an OUTPUT_REVISION change, for a file only people opening a feed in a browser load.
 */
export const FEED_STYLESHEET_PATH = "/feed.css";

/** Absolute URLs of one feed document in every format, under `base` (a URL ending in `/`). */
export function feedUrls(base: string): FormatUrls {
  return { rss: base + FEED_FILES.rss, atom: base + FEED_FILES.atom, json: base + FEED_FILES.json };
}

/** The folder of a scope's feeds relative to the site URL: `` for the site, `sections/energy/` for a section. */
export function scopePath(scope: Scope): string {
  return scope.kind === "home" ? "" : `${scope.kind}/${encodeURIComponent(scope.slug)}/`;
}

/** The folder of a partner's own feeds relative to the site URL (`partners/acme/`), under which every scope's folder is. */
export function partnerPath(key: string): string {
  return `partners/${encodeURIComponent(key)}/`;
}

/** The heading of each kind of facet in lists of feeds (the index page, the OPML). */
export const GROUP_TITLES: { readonly [K in FacetKind]: string } = {
  sections: "Sections",
  tags: "Tags",
  authors: "Authors",
  languages: "Languages",
};

/**
 * The facets of `kind` that lists of feeds show at `now` (the index page, the OPML, the sitemaps, autodiscovery): every
 * public one, by slug; languages only once the site has articles out in more than one, since a site in one language
 * has one language feed, the site's own. A language feed still answers at its address either way: a subscriber's feed
 * does not vanish when the last article of the other language is deleted.
 */
export async function listedFacets(catalog: Catalog, kind: FacetKind, now: Date): Promise<readonly Facet[]> {
  const facets = await catalog.publicFacets(kind, now);
  return kind === "languages" && facets.length < 2 ? [] : facets;
}

/** Every scope a reader can subscribe to at `now`, as lists of feeds show them: the site, then each kind's listed facets. */
export async function publicScopes(catalog: Catalog, now: Date): Promise<Scope[]> {
  const facets = await Promise.all(FACET_KINDS.map((kind) => listedFacets(catalog, kind, now)));
  return [HOME, ...facets.flat()];
}

/** Title and description of a scope's feeds. */
export function describeScope(scope: Scope, site: SiteSettings): { title: string; description: string } {
  switch (scope.kind) {
    case "home":
      return { title: site.title, description: site.description };
    case "sections":
      return { title: `${site.title}: ${scope.name}`, description: `Articles in the section “${scope.name}” from ${site.title}.` };
    case "tags":
      return { title: `${site.title}: tagged “${scope.name}”`, description: `Articles tagged “${scope.name}” from ${site.title}.` };
    case "authors":
      return { title: `${site.title}: ${scope.name}`, description: `Articles by ${scope.name} from ${site.title}.` };
    case "languages": {
      // The language by its own name in the title (what a reader of it looks for), and in English in the description.
      const own = languageAutonym(scope.name);
      const english = languageName(scope.name, "en");
      const named = english === own ? own : `${english} (${own})`;
      return { title: `${site.title}: ${own}`, description: `Articles in ${named} from ${site.title}.` };
    }
  }
}

/** The name people read for a facet: its name, or a language's own name for itself (`فارسی`, `English`). */
export function facetLabel(facet: Facet): string {
  return facet.kind === "languages" ? languageAutonym(facet.name) : facet.name;
}

/** The language a scope's feeds declare: a language list's own, else the site's (SITE_LANGUAGE). */
export function scopeLanguage(scope: Scope, site: SiteSettings): string {
  return scope.kind === "languages" ? scope.name : site.language;
}

/**
 * Number of archive pages for a list of `positions` (FeedWindow.positions): every full page, plus the open newest page
 * (partial, possibly empty). Because the page after a full one always exists, a full page's `next-archive` link never
 * has to appear later: its bytes stay the same once it is full.
 */
export function archivePageCount(positions: number, pageSize: number): number {
  return Math.floor(positions / pageSize) + 1;
}

/**
 * Archive page `page` (1-based, counted from the first position) as positions [from, to). New articles, back-dated ones
 * included, only ever take positions on the last page, so a full page keeps its articles forever (RFC 5005 §4: archive
 * documents do not change; src/core/publish/lists.ts). Undefined when there is no such page (yet).
 */
export function archiveRange(positions: number, pageSize: number, page: number): { from: number; to: number } | undefined {
  if (!Number.isInteger(page) || page < 1 || page > archivePageCount(positions, pageSize)) return undefined;
  return { from: (page - 1) * pageSize, to: Math.min(positions, page * pageSize) };
}

export interface FeedRequest {
  scope: Scope;
  /** An archive page number; absent for the subscription document. */
  page?: number;
  /** Items in the subscription document; the site's `feedItems` when absent. Archive pages ignore it. */
  limit?: number;
  /** The partner whose own feed this is (partners.yaml `feed:`), at /partners/{key}/…; the site's feed when absent. */
  partner?: Pick<Partner, "key"> & { feed: PartnerFeed };
}

/** Everything about one feed document that is known before rendering. */
export interface FeedPlan {
  head: FeedHead;
  /** The document's articles, newest first, as the catalog lists them. */
  entries: readonly Entry[];
  /** The newest `updated` among the entries; the Unix epoch for an empty document. */
  updated: Date;
  /** The same as HTTP Last-Modified; undefined for an empty document. */
  lastModified?: Date;
  /** A full archive page, whose items never change as articles are published. */
  archived: boolean;
  /** When this document next changes because an embargoed article in its scope comes out. */
  nextChange?: Date;
  /** The site's next publication (what Cache-Control hints are cut at: site-wide, so they reveal no scope's schedule). */
  siteNextRelease?: Date;
  /** Articles of the scope published at `now` (none: a facet that is not public yet). */
  count: number;
  /** How its items are written: whole or as excerpts, with or without a query on their links. */
  variant: FeedVariant;
  /**
   * Names the document's bytes in every format (with the output revision, which the formats hold): a hash of the head,
   * of each entry's fingerprint and of the variant (left out when it is the plain one: whole items, links as stored, so
   * the versions of feeds that use neither stay what they were), exactly what the renderers read. Settings that shape
   * no byte (cache lifetimes, secrets) are not in it, so they never change an ETag.
   */
  version: string;
}

/** Plans a feed document; undefined when the archive page does not exist (yet). */
export async function planFeed(catalog: Catalog, site: SiteSettings, now: Date, request: FeedRequest): Promise<FeedPlan | undefined> {
  const { scope, page, partner } = request;
  // A partner's feed is the scope's feed under the partner's folder: its own addresses, archive and identity.
  const base = `${site.url}/${partner ? partnerPath(partner.key) : ""}${scopePath(scope)}`;
  const pageUrls = (n: number): FormatUrls => feedUrls(`${base}archive/${n}/`);
  const size = site.archiveItems;
  if (page !== undefined && !(Number.isInteger(page) && page >= 1 && page * size <= Number.MAX_SAFE_INTEGER)) return undefined;
  // Every read at once (one round trip): an archive page's positions do not depend on the count, only its existence does.
  const window = await catalog.window(
    scope,
    now,
    page === undefined ? { newest: request.limit ?? site.feedItems } : { from: (page - 1) * size, to: page * size },
  );
  const { count, positions } = window;
  const pages = archivePageCount(positions, size);

  const entries = window.entries;
  let self: FormatUrls;
  let paging: FeedPaging;
  if (page === undefined) {
    self = feedUrls(base);
    paging = { prev: pageUrls(pages), archived: false };
  } else {
    if (!archiveRange(positions, size, page)) return undefined;
    self = pageUrls(page);
    paging = {
      current: feedUrls(base),
      ...(page > 1 ? { prev: pageUrls(page - 1) } : {}),
      ...(page < pages ? { next: pageUrls(page + 1) } : {}),
      // Every position of the page is taken by an article out (or one removed since): none can come.
      archived: page * size <= positions,
    };
  }
  const { title, description } = describeScope(scope, site);
  const head: FeedHead = {
    title,
    description,
    language: scopeLanguage(scope, site),
    // The scope's HTML page (`/`, `/sections/energy/`): where a reader's "visit website" link should lead.
    homeUrl: `${site.url}/${scopePath(scope)}`,
    siteUrl: `${site.url}/`,
    self,
    // Every page of an archived feed set shares the subscription document's identity.
    id: paging.current?.atom ?? self.atom,
    publisher: publisherOf(site),
    paging,
    // Only the site's subscription documents are WebSub topics: archive pages do not change in ways a subscriber needs
    // pushed, and a partner's feeds are polled (announcing them would multiply every publish's hub requests).
    hubs: site.websubHub && page === undefined && !partner ? [site.websubHub] : [],
    stylesheet: site.url + FEED_STYLESHEET_PATH,
    ...(site.icon ? { icon: site.icon } : {}),
    ...(site.logo ? { logo: site.logo } : {}),
    ...(site.rights ? { rights: site.rights } : {}),
  };
  const lastModified = entries.reduce<Date | undefined>((max, e) => (!max || e.updated > max ? e.updated : max), undefined);
  const archived = paging.archived;
  const linkQuery = partner?.feed.linkQuery ?? site.feedLinkQuery;
  const variant: FeedVariant = { content: partner?.feed.content ?? site.feedContent, ...(linkQuery ? { linkQuery } : {}) };
  const plain = variant.content === "full" && variant.linkQuery === undefined;
  return {
    head,
    entries,
    updated: lastModified ?? new Date(0),
    lastModified,
    archived,
    nextChange: archived ? undefined : window.nextRelease,
    siteNextRelease: window.siteNextRelease,
    count,
    variant,
    version: hashText(canonicalJson({ head, items: entries.map((e) => e.fingerprint), ...(plain ? {} : { variant }) })),
  };
}

/** JSON with object keys sorted, so a hash of it depends on the values only, never on the order code built them in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
