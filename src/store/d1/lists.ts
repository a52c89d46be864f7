// Tables `memberships`, `lists`, `facets`, `touched_scopes` and `list_changes`: every list an article is in, as
// positions (src/core/publish/lists.ts has the rules; migrations/0003 the schema), and the statements that read and
// write them. Each read is one indexed lookup; each write moves only the positions of articles not yet out (embargoed
// ones, and those stored at the same instant), so no write grows with the archive.
import { unrefusedRow } from "./guard.ts";

/** An entry of a list as the catalog reads it: the article's row fields its Entry needs, and where its parts are. */
export const ENTRY_COLUMNS =
  "m.slug AS slug, a.published AS published, a.updated AS updated, a.fingerprint AS fingerprint, a.shard AS shard, a.version AS version";

/** The list reads of a feed, each one indexed lookup: the single reads and the window's batch share them. */
export function listReads(db: D1Database) {
  return {
    /** The last position out at `now` (the positions taken), and the positions removed from the list. */
    count: (scope: string, now: Date) =>
      db
        .prepare(
          `SELECT (SELECT position FROM memberships WHERE scope = ?1 AND listed <= ?2 ORDER BY listed DESC, position DESC LIMIT 1) AS last,
                  (SELECT removed FROM lists WHERE scope = ?1) AS removed`,
        )
        .bind(scope, now.getTime()),
    /** The newest `limit` articles out at `now`, by publication time (memberships_live). */
    newest: (scope: string, now: Date, limit: number) =>
      db
        .prepare(
          `SELECT ${ENTRY_COLUMNS} FROM memberships m JOIN articles a ON a.slug = m.slug
           WHERE m.scope = ?1 AND m.removed = 0 AND m.published <= ?2 AND m.listed <= ?2
           ORDER BY m.published DESC, m.slug LIMIT ?3`,
        )
        .bind(scope, now.getTime(), limit),
    /** The articles out at `now` at positions [from, to), newest position first (the primary key). */
    slice: (scope: string, now: Date, from: number, to: number) =>
      db
        .prepare(
          `SELECT ${ENTRY_COLUMNS} FROM memberships m JOIN articles a ON a.slug = m.slug
           WHERE m.scope = ?1 AND m.position >= ?2 AND m.position < ?3 AND m.removed = 0 AND m.listed <= ?4
           ORDER BY m.position DESC`,
        )
        .bind(scope, from, to, now.getTime()),
    /** The first instant after `now` an article enters the list. */
    next: (scope: string, now: Date) =>
      db
        .prepare(
          "SELECT listed AS next FROM memberships WHERE scope = ?1 AND listed > ?2 AND removed = 0 ORDER BY listed, position LIMIT 1",
        )
        .bind(scope, now.getTime()),
    /** Whether an article of the list is out at `now`. */
    isPublic: (scope: string, now: Date) =>
      db
        .prepare("SELECT 1 AS out FROM memberships WHERE scope = ?1 AND removed = 0 AND published <= ?2 AND listed <= ?2 LIMIT 1")
        .bind(scope, now.getTime()),
  };
}

/** Positions and count from the `count` read's row. */
export function countOf(row: { last: number | null; removed: number | null } | null | undefined): { positions: number; count: number } {
  const positions = row?.last == null ? 0 : row.last + 1;
  return { positions, count: Math.max(0, positions - (row?.removed ?? 0)) };
}

