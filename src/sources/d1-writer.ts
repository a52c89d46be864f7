// Writes the catalog in D1: each change is one batch (one transaction), and every read a change depends on is done by
// the statements themselves, inside it, so concurrent publishes of one article leave one whole version.
import { consoleSink, createEventLog, describeError, type EmitEvent } from "../core/events.ts";
import { deleteRemoteParts, newVersion, type PartsLocation, type PartsShards, singleDatabase, writeRemoteParts } from "./d1-shards.ts";
import { HOME_SCOPE, type Publication } from "./publication.ts";

export type WriteResult = "created" | "updated" | "unchanged";

/**
 * Where a re-published article stays in place: its slug, its time and the lists it is in. A stored list entry that
 * matches all three is kept where it is (an edit that keeps the date moves no other article), so the cost of an edit
 * does not grow with the lists.
 */
interface Keep {
  slug: string;
  published: number;
  /** JSON array of the scope keys the publication is in. */
  scopes: string;
}

/**
 * The statements that remove the publishable article a file holds, keeping every list dense. With `keep`, its entries
 * in lists where the publication takes the same place are left for insertArticle to find (the check is made by the
 * statements themselves, on what is stored when the batch runs).
 */
function removeArticle(db: D1Database, where: "file", value: string, keep?: Keep): D1PreparedStatement[] {
  const slug = where === "file" ? "(SELECT slug FROM articles WHERE file = ?1)" : "?1";
  const going = keep
    ? `slug = ${slug} AND NOT (slug = ?2 AND published = ?3 AND scope IN (SELECT value FROM json_each(?4)))`
    : `slug = ${slug}`;
  const bind = (statement: D1PreparedStatement) =>
    keep ? statement.bind(value, keep.slug, keep.published, keep.scopes) : statement.bind(value);
  return [
    db.prepare(`INSERT OR IGNORE INTO touched_scopes (scope) SELECT scope FROM memberships WHERE slug = ${slug}`).bind(value),
    // Every newer article of each list the article leaves moves down one position.
    bind(
      db.prepare(
        `UPDATE memberships SET position = memberships.position - 1
         FROM (SELECT scope, position FROM memberships WHERE ${going}) AS gone
         WHERE memberships.scope = gone.scope AND memberships.position > gone.position`,
      ),
    ),
    bind(db.prepare(`DELETE FROM memberships WHERE ${going}`)),
    db.prepare(`DELETE FROM image_refs WHERE slug = ${slug}`).bind(value),
    db.prepare(`DELETE FROM article_parts WHERE slug = ${slug}`).bind(value),
    db.prepare(`DELETE FROM articles WHERE slug = ${slug}`).bind(value),
  ];
}

/** Recomputes the facets of every scope the batch touched (name from the newest article, public from the oldest). */
function refreshFacets(db: D1Database): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM facets WHERE scope IN (SELECT scope FROM touched_scopes)"),
    db.prepare(
      `INSERT INTO facets (scope, kind, slug, name, first_published)
       SELECT t.scope,
              substr(t.scope, 1, instr(t.scope, '/') - 1),
              substr(t.scope, instr(t.scope, '/') + 1),
              (SELECT name FROM memberships m WHERE m.scope = t.scope ORDER BY m.position DESC LIMIT 1),
              (SELECT MIN(published) FROM memberships m WHERE m.scope = t.scope)
       FROM touched_scopes t
       WHERE t.scope <> '${HOME_SCOPE}' AND EXISTS (SELECT 1 FROM memberships m WHERE m.scope = t.scope)`,
    ),
    db.prepare("DELETE FROM touched_scopes"),
  ];
}

/**
 * The statements that insert a publication into its lists: newer articles move up one, it takes the gap. Each kind of
 * row is one statement whatever the article has (its parts, its lists, its images), so an import pays per article,
 * not per list: the lists and images go in as JSON arrays that `json_each` walks inside SQLite.
 */
