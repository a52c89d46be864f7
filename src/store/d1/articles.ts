// Tables `articles`, `drafts` and `retired_ids`: an article's row (its file, slug, id, times, hashes, and the shard and
// version of its parts), drafts kept for the preview, and the ids of deleted articles, never given to another.
import type { Publication } from "../../core/publish/publication.ts";
import type { ClaimQuery } from "../../core/publish/store.ts";
import type { ManifestEntry, ManifestPage, StoredKind } from "../../core/publishing.ts";
import { ALIAS_HOLDERS, unrefused, unrefusedRow } from "./guard.ts";

const files = (list: readonly string[]) => JSON.stringify(list);

/** The publishable articles these files hold, as the use case compares and replaces them. */
export function articlesOfFiles(db: D1Database, list: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `SELECT file, slug, id, version, fingerprint, source_hash AS sourceHash, published, updated, shaping FROM articles
       WHERE file IN (SELECT value FROM json_each(?1))`,
    )
    .bind(files(list));
}

/** The drafts these files hold. */
export function draftsOfFiles(db: D1Database, list: readonly string[]): D1PreparedStatement {
  return db
    .prepare("SELECT file, slug, source_hash AS sourceHash FROM drafts WHERE file IN (SELECT value FROM json_each(?1))")
    .bind(files(list));
}

/**
 * Who holds each claimed slug, id or alias besides the claim's own files, and deleted articles that had the id: one
 * lookup per claim on each unique key. A file holding both the slug and the (URL-derived) id is named once, as the
 * slug's. An alias is held by the article its row leads to while that article is stored (a deleted one's is free).
 */
export function claimantsOf(db: D1Database, claims: readonly ClaimQuery[]): D1PreparedStatement {
  return db
    .prepare(
      `SELECT c.value ->> 'key' AS key, 'slug' AS field, a.file AS holder FROM json_each(?1) c JOIN articles a ON a.slug = c.value ->> 'slug'
         WHERE a.file NOT IN (SELECT value FROM json_each(c.value -> 'own'))
       UNION ALL SELECT c.value ->> 'key', 'id', a.file FROM json_each(?1) c JOIN articles a ON a.id = c.value ->> 'id'
         WHERE a.slug <> c.value ->> 'slug' AND a.file NOT IN (SELECT value FROM json_each(c.value -> 'own'))
       UNION ALL SELECT c.value ->> 'key', 'retired', r.slug FROM json_each(?1) c JOIN retired_ids r ON r.id = c.value ->> 'id'
         WHERE r.slug <> c.value ->> 'slug'
       UNION ALL ${ALIAS_HOLDERS}`,
    )
    .bind(JSON.stringify(claims.map((c) => ({ key: c.key, slug: c.slug, id: c.id, aliases: c.aliases, own: c.own }))));
}

/** Where the stored markdown of these articles is: their file, shard and version, and the text when it is in this database. */
export function sourcesOf(db: D1Database, slugs: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `SELECT a.slug AS slug, a.file AS file, a.shard AS shard, a.version AS version, p.text AS text
       FROM articles a LEFT JOIN article_parts p ON p.slug = a.slug AND p.version = a.version AND p.part = 'source'
       WHERE a.slug IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(slugs));
}

/** A file a change replaces (its article and draft go), with the change's key. */
export interface FileRow {
  key: string;
  file: string;
}

const rowsJson = (rows: readonly object[]) => JSON.stringify(rows);
const guarded = unrefusedRow("j.value ->> 'key'");

/** The parts the replaced files' articles have in other databases: deleted once the write is made. */
export function partsElsewhere(db: D1Database, rows: readonly FileRow[]): D1PreparedStatement {
  return db
    .prepare(
      `SELECT j.value ->> 'key' AS key, a.slug AS slug, a.shard AS shard, a.version AS version
       FROM json_each(?1) j JOIN articles a ON a.file = j.value ->> 'file' WHERE +a.shard <> 0 AND ${guarded}`,
    )
    .bind(rowsJson(rows));
}

/** Removes the articles the replaced files hold, their parts in this database (shard 0), and their drafts. */
export function removeFiles(db: D1Database, rows: readonly FileRow[], drafts: readonly FileRow[]): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  if (rows.length) {
    statements.push(
      // `+shard`: the rows are found by file (its unique index), never by walking articles_by_shard.
      db
        .prepare(
          `DELETE FROM article_parts WHERE (slug, version) IN (
             SELECT a.slug, a.version FROM json_each(?1) j JOIN articles a ON a.file = j.value ->> 'file' WHERE +a.shard = 0 AND ${guarded})`,
        )
        .bind(rowsJson(rows)),
      db
        .prepare(`DELETE FROM articles WHERE file IN (SELECT j.value ->> 'file' FROM json_each(?1) j WHERE ${guarded})`)
        .bind(rowsJson(rows)),
    );
  }
  if (drafts.length) {
    statements.push(
      db
        .prepare(`DELETE FROM drafts WHERE file IN (SELECT j.value ->> 'file' FROM json_each(?1) j WHERE ${guarded})`)
        .bind(rowsJson(drafts)),
    );
  }
  return statements;
}

/** An article's row as the write inserts it: naming the shard and version of its parts. */
export interface ArticleRow {
  key: string;
  pub: Publication;
  shard: number;
  version: string;
  /** The settings it is stored under (src/core/publish/shaping.ts). */
  shaping: string;
}

/** Inserts the articles' rows. */
export function insertArticles(db: D1Database, rows: readonly ArticleRow[]): D1PreparedStatement {
  const json = rows.map(({ key, pub, shard, version, shaping }) => ({
    key,
    slug: pub.slug,
    file: pub.file,
    id: pub.id,
    published: pub.published.getTime(),
    updated: pub.updated.getTime(),
    fingerprint: pub.fingerprint,
    sourceHash: pub.sourceHash,
    warnings: JSON.stringify(pub.warnings),
    shard,
    version,
    shaping,
  }));
  return db
    .prepare(
      `INSERT INTO articles (slug, file, id, published, updated, fingerprint, source_hash, warnings, shard, version, shaping)
       SELECT j.value ->> 'slug', j.value ->> 'file', j.value ->> 'id', j.value ->> 'published', j.value ->> 'updated',
              j.value ->> 'fingerprint', j.value ->> 'sourceHash', j.value ->> 'warnings', j.value ->> 'shard', j.value ->> 'version',
              j.value ->> 'shaping'
       FROM json_each(?1) j WHERE ${guarded}`,
    )
    .bind(JSON.stringify(json));
}

/** Records the settings articles are stored under (their parts unchanged), for the restamps the guard let through. */
export function restampArticles(db: D1Database, rows: readonly { key: string; file: string; shaping: string }[]): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE articles SET shaping = j.value ->> 'shaping' FROM json_each(?1) j
       WHERE articles.file = j.value ->> 'file' AND ${guarded}`,
    )
    .bind(rowsJson(rows));
}

