// Articles' parts (source, record, page, body, each format's item) in D1, table `article_parts`, with one row shape in every
// database that holds them: shard 0 is the catalog database itself, shard n ≥ 1 the database bound as PARTS_n
// (migrations-parts/), for archives past one database's 10 GB. A version is written whole under a key no other write
// uses before the catalog names it (in the catalog's own transaction when the write shard is the catalog database),
// and deleted once the catalog names another; the reads, writes, deletes, the sweep and moves below are the same
// statements whichever database they run in.
import { ConfigError, callStore, StorageError } from "../../core/errors.ts";
import { BODY_PART, type PartName, type Publication } from "../../core/publish/publication.ts";
import { PARTS_MOVE, type PartsMoveOutcome } from "../../core/publishing.ts";

/** Where one article's parts are: the shard of the database holding them and the version they are under. */
export interface PartsLocation {
  slug: string;
  shard: number;
  version: string;
}

/** The databases parts are kept in, and the one new writes go to. */
export interface PartsShards {
  /** The catalog database: shard 0. */
  readonly catalog: D1Database;
  /** The shard new writes go to. */
  readonly write: number;
  /** Every shard: 0 and the databases bound besides the catalog, in order. */
  readonly all: readonly number[];
  /** The database of shard `n` (0: the catalog); a StorageError when it is not bound (removed from wrangler.toml). */
  database(n: number): D1Database;
}

/** The shard bindings of an environment: `PARTS_1`, `PARTS_2`, … (D1 bindings), and the `PARTS_WRITE_SHARD` setting. */
export interface ShardEnv {
  PARTS_WRITE_SHARD?: string;
  [binding: `PARTS_${number}`]: D1Database | undefined;
}

/** The catalog alone: every part in shard 0 (a single-database site, and most tests). */
export function singleDatabase(catalog: D1Database): PartsShards {
  return partsShards(catalog, new Map(), 0);
}

/** Shards over `catalog` and the databases `bound` (shard number ≥ 1 → database), writing to `write`. */
export function partsShards(catalog: D1Database, bound: ReadonlyMap<number, D1Database>, write: number): PartsShards {
  if (write !== 0 && !bound.has(write)) {
    throw new ConfigError("PARTS_WRITE_SHARD", `it is ${write}, but no D1 database is bound as PARTS_${write} (wrangler.toml)`);
  }
  return {
    catalog,
    write,
    all: [0, ...[...bound.keys()].sort((a, b) => a - b)],
    database(n) {
      const db = n === 0 ? catalog : bound.get(n);
      if (!db) {
        throw new StorageError("d1", "parts", new Error(`an article's parts are in shard ${n}, but no D1 database is bound as PARTS_${n}`));
      }
      return db;
    },
  };
}

/** The shards an environment binds (`PARTS_<n>`, n ≥ 1) and its write shard (`PARTS_WRITE_SHARD`, default 0). */
export function shardsFromEnv(catalog: D1Database, env: ShardEnv): PartsShards {
  const bound = new Map<number, D1Database>();
  for (const [name, value] of Object.entries(env)) {
    const match = /^PARTS_([1-9][0-9]{0,3})$/.exec(name);
    if (match && value && typeof value === "object") bound.set(Number(match[1]), value as D1Database);
  }
  const setting = env.PARTS_WRITE_SHARD?.trim() ?? "";
  if (setting !== "" && !/^(0|[1-9][0-9]{0,3})$/.test(setting)) {
    throw new ConfigError("PARTS_WRITE_SHARD", `must be a shard number (0 for the catalog database, n for PARTS_n); it is "${setting}"`);
  }
  return partsShards(catalog, bound, setting === "" ? 0 : Number(setting));
}

/**
 * A located article whose part its shard does not hold: the catalog named a version that a publish has since replaced
 * (the reader planned before the switch and read after the clean-up), or, if it persists, a damaged store.
 */
export class MissingPartsError extends StorageError {
  constructor(part: PartName, location: PartsLocation) {
    const version = location.version ? ` (version ${location.version})` : "";
    super("d1", "parts", new Error(`no ${part} stored for "${location.slug}" in shard ${location.shard}${version}`));
    this.name = "MissingPartsError";
  }
}

/** A version name for a write: never used twice, so no other write can name or delete its rows. */
export function newVersion(): string {
  return crypto.randomUUID();
}