function insertArticle(db: D1Database, pub: Publication, remote: Omit<PartsLocation, "slug"> | undefined): D1PreparedStatement[] {
  const at = pub.published.getTime();
  const parts = Object.entries(pub.parts);
  const partRows = parts.map((_part, i) => `(?1, ?${3 + 2 * i}, ?2, ?${4 + 2 * i})`).join(", ");
  const scopes = JSON.stringify(pub.memberships.map((m) => m.scope));
  const lists = JSON.stringify(pub.memberships.map((m) => [m.scope, m.name]));
  const statements: D1PreparedStatement[] = [
    db
      .prepare(
        `INSERT INTO articles (slug, file, id, published, updated, fingerprint, source_hash, warnings, shard, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`,
      )
      .bind(
        pub.slug,
        pub.file,
        pub.id,
        at,
        pub.updated.getTime(),
        pub.fingerprint,
        pub.sourceHash,
        JSON.stringify(pub.warnings),
        remote?.shard ?? 0,
        remote?.version ?? "",
      ),
    // In shard 0 the parts are written here, in the same transaction; in another shard they were written before it.
    ...(remote
      ? []
      : [
          db
            .prepare(`INSERT INTO article_parts (slug, part, revision, text) VALUES ${partRows}`)
            .bind(pub.slug, pub.revision, ...parts.flat()),
        ]),
    db.prepare("INSERT OR IGNORE INTO touched_scopes (scope) SELECT value FROM json_each(?1)").bind(scopes),
    // Lists are ordered by (published, slug descending): in every list the article enters, everything after it moves
    // up one. A list where removeArticle kept its entry (same slug, time and list) is left out: nothing moves there.
    db
      .prepare(
        `UPDATE memberships SET position = position + 1
         WHERE scope IN (SELECT j.value FROM json_each(?1) j WHERE NOT EXISTS (SELECT 1 FROM memberships k WHERE k.scope = j.value AND k.slug = ?3))
           AND (published > ?2 OR (published = ?2 AND slug < ?3))`,
      )
      .bind(scopes, at, pub.slug),
    // Its place in each list: after the last article before it, which is the newest one published earlier, or the one
    // published at the same instant with the smallest slug above its own. Each is a lookup on (scope, published); the
    // `+` keeps SQLite from walking the whole list in slug order (the primary key) instead. A kept entry only takes
    // the new name.
    db
      .prepare(
        `INSERT INTO memberships (scope, slug, position, published, name)
         SELECT l.scope, ?3, 1 + COALESCE(
             (SELECT MAX(position) FROM memberships WHERE scope = l.scope AND published = ?2 AND +slug > ?3),
             (SELECT position FROM memberships WHERE scope = l.scope AND published < ?2 ORDER BY published DESC, position DESC LIMIT 1),
             -1), ?2, l.name
         FROM (SELECT json_extract(value, '$[0]') AS scope, json_extract(value, '$[1]') AS name FROM json_each(?1)) AS l
         WHERE true
         ON CONFLICT (scope, slug) DO UPDATE SET name = excluded.name`,
      )
      .bind(lists, at, pub.slug),
  ];
  if (pub.images.length)
    statements.push(
      db
        .prepare("INSERT OR IGNORE INTO image_refs (path, slug) SELECT value, ?2 FROM json_each(?1)")
        .bind(JSON.stringify(pub.images), pub.slug),
    );
  return statements;
}

export interface WriteOptions {
  /** A file this article was renamed from: its article becomes this one. */
  replaces?: string;
  /** The clock a retired id is stamped with. */
  now?: Date;
  /** Where a failed clean-up of replaced parts is logged (they are left for the scheduled sweep). */
  emit?: EmitEvent;
  /** What the file holds now, when the caller read it already (null: nothing); read here otherwise. */
  existing?: StoredArticle | null;
}

/** The publishable article a file holds, as the writer compares it (and the publisher, for its correction warning). */
export interface StoredArticle {
  fingerprint: string;
  sourceHash: string;
  slug: string;
  /** Epoch milliseconds. */
  published: number;
  updated: number;
  shard: number;
  version: string;
}

