// A catalog held in memory over a content tree loaded whole: for unit tests and the CLI (`npm run export`).
import type { ContentSource } from "../sources/source.ts";
import { aliasKey } from "./aliases.ts";
import { type ArticleRecord, fingerprintRecord, recordAsStored } from "./article.ts";
import {
  ALL,
  type Catalog,
  type Entry,
  FACET_KINDS,
  type Facet,
  type FacetKind,
  type FoundArticle,
  type ItemWriter,
  type ListScope,
  parseScopeKey,
  type StoredImage,
} from "./catalog.ts";
import { type LoadedContent, loadContent } from "./content.ts";
import { type ContentIssue, formatIssue } from "./errors.ts";
import { createMemo, stringBytes } from "./memo.ts";
import type { Article } from "./model.ts";
import type { PartnerRegistry } from "./partners.ts";
import { ALL_SCOPE, HOME_SCOPE, membershipsOf } from "./publish/publication.ts";
import type { PathRow } from "./redirects.ts";
import { renderArticle } from "./render.ts";
import type { SiteSettings } from "./settings.ts";
import { slugify } from "./text.ts";

export interface MemoryCatalogOptions {
  /**
   * Bytes of rendered articles and items kept for reuse, keyed by record fingerprint (so an edited article is never
   * served from an old rendering). Rendering is the costly step; this keeps a hot feed's items rendered once.
   */
  renderBudget?: number;
}

/** 24 MB: every item of a busy site's hot feeds several times over, well inside a 128 MB Workers isolate. */
export const DEFAULT_RENDER_BUDGET = 24 * 1024 * 1024;

/** What a listed catalog is made of: every list in memory, the articles themselves read on demand. */
export interface CatalogParts {
  /** Every publishable article, newest first (`compareEntries`), embargoed ones included: the `all` list. */
  all: readonly Entry[];
  /** The site's own list (its main feeds): `all` less the articles that say `main_feed: false`. */
  home: readonly Entry[];
  /** Each facet's articles in the same order. */
  facets: Readonly<Record<FacetKind, ReadonlyMap<string, { facet: Facet; list: readonly Entry[] }>>>;
  /** A publishable article's record. */
  record(slug: string): Promise<ArticleRecord | undefined>;
  /** A draft's record, where drafts are kept. */
  draft(slug: string): Promise<ArticleRecord | undefined>;
  /** What `npm run check` reports for a file. */
  warnings(file: string): readonly ContentIssue[];
  images: ReadonlyMap<string, StoredImage>;
  imageBytes(path: string): Promise<Uint8Array | undefined>;
  partners: PartnerRegistry;
  /** Each alias's key (src/core/redirects.ts) → the slug of the article claiming it. Content loaded whole has no history. */
  aliases?: ReadonlyMap<string, string>;
}

/**
 * Newest-first lists of entries per scope, with each facet's articles: the lists publishing files each record in
 * (`membershipsOf`), so content loaded whole lists exactly as a store does. `records` are newest first.
 */
export function listEntries(records: readonly ArticleRecord[], siteLanguage: string): Pick<CatalogParts, "all" | "home" | "facets"> {
  const all: Entry[] = [];
  const home: Entry[] = [];
  const facets = Object.fromEntries(FACET_KINDS.map((kind) => [kind, new Map()])) as Record<
    FacetKind,
    Map<string, { facet: Facet; list: Entry[] }>
  >;
  for (const record of records) {
    const entry = entryOf(record);
    for (const { scope, name } of membershipsOf(record, siteLanguage)) {
      if (scope === ALL_SCOPE) all.push(entry);
      else if (scope === HOME_SCOPE) home.push(entry);
      else {
        const named = parseScopeKey(scope);
        if (!named || named.kind === "home") continue;
        let listed = facets[named.kind].get(named.slug);
        if (!listed) {
          // The first spelling seen (in the newest article) names the facet.
          listed = { facet: { kind: named.kind, slug: named.slug, name }, list: [] };
          facets[named.kind].set(named.slug, listed);
        }
        listed.list.push(entry);
      }
    }
  }
  return { all, home, facets };
}

