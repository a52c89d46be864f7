// A precomputed archive index, for archives too large to bundle: built once from loaded content, it keeps in memory
// only what selection needs (slug, times and fingerprint of every article, facet lists, image facts, partners), and
// each article's full record is a separate file that a request reads only when it returns that article.
import type { ContentSource } from "../sources/source.ts";
import type { ArticleRecord } from "./article.ts";
import { type Catalog, type Entry, FACET_KINDS, type Facet, type FacetKind, type StoredImage } from "./catalog.ts";
import type { LoadedContent } from "./content.ts";
import { ConfigError, type ContentIssue } from "./errors.ts";
import type { ImageFacts } from "./images.ts";
import { createMemo } from "./memo.ts";
import { createListedCatalog, deferCatalog, listEntries, type MemoryCatalogOptions } from "./memory-catalog.ts";
import type { Partner } from "./partners.ts";
import type { SiteSettings } from "./settings.ts";

export const INDEX_FILE = "index.json";
export const INDEX_FORMAT = "edge-feeds-index/2";

/** The index file. Times are epoch milliseconds; lists of times and positions are delta-encoded to stay small. */
interface IndexDocument {
  format: typeof INDEX_FORMAT;
  /** The settings the records were built with: URLs in them are absolute, so the worker must run with the same. */
  site: { url: string; timeZone: string };
  issues: ContentIssue[];
  warnings: ContentIssue[];
  /** Newest first, as the catalog lists them. */
  slugs: string[];
  /** `published[0]` is the newest time; each next value is how much older the next article is. */
  published: number[];
  /** Milliseconds from each article's publication to its update (mostly 0). */
  updated: number[];
  fingerprints: string[];
  /** Per kind: [slug, name, positions in `slugs` (first absolute, then gaps)]. */
  facets: Record<FacetKind, [string, string, number[]][]>;
  images: [string, ImageFacts, number][];
  partners: [string, Partner][];
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

/** The index file and one record file per article, for `content` loaded with `site`. Images are not included. */
export function buildArchiveIndex(content: LoadedContent, site: SiteSettings): Map<string, string> {
  const { home, facets: lists } = listEntries(content.records);
  const position = new Map(home.map((e, i) => [e.slug, i]));
  const facets = {} as IndexDocument["facets"];
  for (const kind of FACET_KINDS) {
    facets[kind] = [...lists[kind].values()].map(({ facet, list }) => {
      const at = list.map((e) => position.get(e.slug)!);
      return [facet.slug, facet.name, at.map((p, i) => (i === 0 ? p : p - at[i - 1]!))];
    });
  }
  const doc: IndexDocument = {
    format: INDEX_FORMAT,
    site: { url: site.url, timeZone: site.timeZone },
    issues: [...content.issues],
    warnings: [...content.warnings],
    slugs: home.map((e) => e.slug),
    published: deltas(home.map((e) => e.published.getTime())),
    updated: home.map((e) => e.updated.getTime() - e.published.getTime()),
    fingerprints: home.map((e) => e.fingerprint),
    facets,
    images: [...content.images].map(([path, { facts, release }]) => [path, facts, release.getTime()]),
    partners: [...content.partners],
  };
  const files = new Map<string, string>([[INDEX_FILE, JSON.stringify(doc)]]);
  for (const record of content.records) files.set(recordFile(record.slug), JSON.stringify(record));
  return files;
}

export interface IndexedCatalogOptions extends MemoryCatalogOptions {
  /** Bytes of records kept in memory after a request read them. */
  recordBudget?: number;
}

/**
 * The catalog of an index written by `buildArchiveIndex`, read on first use: startup reads one file; a request reads
 * the record files of the articles it returns, and the most recently used records stay in memory.
 */
export function loadIndexedCatalog(source: ContentSource, site: SiteSettings, options: IndexedCatalogOptions = {}): Catalog {
  let pending: Promise<Catalog> | undefined;
  return deferCatalog(() => {
    pending ??= readIndex(source, site, options).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  });
}

async function readIndex(source: ContentSource, site: SiteSettings, options: IndexedCatalogOptions): Promise<Catalog> {
  const bytes = await source.read(INDEX_FILE);
  if (!bytes) throw new Error(`${source.name}: no ${INDEX_FILE}; build it with \`npm run index\``);
  const doc = JSON.parse(new TextDecoder().decode(bytes)) as IndexDocument;
  if (doc.format !== INDEX_FORMAT) throw new Error(`${source.name}: ${INDEX_FILE} is "${String(doc.format)}", expected ${INDEX_FORMAT}`);
  if (doc.site.url !== site.url || doc.site.timeZone !== site.timeZone) {
    throw new ConfigError(
      "SITE_URL",
      `the archive index was built for ${doc.site.url} (${doc.site.timeZone}), not ${site.url} (${site.timeZone}): rebuild it with the same settings`,
    );
  }

  const home: Entry[] = new Array(doc.slugs.length);
  let time = 0;
  for (let i = 0; i < doc.slugs.length; i++) {
    time = i === 0 ? doc.published[0]! : time - doc.published[i]!;
    home[i] = {
      slug: doc.slugs[i]!,
      published: new Date(time),
      updated: new Date(time + doc.updated[i]!),
      fingerprint: doc.fingerprints[i]!,
    };
  }
  const facets = {} as Record<FacetKind, Map<string, { facet: Facet; list: Entry[] }>>;
  for (const kind of FACET_KINDS) {
    facets[kind] = new Map(
      doc.facets[kind].map(([slug, name, gaps]) => {
        let at = 0;
        const list = gaps.map((gap, i) => {
          at = i === 0 ? gap : at + gap;
          return home[at]!;
        });
        return [slug, { facet: { kind, slug, name }, list }];
      }),
    );
  }

  const records = createMemo<Promise<ArticleRecord>>(options.recordBudget ?? 8 * 1024 * 1024);
  const known = new Set(doc.slugs);
  const record = async (slug: string): Promise<ArticleRecord | undefined> => {
    if (!known.has(slug)) return undefined;
    let pending = records.get(slug);
    if (!pending) {
      pending = readRecord(source, slug);
      const kept = pending;
      // A record's size is known once read; until then it is counted as small.
      records.set(slug, kept, 1024);
      kept.then(
        (r) => records.set(slug, kept, JSON.stringify(r).length * 2),
        () => records.set(slug, kept, Number.POSITIVE_INFINITY),
      );
    }
    return pending;
  };
  const images = new Map<string, StoredImage>(doc.images.map(([path, facts, release]) => [path, { facts, release: new Date(release) }]));
  const issues = [...doc.warnings, ...doc.issues];
  return createListedCatalog(
    {
      home,
      facets,
      record,
      draft: async () => undefined,
      warnings: (file) => issues.filter((i) => i.file === file),
      images,
      imageBytes: async (path) => (images.has(path) ? ((await source.read(path)) ?? undefined) : undefined),
      partners: new Map(doc.partners),
    },
    options,
  );
}

async function readRecord(source: ContentSource, slug: string): Promise<ArticleRecord> {
  const path = recordFile(slug);
  const bytes = await source.read(path);
  if (!bytes) throw new Error(`${source.name}: ${path} is missing; the archive index and its records are out of step`);
  const record = JSON.parse(new TextDecoder().decode(bytes)) as ArticleRecord & { published: string; updated: string };
  return { ...record, published: new Date(record.published), updated: new Date(record.updated) };
}