/** What the writer compares a publication with: the publishable article `file` holds now (its StoredArticle, or none). */
export function storedArticleStatement(db: D1Database, file: string): D1PreparedStatement {
  return db
    .prepare("SELECT fingerprint, source_hash AS sourceHash, slug, published, updated, shard, version FROM articles WHERE file = ?1")
    .bind(file);
}

/** The catalog alone, or the catalog with its parts shards. */
type Target = D1Database | PartsShards;
const shardsOf = (target: Target): PartsShards => ("catalog" in target ? target : singleDatabase(target));

/** The parts in other databases that the articles of these files have now: read inside the batch that replaces them. */
const remoteOfFiles = (db: D1Database, files: readonly string[]) =>
  db
    .prepare("SELECT slug, shard, version FROM articles WHERE shard <> 0 AND file IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(files));

/**
 * Runs a change's batch, then deletes the parts in other databases that it replaced (as read by its statement at
 * `replacedAt`, inside the transaction). A clean-up that fails is logged and left to the scheduled sweep: the change
 * is made, and no reader follows the catalog to what was replaced.
 */
async function commit(
  shards: PartsShards,
  statements: D1PreparedStatement[],
  replacedAt: number,
  kept: PartsLocation | undefined,
  emit: EmitEvent | undefined,
): Promise<void> {
  const results = await shards.catalog.batch(statements);
  const replaced = (results[replacedAt]!.results as PartsLocation[]).filter(
    (l) => !(kept && l.slug === kept.slug && l.shard === kept.shard && l.version === kept.version),
  );
  if (replaced.length === 0) return;
  try {
    await deleteRemoteParts(shards, replaced);
  } catch (error) {
    (emit ?? createEventLog(consoleSink))({
      event: "storage-fault",
      store: "d1",
      operation: "parts clean-up",
      message: `${describeError(error)}; ${replaced.map((l) => `${l.slug}@${l.shard}/${l.version}`).join(", ")} left for the scheduled sweep`,
    });
  }
}

/**
 * Stores a publication: a publishable article replaces whatever its slug and its file held (and, with `replaces`, a
 * file it was renamed from); a draft is kept for the preview and takes the file out of every list. Identical content
 * (same fingerprint, same source, same file) changes nothing at all, so no version or ETag moves. With shards, the
 * parts go to the write shard first (src/sources/d1-shards.ts).
 */
export async function writePublication(target: Target, pub: Publication, options: WriteOptions = {}): Promise<WriteResult> {
  const shards = shardsOf(target);
  const db = shards.catalog;
  const existing = options.existing !== undefined ? options.existing : await storedArticleStatement(db, pub.file).first<StoredArticle>();
  const draft = pub.draft
    ? await db.prepare("SELECT source_hash AS sourceHash FROM drafts WHERE file = ?1").bind(pub.file).first<{ sourceHash: string }>()
    : null;
  if (!pub.draft && existing && existing.fingerprint === pub.fingerprint && existing.sourceHash === pub.sourceHash && !options.replaces) {
    return "unchanged";
  }
  if (pub.draft && draft && draft.sourceHash === pub.sourceHash && !existing) return "unchanged";

  const files = options.replaces && options.replaces !== pub.file ? [pub.file, options.replaces] : [pub.file];
  const statements: D1PreparedStatement[] = [db.prepare("DELETE FROM touched_scopes"), remoteOfFiles(db, files)];
  const remote = !pub.draft && shards.write !== 0 ? { slug: pub.slug, shard: shards.write, version: newVersion() } : undefined;
  const keep: Keep | undefined = pub.draft
    ? undefined
    : { slug: pub.slug, published: pub.published.getTime(), scopes: JSON.stringify(pub.memberships.map((m) => m.scope)) };
  if (options.replaces && options.replaces !== pub.file) {
    // A rename: the old file's article becomes this one, so its id is not retired.
    statements.push(
      ...removeArticle(db, "file", options.replaces, keep),
      db.prepare("DELETE FROM drafts WHERE file = ?1").bind(options.replaces),
    );
  }
  if (pub.draft) {
    // An article turned back into a draft is out of every list; its id stays its own.
    statements.push(
      db
        .prepare("INSERT OR IGNORE INTO retired_ids (id, slug, retired) SELECT id, slug, ?2 FROM articles WHERE file = ?1")
        .bind(pub.file, (options.now ?? new Date()).getTime()),
      ...removeArticle(db, "file", pub.file),
      db
        .prepare(
          `INSERT INTO drafts (file, slug, source_hash, record, warnings) VALUES (?1, ?2, ?3, ?4, ?5)
           ON CONFLICT (file) DO UPDATE SET slug = excluded.slug, source_hash = excluded.source_hash, record = excluded.record, warnings = excluded.warnings`,
        )
        .bind(pub.file, pub.slug, pub.sourceHash, pub.parts.record, JSON.stringify(pub.warnings)),
    );
  } else {
    statements.push(
      // A slug held by another file is refused before this is called; should one appear meanwhile, the insert's
      // primary key fails the whole batch and nothing changes.
      ...removeArticle(db, "file", pub.file, keep),
      db.prepare("DELETE FROM drafts WHERE file = ?1").bind(pub.file),
      ...insertArticle(db, pub, remote),
    );
  }
  statements.push(...refreshFacets(db));
  if (remote) {
    // The parts first, under a version no other write uses; if the catalog's batch then fails, they go again.
    await writeRemoteParts(shards.database(remote.shard), pub, remote.version, new Date());
    try {
      await commit(shards, statements, 1, remote, options.emit);
    } catch (error) {
      await deleteRemoteParts(shards, [remote]).catch(() => undefined); // what is left, the sweep removes
      throw error;
    }
  } else {
    await commit(shards, statements, 1, undefined, options.emit);
  }
  return existing ? "updated" : "created";
}

/** Removes a file's article (its id is retired: never given to another article) or draft. */
export async function deleteFile(target: Target, file: string, now: Date = new Date(), emit?: EmitEvent): Promise<"deleted" | "absent"> {
  const shards = shardsOf(target);
  const db = shards.catalog;
  const known = await db
    .prepare("SELECT 1 AS found FROM articles WHERE file = ?1 UNION ALL SELECT 1 FROM drafts WHERE file = ?1 LIMIT 1")
    .bind(file)
    .first<{ found: number }>();
  if (!known) return "absent";
  const statements = [
    db.prepare("DELETE FROM touched_scopes"),
    remoteOfFiles(db, [file]),
    db
      .prepare("INSERT OR IGNORE INTO retired_ids (id, slug, retired) SELECT id, slug, ?2 FROM articles WHERE file = ?1")
      .bind(file, now.getTime()),
    ...removeArticle(db, "file", file),
    db.prepare("DELETE FROM drafts WHERE file = ?1").bind(file),
    ...refreshFacets(db),
  ];
  await commit(shards, statements, 1, undefined, emit);
  return "deleted";
}

/** An image's facts, as measured from its bytes when it was stored. */
export interface StoredImageFacts {
  type: string;
  width: number;
  height: number;
  length: number;
  sha256: string;
}

/** Records an image stored in R2 (the bytes are put first, so a row always has its object). */
export async function writeImageFacts(db: D1Database, path: string, facts: StoredImageFacts): Promise<void> {
  await db
    .prepare(
      `INSERT INTO images (path, type, width, height, length, sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (path) DO UPDATE SET type = excluded.type, width = excluded.width, height = excluded.height,
         length = excluded.length, sha256 = excluded.sha256`,
    )
    .bind(path, facts.type, facts.width, facts.height, facts.length, facts.sha256)
    .run();
}

/** Stores authors.yaml or partners.yaml: its text, and the registry parsed from it (JSON) that the worker reads. */
export async function writeRegistry(
  db: D1Database,
  name: "authors.yaml" | "partners.yaml",
  entry: { sourceHash: string; text: string; parsed: string; warnings: string },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO registries (name, source_hash, text, parsed, warnings) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (name) DO UPDATE SET source_hash = excluded.source_hash, text = excluded.text, parsed = excluded.parsed,
         warnings = excluded.warnings`,
    )
    .bind(name, entry.sourceHash, entry.text, entry.parsed, entry.warnings)
    .run();
}
