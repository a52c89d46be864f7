// A precomputed archive index, for archives too large to bundle: built once from a loaded catalog, it keeps in memory
// only what selection needs (slug and publication time of every article, facet lists, image facts), and each
// article's full record is a separate file that a request reads only when it returns that article.

import type { ContentSource } from "../sources/source.ts";
import type { ArticleRecord } from "./article.ts";
import type { AuthorRegistry } from "./authors.ts";
import type { ArticleEntry, Catalog, Facet, FacetKind } from "./catalog.ts";
import { ConfigError, type ContentIssue } from "./errors.ts";
import type { ImageFacts } from "./images.ts";
import type { Author } from "./model.ts";
import type { SiteSettings } from "./settings.ts";

export const INDEX_FILE = "index.json";
export const INDEX_FORMAT = "edge-feeds-index/1";
const FACET_KINDS: readonly FacetKind[] = ["sections", "tags", "authors"];

/** The index file. Times are epoch milliseconds; lists of times and positions are delta-encoded to stay small. */
interface IndexDocument {
  format: typeof INDEX_FORMAT;
  /** The settings the records were built with: URLs in them are absolute, so the worker must run with the same. */
  site: { url: string; timeZone: string };
  fileCount: number;
  issues: ContentIssue[];
  warnings: ContentIssue[];
  authors: [string, Author][];
  /** Newest first, as `Catalog.articles`. */
  slugs: string[];
  /** `published[0]` is the newest time; each next value is how much older the next article is. */
  published: number[];
  /** Per kind: [slug, name, positions in `slugs` (first absolute, then gaps)]. */
  facets: Record<FacetKind, [string, string, number[]][]>;
  images: [string, ImageFacts, number][];
}

/** The record file of an article: its slug with anything outside [A-Za-z0-9.-] spelled as `_` and hex UTF-8 bytes. */
export function recordFile(slug: string): string {
  let name = "";
  for (const byte of new TextEncoder().encode(slug)) {
    const c = String.fromCharCode(byte);
    name += /[A-Za-z0-9.-]/.test(c) ? c : "_" + byte.toString(16).padStart(2, "0");
  }
  return `records/${name}.json`;
}

function deltas(values: readonly number[]): number[] {
  return values.map((v, i) => (i === 0 ? v : values[i - 1]! - v));
}

/** The index file and one record file per article, for `catalog` built with `site`. Images are not included. */
export function buildArchiveIndex(catalog: Catalog, site: SiteSettings): Map<string, string> {
  const position = new Map(catalog.articles.map((a, i) => [a, i]));
  const facets = {} as IndexDocument["facets"];
  for (const kind of FACET_KINDS) {
    facets[kind] = [...catalog.facets[kind].values()].map((f) => {
      const at = f.articles.map((a) => position.get(a)!);
      return [f.slug, f.name, at.map((p, i) => (i === 0 ? p : p - at[i - 1]!))];
    });
  }
  const doc: IndexDocument = {
    format: INDEX_FORMAT,
    site: { url: site.url, timeZone: site.timeZone },
    fileCount: catalog.fileCount,
    issues: [...catalog.issues],
    warnings: [...catalog.warnings],
    authors: [...catalog.authors],
    slugs: catalog.articles.map((a) => a.slug),
    published: deltas(catalog.articles.map((a) => a.published.getTime())),
    facets,
    images: [...catalog.images].map(([path, { facts, release }]) => [path, facts, release.getTime()]),
  };
  const files = new Map<string, string>([[INDEX_FILE, JSON.stringify(doc)]]);
  for (const record of catalog.articles) files.set(recordFile(record.slug), JSON.stringify(record));
  return files;
}

export interface IndexedCatalogOptions {
  /** Records kept in memory after a request read them (their rendered HTML is memoised with them). */
  cacheSize?: number;
}

/**
 * The catalog of an index written by `buildArchiveIndex`. Startup reads one file; `load` reads the record files of the
 * articles a request returns, keeping the most recently used ones.
 */
export async function loadIndexedCatalog(
  source: ContentSource,
  site: SiteSettings,
  { cacheSize = 1000 }: IndexedCatalogOptions = {},
): Promise<Catalog<ArticleEntry>> {
  const bytes = await source.read(INDEX_FILE);
  if (!bytes) throw new Error(`${source.name}: no ${INDEX_FILE}; build it with \`node src/node/cli.ts index\``);
  const doc = JSON.parse(new TextDecoder().decode(bytes)) as IndexDocument;
  if (doc.format !== INDEX_FORMAT) throw new Error(`${source.name}: ${INDEX_FILE} is "${String(doc.format)}", expected ${INDEX_FORMAT}`);
  if (doc.site.url !== site.url || doc.site.timeZone !== site.timeZone) {
    throw new ConfigError(
      "SITE_URL",
      `the archive index was built for ${doc.site.url} (${doc.site.timeZone}), not ${site.url} (${site.timeZone}): rebuild it with the same settings`,
    );
  }

  const articles: ArticleEntry[] = new Array(doc.slugs.length);
  let time = 0;
  for (let i = 0; i < doc.slugs.length; i++) {
    time = i === 0 ? doc.published[0]! : time - doc.published[i]!;
    articles[i] = { slug: doc.slugs[i]!, published: new Date(time) };
  }
  const facets = {} as Record<FacetKind, Map<string, Facet<ArticleEntry>>>;
  for (const kind of FACET_KINDS) {
    facets[kind] = new Map(
      doc.facets[kind].map(([slug, name, gaps]) => {
        let at = 0;
        const list = gaps.map((gap, i) => {
          at = i === 0 ? gap : at + gap;
          return articles[at]!;
        });
        return [slug, { kind, slug, name, articles: list }];
      }),
    );
  }

  const cache = new Map<string, Promise<ArticleRecord>>();
  const read = (slug: string): Promise<ArticleRecord> => {
    let record = cache.get(slug);
    if (record) {
      cache.delete(slug); // re-inserted below: Map order is then least recently used first
    } else {
      record = readRecord(source, slug);
      record.catch(() => cache.delete(slug));
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
    }
    cache.set(slug, record);
    return record;
  };

  return {
    articles,
    issues: doc.issues,
    warnings: doc.warnings,
    authors: new Map(doc.authors) as AuthorRegistry,
    images: new Map(doc.images.map(([path, facts, release]) => [path, { facts, release: new Date(release) }])),
    fileCount: doc.fileCount,
    facets,
    load: (entries) => Promise.all(entries.map((e) => read(e.slug))),
  };
}

async function readRecord(source: ContentSource, slug: string): Promise<ArticleRecord> {
  const path = recordFile(slug);
  const bytes = await source.read(path);
  if (!bytes) throw new Error(`${source.name}: ${path} is missing; the archive index and its records are out of step`);
  const record = JSON.parse(new TextDecoder().decode(bytes)) as ArticleRecord & { published: string; updated: string };
  return { ...record, published: new Date(record.published), updated: new Date(record.updated) };
}
