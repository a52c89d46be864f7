// The Catalog read from D1 (and image bytes from R2): each question the app asks is one indexed query of a table
// group (lists.ts, articles, images.ts, registries.ts, parts.ts), so a request reads only what it returns and the
// isolate keeps nothing that grows with the archive.
import type { ArticleRecord } from "../../core/article.ts";
import { ALL, type Catalog, type Entry, type Facet, type FoundArticle, type ItemWriter, scopeKey } from "../../core/catalog.ts";
import { type ContentIssue, callStore } from "../../core/errors.ts";
import { createMemo, stringBytes } from "../../core/memo.ts";
import { entryOf } from "../../core/memory-catalog.ts";
import type { Article } from "../../core/model.ts";
import type { Partner } from "../../core/partners.ts";
import { LATER_PARTS, type PartName, reviveDates } from "../../core/publish/publication.ts";
import { articleWithBody, withBody, writesBody } from "../../core/publish/stored-body.ts";
import { pagePathKey } from "../../core/redirects.ts";
import { slugify } from "../../core/text.ts";
import { OUTPUT_REVISION } from "../../formats/index.ts";
import { imageRelease } from "./images.ts";
import { countOf, listReads } from "./lists.ts";
import { MissingPartsError, type PartsLocation, type PartsShards, type ReadPart, readParts, singleDatabase } from "./parts.ts";
import { pathRows, pathRowsOf } from "./redirects.ts";
import { registryEntries } from "./registries.ts";

export interface D1CatalogOptions {
  /**
   * Bytes of items re-written in this isolate for articles stored by an older OUTPUT_REVISION (until they are
   * published again). Bounded, keyed by fingerprint and format.
   */
  renderBudget?: number;
  /** Where the parts are kept (parts.ts); by default all in `db`. */
  shards?: PartsShards;
  /**
   * SITE_URL, by which the authors' local avatars are recognised in the stored authors.yaml: they are public from the
   * start, as in the memory catalog. Without it only images of published articles are served.
   */
  siteUrl?: string;
}

/** The `count` read's row (lists.ts). */
type CountRow = { last: number | null; removed: number | null };

interface EntryRow {
  slug: string;
  published: number;
  updated: number;
  fingerprint: string;
  shard: number;
  version: string;
}

/**
 * Where the parts of the entries this catalog listed are, so reading their items needs no second look at `articles`.
 * Keyed weakly by the entry objects (the core's Entry stays store-neutral); an entry from elsewhere is looked up.
 */
const locations = new WeakMap<Entry, PartsLocation>();

const toEntry = (row: EntryRow): Entry => {
  const entry: Entry = {
    slug: row.slug,
    published: new Date(row.published),
    updated: new Date(row.updated),
    fingerprint: row.fingerprint,
  };
  locations.set(entry, { slug: row.slug, shard: row.shard, version: row.version });
  return entry;
};

/** The URL authors.yaml gives a local image as an avatar (resolved as parseAuthors resolves `/images/…`), or null. */
function avatarUrl(siteUrl: string | undefined, path: string): string | null {
  if (siteUrl === undefined) return null;
  try {
    return new URL(`${siteUrl}/${path}`).href;
  } catch {
    return null;
  }
}

const releaseOf = (row: { next: number | null } | null | undefined): Date | undefined =>
  row?.next == null ? undefined : new Date(row.next);

/**
 * A catalog over the D1 database `db` and the R2 bucket `images`. Every query and object read goes through `callStore`,
 * so a failing store surfaces as a StorageError (answered 503 with Retry-After), never as a partial document.
 */