/** A catalog over loaded content; image bytes are read from `source` when asked for. */
export function createMemoryCatalog(content: LoadedContent, source: ContentSource, options: MemoryCatalogOptions = {}): Catalog {
  const records = new Map(content.records.map((r) => [r.slug, r]));
  const drafts = new Map<string, ArticleRecord>();
  for (const record of content.drafts) if (!drafts.has(record.slug)) drafts.set(record.slug, record);
  return createListedCatalog(
    {
      ...listEntries(content.records, content.language),
      record: async (slug) => records.get(slug),
      draft: async (slug) => drafts.get(slug),
      warnings: (file) => [...content.warnings, ...content.issues].filter((i) => i.file === file),
      images: content.images,
      imageBytes: async (path) => (content.images.has(path) ? ((await source.read(path)) ?? undefined) : undefined),
      partners: content.partners,
      aliases: new Map(content.records.flatMap((r) => (r.aliases ?? []).map((alias) => [aliasKey(alias), r.slug] as const))),
    },
    options,
  );
}

/** The catalog of a set of parts: selection over the lists, articles rendered on first use and kept by fingerprint. */
export function createListedCatalog(parts: CatalogParts, options: MemoryCatalogOptions = {}): Catalog {
  const { all, home, facets } = parts;
  const bySlug = new Map(all.map((e) => [e.slug, e]));
  const listOf = (scope: ListScope): readonly Entry[] =>
    scope.kind === "all" ? all : scope.kind === "home" ? home : (facets[scope.kind].get(scope.slug)?.list ?? []);
  const memo = createMemo<Article | string>(options.renderBudget ?? DEFAULT_RENDER_BUDGET);
  const article = async (entry: Entry): Promise<Article> => {
    const hit = memo.get(entry.fingerprint);
    if (hit !== undefined) return hit as Article;
    const record = await parts.record(entry.slug);
    if (!record) throw new Error(`no article "${entry.slug}" in this catalog`);
    const rendered = renderArticle(record);
    memo.set(entry.fingerprint, rendered, stringBytes(rendered.html) + 2048);
    return rendered;
  };

  const catalog: Catalog = {
    async facet(kind, requested, now) {
      const listed = [facets[kind].get(requested), facets[kind].get(slugify(requested))].find(
        (l) => l !== undefined && firstPublished(l.list, now) < l.list.length,
      );
      return listed?.facet;
    },
    async publicFacets(kind, now) {
      return [...facets[kind].values()]
        .filter((listed) => firstPublished(listed.list, now) < listed.list.length)
        .map((listed) => listed.facet)
        .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
    },
    async isPublic(scope, now) {
      const list = listOf(scope);
      return firstPublished(list, now) < list.length;
    },
    async countPublished(scope, now) {
      const list = listOf(scope);
      return list.length - firstPublished(list, now);
    },
    async newest(scope, now, limit) {
      const list = listOf(scope);
      const start = firstPublished(list, now);
      return list.slice(start, start + limit);
    },
    async slice(scope, now, from, to) {
      // Oldest-first position p is index n-1-p of the newest-first list; only the published part counts.
      const list = listOf(scope);
      const n = list.length;
      const begin = Math.max(firstPublished(list, now), n - to);
      const end = n - from;
      return begin < end ? list.slice(begin, end) : [];
    },
    async nextRelease(now, scope = ALL) {
      const list = listOf(scope);
      const start = firstPublished(list, now);
      return start > 0 ? list[start - 1]!.published : undefined;
    },
    async window(scope, now, rows) {
      const [count, entries, nextRelease, siteNextRelease] = await Promise.all([
        catalog.countPublished(scope, now),
        "newest" in rows ? catalog.newest(scope, now, rows.newest) : catalog.slice(scope, now, rows.from, rows.to),
        catalog.nextRelease(now, scope),
        catalog.nextRelease(now),
      ]);
      // Content loaded whole has no history: nothing was removed, so every position holds an article.
      return { count, positions: count, entries, nextRelease, siteNextRelease };
    },
    async articles(entries) {
      return Promise.all(entries.map(article));
    },
    async items(entries, writer: ItemWriter) {
      return Promise.all(
        entries.map(async (entry) => {
          const key = `${entry.fingerprint}/${writer.part}`;
          const hit = memo.get(key);
          if (hit !== undefined) return hit as string;
          const text = writer.renderItem(await article(entry));
          memo.set(key, text, stringBytes(text));
          return text;
        }),
      );
    },
    async find(slug, { drafts = false, publishedBy } = {}): Promise<FoundArticle | undefined> {
      const listed = bySlug.get(slug);
      const entry = listed && (!publishedBy || listed.published <= publishedBy) ? listed : undefined;
      const record = entry ? await parts.record(slug) : drafts && !publishedBy && !listed ? await parts.draft(slug) : undefined;
      if (!record) return undefined;
      return { entry: entry ?? entryOf(record), record: recordAsStored(record), warnings: parts.warnings(record.file) };
    },
    async image(path) {
      return parts.images.get(path);
    },
    imageBytes: (path) => parts.imageBytes(path),
    async partners() {
      return parts.partners;
    },
    async lookupPath(query, now) {
      const out = (slug: string | undefined) => {
        const entry = slug === undefined ? undefined : bySlug.get(slug);
        return entry && entry.published <= now ? entry : undefined;
      };
      const rows: PathRow[] = [];
      for (const path of query.paths) {
        const entry = out(parts.aliases?.get(path));
        if (entry) rows.push({ source: "path", slug: entry.slug, published: entry.published });
      }
      const named = out(query.rule?.slug);
      if (named) rows.push({ source: "rule", slug: named.slug, published: named.published });
      return { rows, nextRelease: await catalog.nextRelease(now) };
    },
  };
  return catalog;
}