/**
 * Up to ?2 articles stored under other settings than ?1: of the nearest other value below ?1 and the nearest above
 * (each one seek on articles_by_shaping), the newest first (a range of that index, read backwards), so a run reads what
 * it publishes again, never the archive (test/worker/scheduled.test.ts checks the plan). A value other than the
 * nearest waits until the nearest's articles are done: two settings changes in a row before a catch-up ends.
 */
export const STALE_SQL = `SELECT slug, published FROM (
    SELECT slug, published FROM articles WHERE shaping = (SELECT shaping FROM articles WHERE shaping < ?1 ORDER BY shaping DESC LIMIT 1)
    ORDER BY published DESC, slug DESC LIMIT ?2)
  UNION ALL SELECT slug, published FROM (
    SELECT slug, published FROM articles WHERE shaping = (SELECT shaping FROM articles WHERE shaping > ?1 ORDER BY shaping LIMIT 1)
    ORDER BY published DESC, slug DESC LIMIT ?2)
  ORDER BY published DESC, slug DESC LIMIT ?2`;

/** STALE_SQL for `limit` articles: one more is read, to know whether others wait. */
export function staleArticles(db: D1Database, shaping: string, limit: number): D1PreparedStatement {
  return db.prepare(STALE_SQL).bind(shaping, limit + 1);
}

/** Deleted (or unpublished) articles' ids: never given to another article. */
export function retireIds(db: D1Database, rows: readonly { key: string; id: string; slug: string; now: number }[]): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO retired_ids (id, slug, retired)
       SELECT j.value ->> 'id', j.value ->> 'slug', j.value ->> 'now' FROM json_each(?1) j WHERE ${guarded}`,
    )
    .bind(rowsJson(rows));
}

/** A draft, kept for the editor's preview. */
export function upsertDraft(db: D1Database, pub: Publication, key: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO drafts (file, slug, source_hash, record, warnings) SELECT ?1, ?2, ?3, ?4, ?5 WHERE ${unrefused(6)}
       ON CONFLICT (file) DO UPDATE SET slug = excluded.slug, source_hash = excluded.source_hash, record = excluded.record,
         warnings = excluded.warnings`,
    )
    .bind(pub.file, pub.slug, pub.sourceHash, pub.parts.record, JSON.stringify(pub.warnings), key);
}

/**
 * One page of everything stored, by path: each branch reads at most `limit` rows from its own primary-key (or
 * unique) index, so a page costs the same wherever it is in the archive.
 */
export function manifestPage(db: D1Database, after: string, limit: number, shaping: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT path, kind, hash, slug, id, published, stale FROM (
         SELECT * FROM (SELECT file AS path, 'article' AS kind, source_hash AS hash, slug, id, published, shaping != ?3 AS stale FROM articles WHERE file > ?1 ORDER BY file LIMIT ?2)
         UNION ALL SELECT * FROM (SELECT file, 'draft', source_hash, slug, NULL, NULL, 0 FROM drafts WHERE file > ?1 ORDER BY file LIMIT ?2)
         UNION ALL SELECT * FROM (SELECT path, 'image', sha256, NULL, NULL, NULL, 0 FROM images WHERE path > ?1 ORDER BY path LIMIT ?2)
         UNION ALL SELECT * FROM (SELECT name, 'registry', source_hash, NULL, NULL, NULL, shaping != ?3 FROM registries WHERE name > ?1 ORDER BY name LIMIT ?2)
       ) ORDER BY path LIMIT ?2`,
    )
    .bind(after, limit, shaping);
}

/** A row of `manifestPage`. */
export interface ManifestRow {
  path: string;
  kind: StoredKind;
  hash: string;
  slug: string | null;
  id: string | null;
  published: number | null;
  /** 1 when stored under other settings than the ones asked about. */
  stale: number;
}

/** The manifest page of `manifestPage`'s rows. */
export function manifestOf(rows: readonly ManifestRow[], limit: number): ManifestPage {
  const entries = rows.map(
    (row): ManifestEntry => ({
      path: row.path,
      kind: row.kind,
      hash: row.hash,
      ...(row.slug !== null ? { slug: row.slug } : {}),
      ...(row.id !== null ? { id: row.id } : {}),
      ...(row.published !== null ? { published: new Date(row.published).toISOString() } : {}),
      ...(row.stale ? { stale: true as const } : {}),
    }),
  );
  return { entries, next: entries.length === limit ? entries[entries.length - 1]!.path : null };
}