/** Locations grouped by shard, each shard's in their order: one query per shard. */
function byShard(locations: readonly PartsLocation[]): Map<number, PartsLocation[]> {
  const groups = new Map<number, PartsLocation[]>();
  for (const location of locations) {
    const list = groups.get(location.shard);
    if (list) list.push(location);
    else groups.set(location.shard, [location]);
  }
  return groups;
}

/** JSON of [slug, version] pairs, walked by `json_each` in a shard's query. */
const pairs = (locations: readonly PartsLocation[]) => JSON.stringify(locations.map((l) => [l.slug, l.version]));

/**
 * The part `part` of these articles in one database; with `body`, each with its version's body beside it (NULL for an
 * article stored before bodies were stored apart: its stored article and items hold theirs).
 */
function partsQuery(db: D1Database, part: PartName, locations: readonly PartsLocation[], body: boolean): D1PreparedStatement {
  if (!body) {
    return db
      .prepare(
        `SELECT slug, revision, text FROM article_parts
         WHERE part = ?1 AND (slug, version) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?2))`,
      )
      .bind(part, pairs(locations));
  }
  return db
    .prepare(
      `SELECT p.slug AS slug, p.revision AS revision, p.text AS text, b.text AS body FROM article_parts p
       LEFT JOIN article_parts b ON b.slug = p.slug AND b.version = p.version AND b.part = ?3
       WHERE p.part = ?1 AND (p.slug, p.version) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?2))`,
    )
    .bind(part, pairs(locations), BODY_PART);
}

/** A part as read: its text, the revision of the renderers that wrote it, and the version's body when asked for. */
export interface ReadPart {
  revision: number;
  text: string;
  body?: string;
}

/**
 * The part `part` of every located article, by slug: one query per shard involved, the shards' queries in parallel.
 * A located article whose part is missing is an error (the catalog names a version its shard does not hold), unless
 * `optional`: a part only articles published since it existed have (excerpt items), left out of the answer.
 */
export async function readParts(
  shards: PartsShards,
  locations: readonly PartsLocation[],
  part: PartName,
  { optional = false, body = false }: { optional?: boolean; body?: boolean } = {},
): Promise<Map<string, ReadPart>> {
  const found = new Map<string, ReadPart>();
  await Promise.all(
    [...byShard(locations)].map(async ([shard, list]) => {
      const { results } = await callStore("d1", "parts", () =>
        partsQuery(shards.database(shard), part, list, body).all<{ slug: string; revision: number; text: string; body?: string | null }>(),
      );
      for (const row of results) {
        found.set(row.slug, { revision: row.revision, text: row.text, ...(typeof row.body === "string" ? { body: row.body } : {}) });
      }
    }),
  );
  if (!optional) for (const location of locations) if (!found.has(location.slug)) throw new MissingPartsError(part, location);
  return found;
}

/**
 * The statement writing a publication's parts into `db` under `version`, stamped with the wall clock `written`. Inside
 * the catalog's transaction it is guarded (`guardKey`: the change's key in write_guard, src/store/d1/guard.ts), so a
 * refused change writes none; a parts database has no guard table, and its write comes before the catalog's.
 */
export function insertParts(db: D1Database, pub: Publication, version: string, written: number, guardKey?: string): D1PreparedStatement {
  const parts = Object.entries(pub.parts);
  const rows = parts.map((_part, i) => `(?${6 + 2 * i}, ?${7 + 2 * i})`).join(", ");
  const condition = guardKey === undefined ? "?5 IS NULL" : "NOT EXISTS (SELECT 1 FROM write_guard WHERE key = ?5)";
  return db
    .prepare(
      `INSERT INTO article_parts (slug, version, part, revision, text, written)
       SELECT ?1, ?2, column1, ?3, column2, ?4 FROM (VALUES ${rows}) WHERE ${condition}`,
    )
    .bind(pub.slug, version, pub.revision, written, guardKey ?? null, ...parts.flat());
}

/** One article's parts for `insertGuardedParts`: its publication, the version they go under and its change's key. */
export interface GuardedParts {
  pub: Publication;
  version: string;
  guardKey: string;
}

/** D1 binds at most 100 parameters a statement (D1_LIMITS); an article's parts take 24 (4 + a name and text each). */
const MAX_PARAMETERS = 100;

