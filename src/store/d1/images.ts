// Tables `images` and `image_refs`: the facts of every image stored in R2 (measured from its bytes) and which articles
// use which image; an image is served once an article using it is out.
import type { StoredImageFacts } from "../../core/publish/store.ts";
import { unrefused, unrefusedRow } from "./guard.ts";

/** The facts of these images. */
export function imagesOf(db: D1Database, paths: readonly string[]): D1PreparedStatement {
  return db
    .prepare("SELECT path, type, width, height, length, sha256 FROM images WHERE path IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(paths));
}

/** The articles using these images, by file. */
export function usersOf(db: D1Database, paths: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `SELECT r.path AS path, a.slug AS slug, a.file AS file FROM image_refs r JOIN articles a ON a.slug = r.slug
       WHERE r.path IN (SELECT value FROM json_each(?1)) ORDER BY a.file`,
    )
    .bind(JSON.stringify(paths));
}

/**
 * An image's facts, and the first instant it is public (none: not served): when an article using it is out, or from
 * the start when an author's avatar in the stored authors.yaml names it (`avatar`: its URL; the registry is read only
 * for an image no article uses).
 */
export function imageRelease(db: D1Database, path: string, avatar: string | null): D1PreparedStatement {
  return db
    .prepare(
      `SELECT type, width, height, length,
              CASE WHEN release IS NULL AND ?2 IS NOT NULL AND EXISTS (
                SELECT 1 FROM registries g, json_each(g.parsed) e
                WHERE g.name = 'authors.yaml' AND json_extract(e.value, '$[1].avatar') = ?2
              ) THEN 0 ELSE release END AS release
       FROM (SELECT i.type AS type, i.width AS width, i.height AS height, i.length AS length,
              (SELECT MIN(a.published) FROM image_refs r JOIN articles a ON a.slug = r.slug WHERE r.path = i.path) AS release
             FROM images i WHERE i.path = ?1)`,
    )
    .bind(path, avatar);
}

/** Records an image stored in R2 (the bytes are put first, so a row always has its object). */
export function upsertImage(db: D1Database, path: string, facts: StoredImageFacts): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO images (path, type, width, height, length, sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (path) DO UPDATE SET type = excluded.type, width = excluded.width, height = excluded.height,
         length = excluded.length, sha256 = excluded.sha256`,
    )
    .bind(path, facts.type, facts.width, facts.height, facts.length, facts.sha256);
}

/** Removes an image's row unless its change was refused (an article uses it: src/store/d1/guard.ts). */
export function deleteImage(db: D1Database, path: string, key: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM images WHERE path = ?1 AND ${unrefused(2)}`).bind(path, key);
}

/** Forgets which images the replaced files' articles use. */
export function removeImageRefs(db: D1Database, rows: readonly { key: string; file: string }[]): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM image_refs WHERE slug IN (
         SELECT a.slug FROM json_each(?1) j JOIN articles a ON a.file = j.value ->> 'file' WHERE ${unrefusedRow("j.value ->> 'key'")})`,
    )
    .bind(JSON.stringify(rows));
}

/** Records which images the written articles use. */
export function insertImageRefs(
  db: D1Database,
  rows: readonly { key: string; slug: string; images: readonly string[] }[],
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO image_refs (path, slug)
       SELECT i.value, j.value ->> 'slug' FROM json_each(?1) j, json_each(j.value -> 'images') i WHERE ${unrefusedRow("j.value ->> 'key'")}`,
    )
    .bind(JSON.stringify(rows));
}
