// Table `write_guard`: the conditions the changes of a write failed, found by the write's first statement against the
// store as it was when the write began (each file still holds the version read and the draft it was read with; an
// article's slug, id and aliases are held by no other file, its id was no deleted article's; its images are stored; an image to
// remove is used by no article). Every later statement makes a change only while its key has no row here, so a refused
// change changes nothing while the rest of the write goes on, and the write answers each refusal with its conflicts.
import type { Expectation, WriteConflict } from "../../core/publish/store.ts";

/** SQL that is true while the change whose key is bound at parameter `n` was not refused. */
export const unrefused = (n: number): string => `NOT EXISTS (SELECT 1 FROM write_guard WHERE key = ?${n})`;

/** The same, for a change whose key is the SQL expression `key` (a field of a JSON row). */
export const unrefusedRow = (key: string): string => `NOT EXISTS (SELECT 1 FROM write_guard WHERE key = ${key})`;

/**
 * The holders of the aliases claimed in `?1` (rows of {key, aliases, own}) other than the claims' own files, as
 * (key, 'alias', holder) with the holder as JSON {file, alias}: the claims read and the write's guard share it.
 */
export const ALIAS_HOLDERS = `SELECT c.value ->> 'key', 'alias', json_object('file', a.file, 'alias', r.path)
         FROM json_each(?1) c, json_each(c.value -> 'aliases') al JOIN redirects r ON r.path = al.value AND r.kind = 'alias'
         JOIN articles a ON a.id = r.id
         WHERE a.file NOT IN (SELECT value FROM json_each(c.value -> 'own'))`;

/** What the guard checks of one change: its files' expected versions and drafts, its claims and images. */
export interface GuardRow {
  key: string;
  expect: readonly Expectation[];
  /** Files that must hold no draft (none was read), and files whose draft was read (it may still be there). */
  noDraft: readonly string[];
  /** An article's claims: its slug, id, aliases and images, and its own files (which may hold them). */
  claims?: { slug: string; id: string; aliases: readonly string[]; images: readonly string[]; own: readonly string[] };
}

/** One statement checking every change of a write (five terms: D1 allows no more in one compound SELECT). */
export function guardChanges(db: D1Database, rows: readonly GuardRow[]): D1PreparedStatement {
  const json = rows.map((r) => ({
    key: r.key,
    expect: r.expect.map((e) => [e.file, e.version, r.noDraft.includes(e.file) ? 1 : 0]),
    ...(r.claims ? { slug: r.claims.slug, id: r.claims.id, images: r.claims.images, own: r.claims.own } : {}),
  }));
  return db
    .prepare(
      `INSERT INTO write_guard (key, field, holder)
       SELECT c.value ->> 'key', 'stale', e.value ->> 0 FROM json_each(?1) c, json_each(c.value -> 'expect') e
         WHERE (SELECT version FROM articles WHERE file = e.value ->> 0) IS NOT (e.value ->> 1)
            OR (e.value ->> 2 = 1 AND EXISTS (SELECT 1 FROM drafts WHERE file = e.value ->> 0))
       UNION ALL SELECT c.value ->> 'key', 'slug', a.file FROM json_each(?1) c JOIN articles a ON a.slug = c.value ->> 'slug'
         WHERE a.file NOT IN (SELECT value FROM json_each(c.value -> 'own'))
       UNION ALL SELECT c.value ->> 'key', 'id', a.file FROM json_each(?1) c JOIN articles a ON a.id = c.value ->> 'id'
         WHERE a.slug <> c.value ->> 'slug' AND a.file NOT IN (SELECT value FROM json_each(c.value -> 'own'))
       UNION ALL SELECT c.value ->> 'key', 'retired', r.slug FROM json_each(?1) c JOIN retired_ids r ON r.id = c.value ->> 'id'
         WHERE r.slug <> c.value ->> 'slug'
       UNION ALL SELECT c.value ->> 'key', 'image', i.value FROM json_each(?1) c, json_each(c.value -> 'images') i
         WHERE NOT EXISTS (SELECT 1 FROM images WHERE path = i.value)`,
    )
    .bind(JSON.stringify(json));
}

/** The articles' aliases: each held by no other stored article (a statement of its own: D1's five-term limit). */
export function guardAliases(db: D1Database, rows: readonly GuardRow[]): D1PreparedStatement {
  const json = rows.flatMap((r) => (r.claims?.aliases.length ? [{ key: r.key, aliases: r.claims.aliases, own: r.claims.own }] : []));
  return db.prepare(`INSERT INTO write_guard (key, field, holder) ${ALIAS_HOLDERS}`).bind(JSON.stringify(json));
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

/** The conflicts of each refused change, by key, from the rows `takeGuard` returned, in the order the guard checks them. */
export function conflictsOf(rows: readonly { key: string; field: string; holder: string }[]): Map<string, WriteConflict[]> {
  const byKey = new Map<string, WriteConflict[]>();
  for (const { key, field, holder } of rows) {
    const conflict: WriteConflict =
      field === "retired"
        ? { field, slug: holder }
        : field === "image"
          ? { field, path: holder }
          : field === "alias"
            ? { field, ...(JSON.parse(holder) as { file: string; alias: string }) }
            : { field: field as "stale" | "slug" | "id" | "in-use", file: holder };
    const list = byKey.get(key);
    if (list) list.push(conflict);
    else byKey.set(key, [conflict]);
  }
  // RETURNING gives rows in no set order.
  const rank = (c: WriteConflict) => ["stale", "slug", "id", "alias", "retired", "image", "in-use"].indexOf(c.field);
  const text = (c: WriteConflict) => ("alias" in c ? c.alias : "file" in c ? c.file : "slug" in c ? c.slug : c.path);
  for (const list of byKey.values()) list.sort((a, b) => rank(a) - rank(b) || (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
  return byKey;
}