export function entryOf(record: ArticleRecord): Entry {
  return { slug: record.slug, published: record.published, updated: record.updated, fingerprint: fingerprintRecord(record) };
}

/**
 * Index of the first article published at `now` in a newest-first list. A binary search, so the cost of a request
 * does not grow with the archive or with the number of embargoed articles.
 */
function firstPublished(list: readonly Entry[], now: Date): number {
  const t = now.getTime();
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.published.getTime() > t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface CatalogFromSourceOptions extends MemoryCatalogOptions {
  /** Where problems with content are reported, once per load. */
  log?: (message: string) => void;
}

/**
 * A catalog over a content source, loaded on first use (once per isolate at the edge). One bad file never takes a
 * feed down: it is left out and reported once. A failed load (the source itself failing) is retried on the next call.
 */
export function catalogFromSource(source: ContentSource, site: SiteSettings, options: CatalogFromSourceOptions = {}): Catalog {
  const log = options.log ?? ((message: string) => console.error(message));
  let pending: Promise<Catalog> | undefined;
  return deferCatalog(() => {
    pending ??= loadContent(source, site).then(
      (content) => {
        for (const issue of content.issues) log(`edge-feeds: skipped content: ${formatIssue(issue)}`);
        return createMemoryCatalog(content, source, options);
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  });
}

/** A catalog whose every call first waits for `load`. */
export function deferCatalog(load: () => Promise<Catalog>): Catalog {
  const call =
    <K extends keyof Catalog>(name: K) =>
    async (...args: unknown[]) => {
      const catalog = await load();
      return (catalog[name] as (...a: unknown[]) => unknown)(...args);
    };
  const methods = {} as Record<keyof Catalog, unknown>;
  for (const name of CATALOG_METHODS) methods[name] = call(name);
  return methods as Catalog;
}

const CATALOG_METHODS = [
  "facet",
  "publicFacets",
  "isPublic",
  "countPublished",
  "newest",
  "slice",
  "nextRelease",
  "window",
  "articles",
  "items",
  "find",
  "image",
  "imageBytes",
  "partners",
  "lookupPath",
] as const satisfies readonly (keyof Catalog)[];

// Every method of Catalog must be listed above: this fails to compile otherwise.
type Unlisted = Exclude<keyof Catalog, (typeof CATALOG_METHODS)[number]>;
const _allListed: Unlisted extends never ? true : never = true;
void _allListed;
