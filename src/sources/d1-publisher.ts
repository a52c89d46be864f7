// Publishing into D1 and R2: each operation validates against what is stored (the authors registry, image facts, the
// slugs and ids other files hold) with `npm run check`'s rules, then writes through d1-writer.ts in one batch.
import type { ArticleRecord } from "../core/article.ts";
import { type AuthorRegistry, parseAuthors } from "../core/authors.ts";
import { scopeKey } from "../core/catalog.ts";
import { correctionWarning, mayNeedCorrectionWarning } from "../core/corrections.ts";
import type { ContentIssue } from "../core/errors.ts";
import { type ImageFacts, inspectImage } from "../core/images.ts";
import type { Author } from "../core/model.ts";
import { parsePartners } from "../core/partners.ts";
import {
  type ArticleOutcome,
  type Claimant,
  checkContentPath,
  claimIssues,
  type DeleteOutcome,
  decodeUpload,
  type ImageOutcome,
  type ManifestEntry,
  PUBLISH_LIMITS,
  PUBLISHABLE_IMAGE_TYPES,
  type PublishChange,
  PublishConflictError,
  type Publisher,
  PublishRejectedError,
  parseWithStoredImages,
  type RegistryOutcome,
  type Republished,
  type StoredKind,
} from "../core/publishing.ts";
import type { SiteSettings } from "../core/settings.ts";
import { slugify } from "../core/text.ts";
import { moveParts, type PartsLocation, type PartsShards, readParts, singleDatabase } from "./d1-shards.ts";
import { deleteFile, type StoredArticle, storedArticleStatement, writeImageFacts, writePublication, writeRegistry } from "./d1-writer.ts";
import { hashSource, preparePublication } from "./publication.ts";

/** Stored articles read per query when re-publishing after a registry or image change (sources can be large). */
const REPUBLISH_CHUNK = 20;

/**
 * A publisher over the D1 database `db` and the R2 bucket `bucket`, validating with the site's settings; articles'
 * parts go to `shards`' write shard (src/sources/d1-shards.ts; by default `db` itself).
 */