/** The live list entries of the articles these files hold (what replacing them plans from). */
export function entriesOfFiles(db: D1Database, files: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `SELECT a.file AS file, m.scope AS scope, m.listed AS listed FROM articles a JOIN memberships m ON m.slug = a.slug AND m.removed = 0
       WHERE a.file IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(files));
}

/** The articles in these lists (live entries), each once. */
export function membersOf(db: D1Database, scopes: readonly string[]): D1PreparedStatement {
  return db
    .prepare("SELECT DISTINCT slug FROM memberships WHERE scope IN (SELECT value FROM json_each(?1)) AND removed = 0 ORDER BY slug")
    .bind(JSON.stringify(scopes));
}

/** Lists a write touches: their facets are recomputed at its end (refreshFacets); touching more than needed costs nothing. */
export function touchLists(db: D1Database, scopes: readonly string[]): D1PreparedStatement {
  return db.prepare("INSERT OR IGNORE INTO touched_scopes (scope) SELECT value FROM json_each(?1)").bind(JSON.stringify(scopes));
}

/** An entry leaving its list, of the change `key`, as of the change's instant `now`. */
export interface LeaveRow {
  key: string;
  slug: string;
  scope: string;
  now: number;
}

/**
 * Every entry a write's changes make leave: a tombstone where the article is out at the change's instant (its position
 * stays taken, counted in `lists`), else removed, the later positions of that list (articles not yet out) moving down.
 * Positions move through negative values, so no two rows ever share one.
 */
export function leaveLists(db: D1Database, rows: readonly LeaveRow[]): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO list_changes (key, scope, action, position)
         SELECT j.value ->> 'key', m.scope, CASE WHEN m.listed <= j.value ->> 'now' THEN 'tombstone' ELSE 'drop' END, m.position
         FROM json_each(?1) j JOIN memberships m ON m.slug = j.value ->> 'slug' AND m.scope = j.value ->> 'scope' AND m.removed = 0
         WHERE ${unrefusedRow("j.value ->> 'key'")}`,
      )
      .bind(JSON.stringify(rows)),
    db.prepare(
      `UPDATE memberships SET removed = 1 FROM list_changes c
       WHERE c.action = 'tombstone' AND memberships.scope = c.scope AND memberships.position = c.position`,
    ),
    db.prepare(
      `INSERT INTO lists (scope, removed) SELECT scope, COUNT(*) FROM list_changes WHERE action = 'tombstone' GROUP BY scope
       ON CONFLICT (scope) DO UPDATE SET removed = lists.removed + excluded.removed`,
    ),
    db.prepare("DELETE FROM memberships WHERE (scope, position) IN (SELECT scope, position FROM list_changes WHERE action = 'drop')"),
    db.prepare(
      `UPDATE memberships
       SET position = -1 - (memberships.position - (SELECT COUNT(*) FROM list_changes c
                                                     WHERE c.action = 'drop' AND c.scope = memberships.scope AND c.position < memberships.position))
       FROM (SELECT scope, MIN(position) AS first FROM list_changes WHERE action = 'drop' GROUP BY scope) d
       WHERE memberships.scope = d.scope AND memberships.position > d.first`,
    ),
    db.prepare(
      "UPDATE memberships SET position = -1 - position WHERE scope IN (SELECT scope FROM list_changes WHERE action = 'drop') AND position < 0",
    ),
  ];
}

/** An entry of a list, of the change `key`: an article's slug, its publication time, the name it gives the list. */
export interface EntryRow {
  key: string;
  slug: string;
  scope: string;
  name: string;
  published: number;
  now: number;
}

