// Table `write_guard`: the conditions a change of a write failed, found by the change's first statement inside the
// transaction (its file still holds the version read; its slug, id and images still free or stored; an image no
// longer used). Every later statement of that change runs only while its key has no row here, so a refused change
// changes nothing while the rest of the transaction goes on; the write answers each refusal with its conflicts.
import type { Expectation, WriteConflict } from "../../core/publish/store.ts";

/** SQL that is true while the change whose key is bound at parameter `n` was not refused. */
export const unrefused = (n: number): string => `NOT EXISTS (SELECT 1 FROM write_guard WHERE key = ?${n})`;

const expected = (expect: readonly Expectation[]) => JSON.stringify(expect.map((e) => [e.file, e.version]));

/** The files do not hold the versions the change was planned on (another publish got there first). */
const STALE = `SELECT ?1, 'stale', value ->> 0 FROM json_each(?2)
  WHERE (SELECT version FROM articles WHERE file = value ->> 0) IS NOT (value ->> 1)`;

/** A change that only replaces or removes what its files hold: it requires them to hold what was read. */
export function guardStale(db: D1Database, key: string, expect: readonly Expectation[]): D1PreparedStatement {
  return db.prepare(`INSERT INTO write_guard (key, field, holder) ${STALE}`).bind(key, expected(expect));
}

/**
 * An article: its files hold what was read, no other file holds its slug or id (one file holding both is named once,
 * as the slug's holder), no deleted article had its id, and every image it uses is stored.
 */
export function guardArticle(
  db: D1Database,
  key: string,
  article: { slug: string; id: string; images: readonly string[] },
  own: readonly string[],
  expect: readonly Expectation[],
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO write_guard (key, field, holder) ${STALE}
       UNION ALL SELECT ?1, 'slug', file FROM articles WHERE slug = ?3 AND file NOT IN (SELECT value FROM json_each(?5))
       UNION ALL SELECT ?1, 'id', file FROM articles WHERE id = ?4 AND slug <> ?3 AND file NOT IN (SELECT value FROM json_each(?5))
       UNION ALL SELECT ?1, 'retired', slug FROM retired_ids WHERE id = ?4 AND slug <> ?3
       UNION ALL SELECT ?1, 'image', value FROM json_each(?6) WHERE NOT EXISTS (SELECT 1 FROM images WHERE path = value)`,
    )
    .bind(key, expected(expect), article.slug, article.id, JSON.stringify(own), JSON.stringify(article.images));
}

/** An image can be removed only while no article uses it: the first five users, by file. */
export function guardImageUnused(db: D1Database, key: string, path: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO write_guard (key, field, holder)
       SELECT ?1, 'in-use', file FROM (SELECT a.file AS file FROM image_refs r JOIN articles a ON a.slug = r.slug WHERE r.path = ?2 ORDER BY a.file LIMIT 5)`,
    )
    .bind(key, path);
}

/** Empties the table at a write's start (a transaction leaves it empty; this keeps a write whole if one ever did not). */
export function clearGuard(db: D1Database): D1PreparedStatement {
  return db.prepare("DELETE FROM write_guard");
}

/** The last statement of a write: what every refused change failed on, and the table emptied. */
export function takeGuard(db: D1Database): D1PreparedStatement {
  return db.prepare("DELETE FROM write_guard RETURNING key, field, holder");
}

/** The conflicts of each refused change, by key, from the rows `takeGuard` returned. */
export function conflictsOf(rows: readonly { key: string; field: string; holder: string }[]): Map<string, WriteConflict[]> {
  const byKey = new Map<string, WriteConflict[]>();
  for (const { key, field, holder } of rows) {
    const conflict: WriteConflict =
      field === "retired"
        ? { field, slug: holder }
        : field === "image"
          ? { field, path: holder }
          : { field: field as "stale" | "slug" | "id" | "in-use", file: holder };
    const list = byKey.get(key);
    if (list) list.push(conflict);
    else byKey.set(key, [conflict]);
  }
  // RETURNING gives rows in no set order: each change's conflicts as the guard found them, in order.
  const rank = (c: WriteConflict) => ["stale", "slug", "id", "retired", "image", "in-use"].indexOf(c.field);
  const text = (c: WriteConflict) => ("file" in c ? c.file : "slug" in c ? c.slug : c.path);
  for (const list of byKey.values()) list.sort((a, b) => rank(a) - rank(b) || (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
  return byKey;
}