/**
 * The guarded statements writing many articles' parts inside the catalog's transaction (as `insertParts` with a
 * `guardKey`): as many articles a statement as D1's 100 bound parameters allow (four of ten parts each), in order, so
 * the rows go in as one statement an article would write them. A write of 200 articles is 50 statements, not 200:
 * each statement costs the binding and local D1 a result and its metadata, whatever it writes.
 */
export function insertGuardedParts(db: D1Database, rows: readonly GuardedParts[], written: number): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  let selects: string[] = [];
  let values: unknown[] = [written];
  const flush = () => {
    if (selects.length === 0) return;
    statements.push(
      db
        .prepare(`INSERT INTO article_parts (slug, version, part, revision, text, written)\n${selects.join("\nUNION ALL\n")}`)
        .bind(...values),
    );
    selects = [];
    values = [written];
  };
  for (const { pub, version, guardKey } of rows) {
    const parts = Object.entries(pub.parts);
    if (values.length + 4 + 2 * parts.length > MAX_PARAMETERS) flush();
    const at = values.length + 1; // ?1 is `written`; this article's own parameters start here
    const pairs = parts.map((_part, i) => `(?${at + 4 + 2 * i}, ?${at + 5 + 2 * i})`).join(", ");
    selects.push(
      `SELECT ?${at}, ?${at + 1}, column1, ?${at + 2}, column2, ?1 FROM (VALUES ${pairs}) ` +
        `WHERE NOT EXISTS (SELECT 1 FROM write_guard WHERE key = ?${at + 3})`,
    );
    values.push(pub.slug, version, pub.revision, guardKey, ...parts.flat());
  }
  flush();
  return statements;
}

/** Deletes the parts at these locations, one statement per shard, in parallel. */
export async function deleteParts(shards: PartsShards, locations: readonly PartsLocation[]): Promise<void> {
  await Promise.all(
    [...byShard(locations)].map(([shard, list]) =>
      shards
        .database(shard)
        .prepare("DELETE FROM article_parts WHERE (slug, version) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?1))")
        .bind(pairs(list))
        .run(),
    ),
  );
}

/**
 * Parts younger than this are never swept: a publish writes its parts and commits the catalog within seconds (D1
 * cancels a query after 30 s), so a version this young may be one the catalog is about to name.
 */
export const SWEEP_MIN_AGE_MS = 15 * 60 * 1000;
/** Versions looked at per shard per scheduled run: the sweep's cost is bounded whatever the archive. */
export const SWEEP_BATCH = 200;

export interface SweepOutcome {
  shard: number;
  /** Versions looked at, and how many of them no article names (deleted). */
  checked: number;
  deleted: number;
}

const CURSOR = "parts-sweep:";

/**
 * One step of the sweep over every shard, the catalog's own included: the next SWEEP_BATCH versions after the shard's
 * cursor (kept in the catalog's `state`), each deleted when no article names it and it is older than SWEEP_MIN_AGE_MS.
 * What a failed clean-up, a move cut off half way or a publish whose catalog write failed leave behind is found
 * within (versions in the shard / SWEEP_BATCH) runs.
 */