/** Entries an edit keeps where they are: the article's publication time and the names it gives its lists. */
export function keepLists(db: D1Database, rows: readonly EntryRow[]): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE memberships SET published = j.value ->> 'published', name = j.value ->> 'name' FROM json_each(?1) j
       WHERE memberships.slug = j.value ->> 'slug' AND memberships.scope = j.value ->> 'scope' AND memberships.removed = 0
         AND ${unrefusedRow("j.value ->> 'key'")}`,
    )
    .bind(JSON.stringify(rows));
}

/**
 * Every entry a write's articles enter, placed together (src/core/publish/lists.ts): each listed at its publication
 * time if that sorts after the last position out at its instant before the write, else at that instant; each placed
 * after every position and every entry of the write that sorts before it (by listed instant, then slug descending);
 * the later positions (articles not yet out) move up past the entries placed before them, through negative values.
 * Each lookup is one seek on memberships_by_listed; the write's own entries are compared among themselves.
 */
export function enterLists(db: D1Database, rows: readonly EntryRow[]): D1PreparedStatement[] {
  const before = (a: string, b: string) => `(${a}.listed < ${b}.listed OR (${a}.listed = ${b}.listed AND ${a}.slug > ${b}.slug))`;
  return [
    db
      .prepare(
        `INSERT INTO list_changes (key, scope, action, name, slug, published, listed)
         SELECT key, scope, 'enter', name, slug, published,
                CASE WHEN at IS NULL OR published > at OR (published = at AND slug < at_slug) THEN published ELSE now END
         FROM (SELECT j.value ->> 'key' AS key, j.value ->> 'scope' AS scope, j.value ->> 'name' AS name, j.value ->> 'slug' AS slug,
                      j.value ->> 'published' AS published, j.value ->> 'now' AS now,
                      (SELECT listed FROM memberships INDEXED BY memberships_by_listed
                       WHERE scope = j.value ->> 'scope' AND listed <= j.value ->> 'now' ORDER BY listed DESC, position DESC LIMIT 1) AS at,
                      (SELECT slug FROM memberships INDEXED BY memberships_by_listed
                       WHERE scope = j.value ->> 'scope' AND listed <= j.value ->> 'now' ORDER BY listed DESC, position DESC LIMIT 1) AS at_slug
               FROM json_each(?1) j WHERE ${unrefusedRow("j.value ->> 'key'")})`,
      )
      .bind(JSON.stringify(rows)),
    // The write's own entries before each one in its list: its rank among them (RANK counts the rows that sort strictly
    // before, by listed instant then slug descending), one sort of the scratch rows, where a count per row read them
    // all again for every row (a write of 200 articles enters about 1,400 rows: two million row visits).
    db.prepare(
      `UPDATE list_changes SET position = 1 + COALESCE(
         (SELECT MAX(position) FROM memberships m INDEXED BY memberships_by_listed
          WHERE m.scope = list_changes.scope AND m.listed = list_changes.listed AND +m.slug > list_changes.slug),
         (SELECT position FROM memberships m INDEXED BY memberships_by_listed
          WHERE m.scope = list_changes.scope AND m.listed < list_changes.listed ORDER BY m.listed DESC, m.position DESC LIMIT 1),
         -1) + r.earlier
       FROM (SELECT rowid AS id, RANK() OVER (PARTITION BY scope ORDER BY listed, slug DESC) - 1 AS earlier
             FROM list_changes WHERE action = 'enter') r
       WHERE list_changes.rowid = r.id`,
    ),
    // A row moves up past every entry that sorts before it or takes its very key (a tombstone of the same article).
    db.prepare(
      `UPDATE memberships
       SET position = -1 - (memberships.position + (SELECT COUNT(*) FROM list_changes c
                                                     WHERE c.action = 'enter' AND c.scope = memberships.scope
                                                       AND (${before("c", "memberships")} OR (c.listed = memberships.listed AND c.slug = memberships.slug))))
       FROM (SELECT scope, MIN(position) AS first FROM list_changes WHERE action = 'enter' GROUP BY scope) d
       WHERE memberships.scope = d.scope AND memberships.position >= d.first`,
    ),
    db.prepare(
      "UPDATE memberships SET position = -1 - position WHERE scope IN (SELECT scope FROM list_changes WHERE action = 'enter') AND position < 0",
    ),
    db.prepare(
      `INSERT INTO memberships (scope, position, slug, published, listed, name, removed)
       SELECT scope, position, slug, published, listed, name, 0 FROM list_changes WHERE action = 'enter'`,
    ),
  ];
}

/** Empties the write's scratch tables (at its start, and list_changes at its end). */
export function clearListScratch(db: D1Database): D1PreparedStatement[] {
  return [db.prepare("DELETE FROM touched_scopes"), db.prepare("DELETE FROM list_changes")];
}

/**
 * Recomputes the facets of every list the write touched: named by its newest article (by publication time), public
 * from its first listed instant; gone when no article is left in it. The site's lists (`home`, `all`) are no facets.
 */
export function refreshFacets(db: D1Database): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM facets WHERE scope IN (SELECT scope FROM touched_scopes)"),
    db.prepare(
      `INSERT INTO facets (scope, kind, slug, name, first_published)
       SELECT t.scope,
              substr(t.scope, 1, instr(t.scope, '/') - 1),
              substr(t.scope, instr(t.scope, '/') + 1),
              (SELECT name FROM memberships m WHERE m.scope = t.scope AND m.removed = 0 ORDER BY m.published DESC, m.slug LIMIT 1),
              (SELECT listed FROM memberships m WHERE m.scope = t.scope AND m.removed = 0 ORDER BY m.listed, m.position LIMIT 1)
       FROM touched_scopes t
       WHERE instr(t.scope, '/') > 0 AND EXISTS (SELECT 1 FROM memberships m WHERE m.scope = t.scope AND m.removed = 0)`,
    ),
    db.prepare("DELETE FROM touched_scopes"),
    db.prepare("DELETE FROM list_changes"),
  ];
}