export function createD1Catalog(db: D1Database, images: R2Bucket, options: D1CatalogOptions = {}): Catalog {
  const statements = listReads(db);
  const shards = options.shards ?? singleDatabase(db);
  const rewritten = createMemo<string>(options.renderBudget ?? 8 * 1024 * 1024);

  /**
   * Where these entries' parts are: known for the entries this catalog listed, looked up (one query) for others and,
   * with `fresh`, for all.
   */
  const locate = async (entries: readonly Entry[], fresh = false): Promise<PartsLocation[]> => {
    const unknown = fresh ? entries : entries.filter((e) => !locations.has(e));
    if (unknown.length) {
      const { results } = await callStore("d1", "locate", () =>
        db
          .prepare("SELECT slug, shard, version FROM articles WHERE slug IN (SELECT value FROM json_each(?1))")
          .bind(JSON.stringify(unknown.map((e) => e.slug)))
          .all<PartsLocation>(),
      );
      const bySlug = new Map(results.map((row) => [row.slug, row]));
      for (const entry of unknown) {
        const row = bySlug.get(entry.slug);
        if (row) locations.set(entry, row);
      }
    }
    return entries.map((e) => locations.get(e) ?? { slug: e.slug, shard: 0, version: "" });
  };

  /**
   * The stored parts `part` of these entries, in their order (one query per shard they are in). A version replaced
   * since the entries were listed (a publish switched and cleaned up in between) is read again where the catalog
   * names it now, once: as a single database answers a feed whose article was edited between its two round trips.
   */
  const parts = async (entries: readonly Entry[], part: PartName, body = false): Promise<ReadPart[]> => {
    if (entries.length === 0) return [];
    let found: Map<string, ReadPart>;
    try {
      found = await readParts(shards, await locate(entries), part, { body });
    } catch (error) {
      if (!(error instanceof MissingPartsError)) throw error;
      found = await readParts(shards, await locate(entries, true), part, { body });
    }
    return entries.map((e) => found.get(e.slug)!);
  };

  /**
   * A part added later (LATER_PARTS) of these entries, in their order, undefined where it is not found: the article
   * was stored before the part existed, or its version was replaced since the entries were listed. Either way the
   * item is then written from the stored article, which `articles` reads where the catalog names it now.
   */
  const optionalParts = async (entries: readonly Entry[], part: PartName): Promise<(ReadPart | undefined)[]> => {
    if (entries.length === 0) return [];
    const found = await readParts(shards, await locate(entries), part, { optional: true });
    return entries.map((e) => found.get(e.slug));
  };

  // The stored article and its body, in one query (stored-body.ts).
  const articles = async (entries: readonly Entry[]): Promise<Article[]> =>
    (await parts(entries, "article", true)).map((row) => articleWithBody(reviveDates<Article>(row.text), row.body));

  return {
    async facet(kind, requested, now) {
      const candidates = [...new Set([requested, slugify(requested)])].map((slug) => scopeKey({ kind, slug }));
      // Public facets only: one not yet public answers exactly as an unknown name (Catalog.facet).
      const { results } = await callStore("d1", "facet", () =>
        db
          .prepare("SELECT scope, kind, slug, name FROM facets WHERE scope IN (SELECT value FROM json_each(?1)) AND first_published <= ?2")
          .bind(JSON.stringify(candidates), now.getTime())
          .all<Facet & { scope: string }>(),
      );
      // The slug as written first, then its slug form.
      const row = candidates.map((scope) => results.find((r) => r.scope === scope)).find((r) => r !== undefined);
      return row && { kind: row.kind, slug: row.slug, name: row.name };
    },
    async publicFacets(kind, now) {
      const { results } = await callStore("d1", "publicFacets", () =>
        db.prepare("SELECT kind, slug, name FROM facets WHERE kind = ?1 AND first_published <= ?2").bind(kind, now.getTime()).all<Facet>(),
      );
      // Sorted here, by UTF-16 code units like every other catalog (SQLite compares UTF-8 bytes).
      return results
        .map((r) => ({ kind: r.kind, slug: r.slug, name: r.name }))
        .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
    },
    async isPublic(scope, now) {
      const row = await callStore("d1", "isPublic", () => statements.isPublic(scopeKey(scope), now).first<{ out: number }>());
      return row !== null;
    },
    async countPublished(scope, now) {
      return countOf(await callStore("d1", "countPublished", () => statements.count(scopeKey(scope), now).first<CountRow>())).count;
    },
    async newest(scope, now, limit) {
      const { results } = await callStore("d1", "newest", () => statements.newest(scopeKey(scope), now, limit).all<EntryRow>());
      return results.map(toEntry);
    },
    async slice(scope, now, from, to) {
      if (to <= from) return [];
      const { results } = await callStore("d1", "slice", () => statements.slice(scopeKey(scope), now, from, to).all<EntryRow>());
      return results.map(toEntry);
    },
    async nextRelease(now, scope = ALL) {
      return releaseOf(await callStore("d1", "nextRelease", () => statements.next(scopeKey(scope), now).first<{ next: number | null }>()));
    },
    async window(scope, now, rows) {
      const key = scopeKey(scope);
      const all = key === scopeKey(ALL);
      // One batch, one round trip: the four reads a feed document is planned from.
      const results = await callStore("d1", "window", () =>
        db.batch<unknown>([
          statements.count(key, now),
          "newest" in rows ? statements.newest(key, now, rows.newest) : statements.slice(key, now, rows.from, rows.to),
          statements.next(key, now),
          ...(all ? [] : [statements.next(scopeKey(ALL), now)]),
        ]),
      );
      const [count, listed, next, siteNext] = results.map((r) => r.results);
      const nextRelease = releaseOf((next as { next: number | null }[])[0]);
      return {
        ...countOf((count as CountRow[])[0]),
        entries: (listed as EntryRow[]).map(toEntry),
        nextRelease,
        siteNextRelease: all ? nextRelease : releaseOf((siteNext as { next: number | null }[])[0]),
      };
    },
    articles,
    async items(entries, writer: ItemWriter) {
      // A whole item is stored without the body, read beside it in the same query and put back (stored-body.ts).
      const rows = LATER_PARTS.has(writer.part)
        ? await optionalParts(entries, writer.part)
        : await parts(entries, writer.part, writesBody(writer));
      const current = (i: number) => rows[i] !== undefined && rows[i].revision === OUTPUT_REVISION;
      const text = (row: ReadPart | undefined) => (row ? withBody(writer, row.text, row.body) : "");
      if (entries.every((_e, i) => current(i))) return rows.map(text);
      // Items written by an older revision of the renderers, or never written (an excerpt of an article stored before
      // excerpts were), are written again from the stored article, and kept.
      const texts = rows.map(text);
      const stale = entries.filter((_e, i) => !current(i));
      const missing = stale.filter((e) => rewritten.get(`${e.fingerprint}/${writer.part}`) === undefined);
      const fresh = new Map((await articles(missing)).map((a, i) => [missing[i]!.slug, writer.renderItem(a)]));
      for (const [i, entry] of entries.entries()) {
        if (current(i)) continue;
        const key = `${entry.fingerprint}/${writer.part}`;
        const text = rewritten.get(key) ?? fresh.get(entry.slug)!;
        rewritten.set(key, text, stringBytes(text));
        texts[i] = text;
      }
      return texts;
    },
    async find(slug, { drafts = false, publishedBy } = {}): Promise<FoundArticle | undefined> {
      // The same statement whether or not a time is given, so an embargoed article reads as nothing, like a slug unknown.
      const row = await callStore("d1", "find", () =>
        db
          .prepare(
            `SELECT a.slug AS slug, a.published AS published, a.updated AS updated, a.fingerprint AS fingerprint,
                  a.shard AS shard, a.version AS version, a.warnings AS warnings, p.text AS record
           FROM articles a LEFT JOIN article_parts p ON p.slug = a.slug AND p.version = a.version AND p.part = 'record'
           WHERE a.slug = ?1 AND a.published <= ?2`,
          )
          .bind(slug, publishedBy?.getTime() ?? Number.MAX_SAFE_INTEGER)
          .first<EntryRow & { warnings: string; record: string | null }>(),
      );
      if (row) {
        const entry = toEntry(row);
        // Where the parts are in the catalog database the record came with the row; elsewhere it is one more query.
        const record = row.record ?? (await readParts(shards, [locations.get(entry)!], "record")).get(slug)!.text;
        return { entry, record: reviveDates<ArticleRecord>(record), warnings: JSON.parse(row.warnings) as ContentIssue[] };
      }
      // A draft is looked for only when asked, and never by a caller that wants what is published.
      if (!drafts || publishedBy) return undefined;
      const draft = await callStore("d1", "find", () =>
        db
          .prepare("SELECT record, warnings FROM drafts WHERE slug = ?1 ORDER BY file LIMIT 1")
          .bind(slug)
          .first<{ record: string; warnings: string }>(),
      );
      if (!draft) return undefined;
      const record = reviveDates<ArticleRecord>(draft.record);
      return { entry: entryOf(record), record, warnings: JSON.parse(draft.warnings) as ContentIssue[] };
    },
    async image(path) {
      // An image no article uses is public when an author's avatar names it (the registry holds avatars as URLs); the
      // registry is read only then.
      const avatar = avatarUrl(options.siteUrl, path);
      const row = await callStore("d1", "image", () =>
        imageRelease(db, path, avatar).first<{ type: string; width: number; height: number; length: number; release: number | null }>(),
      );
      if (!row || row.release === null) return undefined;
      return { facts: { type: row.type, width: row.width, height: row.height, length: row.length }, release: new Date(row.release) };
    },
    async imageBytes(path) {
      return callStore("r2", "imageBytes", async () => {
        const object = await images.get(path);
        return object ? new Uint8Array(await object.arrayBuffer()) : undefined;
      });
    },
    async partners() {
      const row = await callStore("d1", "partners", () => registryEntries(db, "partners.yaml").first<{ parsed: string }>());
      return new Map(row ? (JSON.parse(row.parsed) as [string, Partner][]) : []);
    },
    async lookupPath(query, now) {
      const page = query.rule ? pagePathKey(query.rule.slug) : null;
      // One batch, one round trip: the path's rows and the site's next release.
      const [found, next] = await callStore("d1", "lookupPath", () =>
        db.batch<unknown>([pathRows(db, query, now, page), statements.next(scopeKey(ALL), now)]),
      );
      return {
        rows: pathRowsOf(found!.results as { source: string; slug: string | null; published: number | null }[]),
        nextRelease: releaseOf((next!.results as { next: number | null }[])[0]),
      };
    },
  };
}