export async function sweepParts(shards: PartsShards, wallClock: number = Date.now()): Promise<SweepOutcome[]> {
  const outcomes: SweepOutcome[] = [];
  for (const shard of shards.all) {
    const db = shards.database(shard);
    const key = CURSOR + shard;
    const cursor = await callStore("d1", "parts sweep", () =>
      shards.catalog.prepare("SELECT value FROM state WHERE key = ?1").bind(key).first<{ value: string }>(),
    );
    const [afterSlug, afterVersion] = cursor ? (JSON.parse(cursor.value) as [string, string]) : ["", ""];
    const { results } = await callStore("d1", "parts sweep", () =>
      db
        .prepare(
          `SELECT slug, version, MAX(written) AS written FROM article_parts WHERE (slug, version) > (?1, ?2)
           GROUP BY slug, version ORDER BY slug, version LIMIT ?3`,
        )
        .bind(afterSlug, afterVersion, SWEEP_BATCH)
        .all<{ slug: string; version: string; written: number }>(),
    );
    const named = new Set<string>();
    if (results.length) {
      const { results: current } = await callStore("d1", "parts sweep", () =>
        shards.catalog
          .prepare("SELECT slug, version FROM articles WHERE shard = ?1 AND slug IN (SELECT value FROM json_each(?2))")
          .bind(shard, JSON.stringify([...new Set(results.map((r) => r.slug))]))
          .all<{ slug: string; version: string }>(),
      );
      for (const row of current) named.add(`${row.slug}\0${row.version}`);
    }
    const orphans = results
      .filter((r) => !named.has(`${r.slug}\0${r.version}`) && r.written < wallClock - SWEEP_MIN_AGE_MS)
      .map((r) => ({ slug: r.slug, shard, version: r.version }));
    if (orphans.length) await callStore("d1", "parts sweep", () => deleteParts(shards, orphans));
    // A short page is the shard's end: the next run starts again from its beginning.
    const last = results.length === SWEEP_BATCH ? results[results.length - 1]! : undefined;
    await callStore("d1", "parts sweep", () =>
      shards.catalog
        .prepare("INSERT INTO state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key, JSON.stringify(last ? [last.slug, last.version] : ["", ""]))
        .run(),
    );
    outcomes.push({ shard, checked: results.length, deleted: orphans.length });
  }
  return outcomes;
}

/**
 * Moves the parts of up to `limit` articles from shard `from` to the write shard, oldest slug first: for a database
 * nearing its 10 GB. Nothing a reader sees changes (no version of an article's content, no ETag): each article's parts
 * are copied whole under a new version, the catalog's row is switched only if the article was not re-published
 * meanwhile, then the old copy goes. An article a publish changed meanwhile keeps what that publish wrote, and the copy
 * is removed.
 */
export async function moveParts(shards: PartsShards, from: number, limit: number): Promise<PartsMoveOutcome> {
  const to = shards.write;
  if (from === to) return { from, to, moved: 0, more: false };
  const db = shards.catalog;
  const take = Math.min(limit, PARTS_MOVE.max);
  const { results: located } = await callStore("d1", "parts move", () =>
    db.prepare("SELECT slug, shard, version FROM articles WHERE shard = ?1 ORDER BY slug LIMIT ?2").bind(from, take).all<PartsLocation>(),
  );
  if (located.length === 0) return { from, to, moved: 0, more: false };
  const { results: rows } = await callStore("d1", "parts move", () =>
    shards
      .database(from)
      .prepare(
        "SELECT slug, part, revision, text FROM article_parts WHERE (slug, version) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?1))",
      )
      .bind(pairs(located))
      .all<{ slug: string; part: string; revision: number; text: string }>(),
  );
  // An article whose parts its shard does not hold is not moved, and neither is anything else: the store is damaged.
  const missing = located.find((l) => !rows.some((r) => r.slug === l.slug));
  if (missing) throw new MissingPartsError("record", missing);
  const copies = located.map((l) => ({ old: l, next: { slug: l.slug, shard: to, version: newVersion() } }));
  const written = Date.now();
  const target = shards.database(to);
  // One statement per article, its parts as rows of one insert.
  await callStore("d1", "parts move", () =>
    target.batch(
      copies.map(({ next }) => {
        const own = rows.filter((r) => r.slug === next.slug);
        const values = own.map((_r, i) => `(?1, ?2, ?${4 + 3 * i}, ?${5 + 3 * i}, ?${6 + 3 * i}, ?3)`).join(", ");
        return target
          .prepare(`INSERT INTO article_parts (slug, version, part, revision, text, written) VALUES ${values}`)
          .bind(next.slug, next.version, written, ...own.flatMap((r) => [r.part, r.revision, r.text]));
      }),
    ),
  );
  // The switch, per article only where the catalog still names the copy's source.
  const results = await callStore("d1", "parts move", () =>
    db.batch(
      copies.map(({ old, next }) =>
        db
          .prepare("UPDATE articles SET shard = ?2, version = ?3 WHERE slug = ?1 AND shard = ?4 AND version = ?5")
          .bind(old.slug, next.shard, next.version, old.shard, old.version),
      ),
    ),
  );
  const switched = copies.filter((_c, i) => results[i]!.meta.changes > 0);
  const stale = copies.filter((_c, i) => results[i]!.meta.changes === 0);
  // What no reader can reach any more: the old copies of the switched, the new copies of the rest.
  await callStore("d1", "parts move", () => deleteParts(shards, [...switched.map((c) => c.old), ...stale.map((c) => c.next)]));
  return { from, to, moved: switched.length, more: located.length === take };
}