export function createD1Publisher(
  db: D1Database,
  bucket: R2Bucket,
  site: SiteSettings,
  shards: PartsShards = singleDatabase(db),
): Publisher {
  /** The authors registry as stored (its rows for registryOf). */
  const authorsStatement = () => db.prepare("SELECT parsed FROM registries WHERE name = 'authors.yaml'");
  const loadAuthors = async (): Promise<AuthorRegistry> => registryOf<Author>((await authorsStatement().all<{ parsed: string }>()).results);

  const loadImages = async (paths: readonly string[]): Promise<ReadonlyMap<string, ImageFacts>> => {
    const { results } = await db
      .prepare("SELECT path, type, width, height, length FROM images WHERE path IN (SELECT value FROM json_each(?1))")
      .bind(JSON.stringify(paths))
      .all<ImageFacts & { path: string }>();
    return new Map(results.map(({ path, ...facts }) => [path, facts]));
  };

  /** The lists the articles of these files are in now. */
  const scopesOfFilesStatement = (files: readonly string[]) =>
    db
      .prepare(
        `SELECT DISTINCT m.scope AS scope FROM memberships m JOIN articles a ON a.slug = m.slug
         WHERE a.file IN (SELECT value FROM json_each(?1))`,
      )
      .bind(JSON.stringify(files));
  const scopesOfFiles = async (files: readonly string[]): Promise<string[]> =>
    (await scopesOfFilesStatement(files).all<{ scope: string }>()).results.map((r) => r.scope);

  /** The slugs of the articles these files hold now. */
  const slugsOfFilesStatement = (files: readonly string[]) =>
    db.prepare("SELECT slug FROM articles WHERE file IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(files));
  const slugsOfFiles = async (files: readonly string[]): Promise<string[]> =>
    (await slugsOfFilesStatement(files).all<{ slug: string }>()).results.map((r) => r.slug);

  /** Who else holds the slug or id `record` claims (a rename's old file excepted), and whether a deleted article had the id. */
  const claimants = async (record: ArticleRecord, replaces: string | undefined): Promise<Claimant[]> => {
    const { results } = await db
      .prepare(
        `SELECT 'slug' AS field, file, slug FROM articles WHERE slug = ?1 AND file <> ?3 AND file <> ?4
         UNION ALL SELECT 'id', file, slug FROM articles WHERE id = ?2 AND file <> ?3 AND file <> ?4
         UNION ALL SELECT 'retired', NULL, slug FROM retired_ids WHERE id = ?2 AND slug <> ?1`,
      )
      .bind(record.slug, record.id, record.file, replaces ?? "")
      .all<{ field: "slug" | "id" | "retired"; file: string | null; slug: string }>();
    // One file holding both the slug and the (URL-derived) id is one conflict, named once.
    const seen = new Set<string>();
    return results.flatMap((row): Claimant[] => {
      if (row.field === "retired") return [{ field: "retired", slug: row.slug }];
      if (seen.has(row.file!)) return [];
      seen.add(row.file!);
      return [row.field === "slug" ? { field: "slug", file: row.file! } : { field: "id", file: row.file! }];
    });
  };

  /** authors.yaml parsed as the check parses it, local avatars looked up among the stored images (two passes, as articles). */
  const parseStoredAuthors = async (text: string) => {
    const wanted = new Set<string>();
    const first = parseAuthors(text, site, {
      image: (file) => {
        wanted.add(file);
        return null;
      },
      exists: () => false,
    });
    if (wanted.size === 0) return first;
    const facts = await loadImages([...wanted]);
    return parseAuthors(text, site, { image: (file) => facts.get(file) ?? null, exists: (file) => facts.has(file) });
  };

  /** Parses an article's text against the stored registry and images; throws PublishRejectedError with check's issues. */
  const parseStored = async (file: string, text: string, authors: AuthorRegistry) => {
    const parsed = await parseWithStoredImages(file, text, { site, authors, loadImages });
    if (!parsed.ok) throw new PublishRejectedError(file, parsed.issues, parsed.warnings);
    return parsed;
  };

  /** Writes a publication; a slug or id taken meanwhile by a concurrent publish fails the batch, which changes nothing. */
  const write = async (
    record: ArticleRecord,
    text: string,
    warnings: readonly ContentIssue[],
    replaces: string | undefined,
    now: Date,
    existing?: StoredArticle | null,
  ) => {
    const publication = preparePublication(record, text, warnings);
    try {
      return { publication, result: await writePublication(shards, publication, { replaces, now, existing }) };
    } catch (error) {
      if (/UNIQUE constraint failed/i.test(String(error))) {
        throw new PublishConflictError(
          record.file,
          `${record.file}: its slug or id was taken by another publish meanwhile; nothing was changed`,
        );
      }
      throw error;
    }
  };

  /**
   * Publishes stored articles again from their stored source, after something they use changed. Articles that no
   * longer pass (they cannot, today: a registry or image change never invalidates one) keep their stored version.
   * Drafts keep theirs until they are next published: the store keeps no source for them.
   */
  const republish = async (slugs: readonly string[], now: Date): Promise<{ done: Republished[]; scopes: Set<string> }> => {
    const done: Republished[] = [];
    const scopes = new Set<string>();
    const authors = await loadAuthors();
    for (let i = 0; i < slugs.length; i += REPUBLISH_CHUNK) {
      const { results: located } = await db
        .prepare("SELECT file, slug, shard, version FROM articles WHERE slug IN (SELECT value FROM json_each(?1))")
        .bind(JSON.stringify(slugs.slice(i, i + REPUBLISH_CHUNK)))
        .all<PartsLocation & { file: string }>();
      const sources = await readParts(shards, located, "source");
      for (const { file, slug } of located) {
        const source = sources.get(slug)!.text;
        const parsed = await parseWithStoredImages(file, source, { site, authors, loadImages });
        if (!parsed.ok) continue;
        const before = await scopesOfFiles([file]);
        const { publication, result } = await write(parsed.record, source, parsed.warnings, undefined, now);
        done.push({ file, result });
        if (result === "unchanged") continue;
        for (const scope of [...before, ...publication.memberships.map((m) => m.scope)]) scopes.add(scope);
      }
    }
    return { done, scopes };
  };

  /**
   * The warning for a published article whose body changed without a later `updated` (src/core/corrections.ts). The
   * stored text is read (one more round trip) only when the text changed and `updated` did not move forward.
   */
  const findCorrection = async (existing: StoredArticle, record: ArticleRecord, text: string, now: Date) => {
    const stored = { published: new Date(existing.published), updated: new Date(existing.updated) };
    if (existing.sourceHash === hashSource(text) || !mayNeedCorrectionWarning(stored, record, now)) return undefined;
    const source = (await readParts(shards, [{ slug: existing.slug, shard: existing.shard, version: existing.version }], "source")).get(
      existing.slug,
    );
    return source ? correctionWarning({ ...stored, source: source.text }, record, now) : undefined;
  };

  /** The change to report, or undefined when nothing a reader can see changed (a draft, an unused image's removal). */
  const change = (now: Date, parts: Partial<Omit<PublishChange, "now">>): PublishChange | undefined => {
    const found: PublishChange = {
      scopes: [...new Set(parts.scopes ?? [])].sort(),
      slugs: [...new Set(parts.slugs ?? [])].sort(),
      images: parts.images ?? [],
      registries: parts.registries ?? [],
      now,
    };
    return found.scopes.length || found.slugs.length || found.images.length || found.registries.length ? found : undefined;
  };

  const requirePath = (kind: "article" | "image", path: string): void => {
    const expected = checkContentPath(kind, path);
    if (expected) throw new PublishRejectedError(path, [{ file: path, found: `the path ${JSON.stringify(path)}`, expected }]);
  };

  return {
    async manifest(after, limit) {
      // Each branch reads at most `limit` rows from its own primary-key (or unique) index, so a page costs the same
      // wherever it is in the archive.
      const { results } = await db
        .prepare(
          `SELECT path, kind, hash, slug, id FROM (
             SELECT * FROM (SELECT file AS path, 'article' AS kind, source_hash AS hash, slug, id FROM articles WHERE file > ?1 ORDER BY file LIMIT ?2)
             UNION ALL SELECT * FROM (SELECT file, 'draft', source_hash, slug, NULL FROM drafts WHERE file > ?1 ORDER BY file LIMIT ?2)
             UNION ALL SELECT * FROM (SELECT path, 'image', sha256, NULL, NULL FROM images WHERE path > ?1 ORDER BY path LIMIT ?2)
             UNION ALL SELECT * FROM (SELECT name, 'registry', source_hash, NULL, NULL FROM registries WHERE name > ?1 ORDER BY name LIMIT ?2)
           ) ORDER BY path LIMIT ?2`,
        )
        .bind(after, limit)
        .all<{ path: string; kind: StoredKind; hash: string; slug: string | null; id: string | null }>();
      const entries = results.map(
        (row): ManifestEntry => ({
          path: row.path,
          kind: row.kind,
          hash: row.hash,
          ...(row.slug !== null ? { slug: row.slug } : {}),
          ...(row.id !== null ? { id: row.id } : {}),
        }),
      );
      return { entries, next: entries.length === limit ? entries[entries.length - 1]!.path : null };
    },

    async putImage(path, bytes, now): Promise<ImageOutcome> {
      requirePath("image", path);
      // The check's own inspection: its reason names what the bytes are (an SVG, a damaged JPEG, …).
      const inspected = inspectImage(bytes);
      if (!inspected.ok || !PUBLISHABLE_IMAGE_TYPES.includes(inspected.facts.type)) {
        const found = inspected.ok ? `an image of type ${inspected.facts.type}` : inspected.reason;
        throw new PublishRejectedError(path, [{ file: path, found, expected: "a JPEG, PNG, GIF, WebP or AVIF file" }]);
      }
      const { facts } = inspected;
      const sha256 = await sha256Hex(bytes);
      const old = await db
        .prepare("SELECT type, width, height, length, sha256 FROM images WHERE path = ?1")
        .bind(path)
        .first<ImageFacts & { sha256: string }>();
      if (old && old.sha256 === sha256 && (await bucket.head(path))) return { path, result: "unchanged", facts, republished: [] };
      // The bytes first, then the row: a row always has its object, and an article can name the image only once both are in.
      await bucket.put(path, bytes, { httpMetadata: { contentType: facts.type }, sha256 });
      await writeImageFacts(db, path, { ...facts, sha256 });
      // Articles carry the facts they were published with (enclosure length, type, size): publish them again.
      const changed =
        old && (old.type !== facts.type || old.width !== facts.width || old.height !== facts.height || old.length !== facts.length);
      const users = changed
        ? (await db.prepare("SELECT slug FROM image_refs WHERE path = ?1").bind(path).all<{ slug: string }>()).results.map((r) => r.slug)
        : [];
      const { done, scopes } = await republish(users, now);
      return {
        path,
        result: old ? "updated" : "created",
        facts,
        republished: done,
        change: change(now, { scopes: [...scopes], slugs: done.some((d) => d.result !== "unchanged") ? users : [], images: [path] }),
      };
    },

    async deleteImage(path, now): Promise<DeleteOutcome> {
      requirePath("image", path);
      const { results } = await db
        .prepare("SELECT a.file AS file FROM image_refs r JOIN articles a ON a.slug = r.slug WHERE r.path = ?1 ORDER BY a.file LIMIT 5")
        .bind(path)
        .all<{ file: string }>();
      if (results.length) {
        throw new PublishConflictError(path, `${path} is used by ${results.map((r) => r.file).join(", ")}: publish or delete those first`);
      }
      // The row first, and only while no article uses the image (checked again inside the statement), then the bytes:
      // an article can never be published against an image that is going.
      const { meta } = await db
        .prepare("DELETE FROM images WHERE path = ?1 AND NOT EXISTS (SELECT 1 FROM image_refs WHERE path = ?1)")
        .bind(path)
        .run();
      if (meta.changes === 0 && (await db.prepare("SELECT 1 AS found FROM images WHERE path = ?1").bind(path).first())) {
        throw new PublishConflictError(path, `${path} was just published with an article: publish or delete that article first`);
      }
      await bucket.delete(path);
      return meta.changes > 0 ? { path, result: "deleted", change: change(now, { images: [path] }) } : { path, result: "absent" };
    },

    async putArticle(file, bytes, { replaces: asked, now }): Promise<ArticleOutcome> {
      requirePath("article", file);
      const decoded = decodeUpload(file, bytes, PUBLISH_LIMITS.articleBytes);
      if ("issue" in decoded) throw new PublishRejectedError(file, [decoded.issue]);
      const renamed = asked !== undefined && asked !== file ? asked : undefined;
      if (renamed !== undefined) requirePath("article", renamed);

      // Everything this publish reads that depends only on the file names, in one round trip: the authors registry,
      // what the file holds now, the lists and slugs of the file (and of the one it was renamed from), and that one.
      const files = renamed ? [file, renamed] : [file];
      const before = await db.batch<unknown>([
        authorsStatement(),
        storedArticleStatement(db, file),
        scopesOfFilesStatement(files),
        slugsOfFilesStatement(files),
        db
          .prepare("SELECT slug, id FROM articles WHERE file = ?1 UNION ALL SELECT slug, NULL FROM drafts WHERE file = ?1")
          .bind(renamed ?? ""),
      ]);
      const [authorsRow, existingRow, scopeRows, slugRows, renamedRow] = before.map((r) => r.results);
      const authors = registryOf<Author>(authorsRow as { parsed: string }[]);
      const existing = (existingRow as StoredArticle[])[0] ?? null;
      const parsed = await parseStored(file, decoded.text, authors);
      const { record } = parsed;
      const correction = existing && (await findCorrection(existing, record, decoded.text, now));
      const warnings = correction ? [...parsed.warnings, correction] : parsed.warnings;

      let replaces = renamed;
      if (replaces !== undefined) {
        const old = (renamedRow as { slug: string; id: string | null }[])[0];
        if (!old)
          replaces = undefined; // already gone (a retried rename): nothing to replace
        else if (old.slug !== record.slug && old.id !== record.id) {
          throw new PublishRejectedError(
            file,
            [
              {
                file,
                found: `?replaces=${replaces}, which holds the article "${old.slug}", not this one`,
                expected: "the file this article was renamed from (the same slug or id)",
              },
            ],
            warnings,
          );
        }
      }
      if (!record.draft) {
        const taken = await claimants(record, replaces);
        if (taken.length) throw new PublishRejectedError(file, claimIssues(record, taken), warnings);
      }

      const oldScopes = (scopeRows as { scope: string }[]).map((r) => r.scope);
      const oldSlugs = (slugRows as { slug: string }[]).map((r) => r.slug);
      const { publication, result } = await write(record, decoded.text, warnings, replaces, now, existing);
      const after = record.draft ? [] : publication.memberships.map((m) => m.scope);
      return {
        file,
        slug: record.slug,
        draft: record.draft,
        result,
        warnings,
        change:
          result === "unchanged"
            ? undefined
            : change(now, { scopes: [...oldScopes, ...after], slugs: [...oldSlugs, ...(record.draft ? [] : [record.slug])] }),
      };
    },

    async deleteArticle(file, now): Promise<DeleteOutcome> {
      requirePath("article", file);
      const [before, slugs] = await Promise.all([scopesOfFiles([file]), slugsOfFiles([file])]);
      const result = await deleteFile(shards, file, now);
      return { path: file, result, change: result === "deleted" ? change(now, { scopes: before, slugs }) : undefined };
    },

    moveParts: (from, limit) => moveParts(shards, from, limit),

    async putRegistry(name, bytes, now): Promise<RegistryOutcome> {
      const decoded = decodeUpload(name, bytes, PUBLISH_LIMITS.registryBytes);
      if ("issue" in decoded) throw new PublishRejectedError(name, [decoded.issue]);
      const { text } = decoded;
      const parsed = name === "authors.yaml" ? await parseStoredAuthors(text) : parsePartners(text);
      if (parsed.issues.length) throw new PublishRejectedError(name, parsed.issues);
      const entries = "authors" in parsed ? [...parsed.authors] : [...parsed.partners];

      const sourceHash = hashSource(text);
      const old = await db
        .prepare("SELECT source_hash AS sourceHash, parsed FROM registries WHERE name = ?1")
        .bind(name)
        .first<{ sourceHash: string; parsed: string }>();
      if (old?.sourceHash === sourceHash) return { name, result: "unchanged", republished: [] };
      await writeRegistry(db, name, { sourceHash, text, parsed: JSON.stringify(entries), warnings: "[]" });

      let republished: Republished[] = [];
      let scopes = new Set<string>();
      let slugs: string[] = [];
      if (name === "authors.yaml") {
        // Only the articles that name an author whose entry changed: the cost grows with those authors' articles.
        const lists = authorListsToRecheck(old ? (JSON.parse(old.parsed) as [string, Author][]) : [], entries as [string, Author][]);
        slugs = (
          await db
            .prepare("SELECT DISTINCT slug FROM memberships WHERE scope IN (SELECT value FROM json_each(?1)) ORDER BY slug")
            .bind(JSON.stringify(lists))
            .all<{ slug: string }>()
        ).results.map((r) => r.slug);
        ({ done: republished, scopes } = await republish(slugs, now));
      }
      return {
        name,
        result: old ? "updated" : "created",
        republished,
        change: change(now, { scopes: [...scopes], slugs, registries: [name] }),
      };
    },
  };
}

/**
 * The author lists whose articles may resolve differently after a registry change: for every entry added, removed or
 * changed, the list of its key and the lists a free-form name keyed by its slug would be in (the key's own slug, and
 * the entry's old and new names', since an article may name an author by name). Listing too many costs re-parses that
 * change nothing; listing too few would leave stale bylines.
 */
function authorListsToRecheck(before: readonly [string, Author][], after: readonly [string, Author][]): string[] {
  const old = new Map(before);
  const now = new Map(after);
  const lists = new Set<string>();
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    if (JSON.stringify(old.get(key)) === JSON.stringify(now.get(key))) continue;
    for (const name of [key, old.get(key)?.name, now.get(key)?.name]) {
      if (name === undefined) continue;
      lists.add(scopeKey({ kind: "authors", slug: name }));
      lists.add(scopeKey({ kind: "authors", slug: slugify(name) }));
    }
  }
  return [...lists];
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A registry as stored (its parsed entries as JSON pairs), from the rows of its query: empty when none is stored. */
function registryOf<T>(rows: readonly { parsed: string }[]): Map<string, T> {
  return new Map(rows[0] ? (JSON.parse(rows[0].parsed) as [string, T][]) : []);
}
