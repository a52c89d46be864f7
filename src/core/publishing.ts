// What publishing is, whatever the store: the operations, their answers, the upload limits, the path rules, and the
// rules a stored article must pass besides `npm run check`'s (ids and slugs other stored files hold). Runtime-free;
// the use case itself is src/core/publish/publisher.ts.
import type { ArticleRecord } from "./article.ts";
import { type ContentIssue, ServiceError } from "./errors.ts";
import type { ImageFacts } from "./images.ts";
import { decodeContentFile, LIMITS } from "./limits.ts";

/** The largest upload of each kind, in bytes: the check's own limits, so a file it accepts is never refused for its size. */
export const PUBLISH_LIMITS = {
  articleBytes: LIMITS.articleFileBytes,
  imageBytes: LIMITS.imageBytes,
  registryBytes: LIMITS.yamlFileBytes,
  /**
   * A batch (POST /api/batch) in all: room for hundreds of articles, or one image at its limit, while the request's
   * body and its parsed parts (about twice this) stay well inside the isolate's 128 MB. Each file keeps its own limit.
   */
  batchBytes: 16 * 1024 * 1024,
  /** Files in one batch. */
  batchFiles: 1000,
} as const;

/** The registries a newsroom keeps at the content root. */
export type RegistryName = "authors.yaml" | "partners.yaml";
export const REGISTRY_NAMES: readonly RegistryName[] = ["authors.yaml", "partners.yaml"];

/** The image types the publish API stores: the ones the image route serves (raster formats no browser executes). */
export const PUBLISHABLE_IMAGE_TYPES: readonly string[] = ["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"];

/** What kind of thing a stored path holds. */
export type StoredKind = "article" | "draft" | "image" | "registry";

/** One stored file, as the publish client compares it with its folder. */
export interface ManifestEntry {
  /** Path under the content root: `2025/05/x.md`, `images/x.jpg`, `authors.yaml`. */
  path: string;
  kind: StoredKind;
  /** Articles, drafts and registries: `hashSource` of the text; images: SHA-256 of the bytes, hex. */
  hash: string;
  /** Articles and drafts: the slug; articles: the id too (how a renamed file is recognised). */
  slug?: string;
  id?: string;
  /** Articles: the publication time, ISO 8601 (a moved and edited file is recognised by it: src/node/publish-plan.ts). */
  published?: string;
  /**
   * Articles and registries stored under other settings that shape stored items than the worker's now
   * (src/core/publish/shaping.ts): the scheduled run brings them up to date. Absent otherwise.
   */
  stale?: true;
}

/** One page of the manifest, ordered by path; `next` is the cursor of the following page, null after the last. */
export interface ManifestPage {
  entries: ManifestEntry[];
  next: string | null;
}

/**
 * The name of a batch's control part: a text part holding a JSON object with any of these members, each keyed by a
 * content path (a path no member names is sent without condition):
 * - `if-match`: path → an If-Match value (RFC 9110 §13.1.1: `"hash"`, a list of them, or `*`), the hashes being the
 *   manifest's: the file (a part, a file a part replaces, or a file deleted) must hold one of them, else 412;
 * - `if-none-match`: path → `*`: the file must hold nothing (it did not exist when the client read the manifest);
 * - `replaces`: path of an article part → the path of the file it was renamed from (`?replaces=` of its PUT route);
 * - `delete`: a list of paths to delete, articles, drafts and images, as their DELETE routes would.
 * A part (RFC 7578 §4.8: a part carries no header of its own beyond its name, file name and type), so these cannot be
 * per-part headers; and a name that starts with `.` is never a content path (checkContentPath).
 */
export const BATCH_CONTROL = ".batch";

/** Entries per manifest page: the default, and the most a request may ask for. */
export const MANIFEST_PAGE = { default: 500, max: 1000 } as const;

/**
 * Articles whose parts one `POST /api/parts/move` moves at most: read and written whole (six rows each, up to a few
 * MB), in about three statements per article, well inside the 1,000 queries a Worker invocation may make.
 */
export const PARTS_MOVE = { default: 50, max: 50 } as const;

/** What one step of moving articles' parts between shards did (src/store/d1/parts.ts). */
export interface PartsMoveOutcome {
  from: number;
  to: number;
  /** Articles whose parts now live in `to`. */
  moved: number;
  /** Whether `from` still holds articles' parts after this step. */
  more: boolean;
}

/**
 * What a change touched, for whoever must hear of it (WebSub, cache purging). Lists are named by their scope key:
 * `home`, `sections/{slug}`, `tags/{slug}`, `authors/{key}`; each list's feeds, archive pages and HTML pages changed.
 */
export interface PublishChange {
  /** Lists whose content changed, as they were before the change and as they are after it. */
  scopes: readonly string[];
  /** Articles whose page changed, appeared or went, by slug (old and new). */
  slugs: readonly string[];
  /** Images whose bytes changed or that went (`images/…`). */
  images: readonly string[];
  /** Registries that changed. */
  registries: readonly RegistryName[];
  now: Date;
}

export type PutResult = "created" | "updated" | "unchanged";
export type DeleteResult = "deleted" | "absent";

/** What became of one deletion of a batch: its outcome, or the refusal that left the file stored. */
export type DeletionResult =
  | { path: string; outcome: DeleteOutcome }
  | { path: string; error: PublishConflictError | PreconditionFailedError };

/** A stored article that was published again because something it uses (an author, an image) changed. */
export interface Republished {
  file: string;
  result: PutResult;
}

export interface ArticleOutcome {
  file: string;
  slug: string;
  draft: boolean;
  result: PutResult;
  warnings: readonly ContentIssue[];
  change?: PublishChange;
}

export interface ImageOutcome {
  path: string;
  result: PutResult;
  facts: ImageFacts;
  republished: readonly Republished[];
  change?: PublishChange;
}

/**
 * What a change to a stored file was based on (RFC 9110 §13.1.1 If-Match, §13.1.2 If-None-Match): the hashes the file
 * may hold (the manifest's, as the client read them), any stored version (`"*"`), or nothing stored (`none`). A file
 * holding anything else changed since the client read it: the change is refused (412), nothing changed. A file that
 * already holds exactly what is sent meets it too (a retried request whose first attempt went through, §13.1.1).
 */
export interface Precondition {
  match?: "*" | readonly string[];
  none?: boolean;
}

/** Whether a file holding `stored` (its hash; null: nothing) meets `base`, for a change that would store `sending`. */
export function meetsPrecondition(stored: string | null, base: Precondition | undefined, sending?: string): boolean {
  if (!base) return true;
  if (sending !== undefined && stored === sending) return true;
  if (base.none && stored !== null) return false;
  if (base.match === "*") return stored !== null;
  if (base.match) return stored !== null && base.match.includes(stored);
  return true;
}

/** One article of a batch: its path, its bytes, the file it was renamed from, and what each was based on. */
export interface ArticleUpload {
  file: string;
  bytes: Uint8Array;
  replaces?: string;
  /** What `file` was when the client read it. */
  base?: Precondition;
  /** What `replaces` was when the client read it. */
  replacesBase?: Precondition;
}

/** What became of one article of a batch: its outcome, or the refusal that left it unstored. */
export type ArticleResult = { file: string; outcome: ArticleOutcome } | { file: string; error: PublishRefusal };

/** What became of one image of a batch: its outcome, or the refusal that left it unstored. */
export type ImageResult = { path: string; outcome: ImageOutcome } | { path: string; error: PublishRefusal };

/** Why a file was not stored: its content, the store's state, or a change based on a state no longer stored. */
export type PublishRefusal = PublishRejectedError | PublishConflictError | PreconditionFailedError;

export interface RegistryOutcome {
  name: RegistryName;
  result: PutResult;
  republished: readonly Republished[];
  change?: PublishChange;
}

export interface DeleteOutcome {
  path: string;
  result: DeleteResult;
  change?: PublishChange;
}

/**
 * Publishing over a store. Every method validates first and changes nothing when it refuses (PublishRejectedError);
 * `change` is set when something visible changed, absent for an identical re-publish.
 */
export interface Publisher {
  manifest(after: string, limit: number): Promise<ManifestPage>;
  putImage(path: string, bytes: Uint8Array, now: Date, base?: Precondition): Promise<ImageOutcome>;
  /** Many images at once (the batch route): each checked and answered as `putImage` would, their rows written together. */
  putImages(uploads: readonly { path: string; bytes: Uint8Array; base?: Precondition }[], now: Date): Promise<ImageResult[]>;
  deleteImage(path: string, now: Date, base?: Precondition): Promise<DeleteOutcome>;
  putArticle(
    file: string,
    bytes: Uint8Array,
    options: { replaces?: string; now: Date; base?: Precondition; replacesBase?: Precondition },
  ): Promise<ArticleOutcome>;
  /**
   * Many articles at once (the batch route), each validated and answered as `putArticle` would, written many to a
   * transaction: the answers in the order given, a refused file as its error (nothing of it stored).
   */
  putArticles(uploads: readonly ArticleUpload[], now: Date): Promise<ArticleResult[]>;
  deleteArticle(file: string, now: Date, base?: Precondition): Promise<DeleteOutcome>;
  /** Many deletions at once (the batch route), each answered as `deleteArticle` would, written many to a transaction. */
  deleteArticles(deletions: readonly { file: string; base?: Precondition }[], now: Date): Promise<DeletionResult[]>;
  putRegistry(name: RegistryName, bytes: Uint8Array, now: Date, base?: Precondition): Promise<RegistryOutcome>;
  /**
   * Brings up to `limit` articles (SHAPING_STEP) stored under other settings that shape stored items up to date, and
   * the registries stored under them (src/core/publish/shaping.ts): the scheduled run's step.
   */
  refreshShaping(now: Date, limit?: number): Promise<ShapingRefresh>;
  /** Moves the parts of up to `limit` articles out of shard `from` into the write shard; absent where there are no shards. */
  moveParts?(from: number, limit: number): Promise<PartsMoveOutcome>;
}

/** What one step of bringing stored items up to date with the settings did (Publisher.refreshShaping). */
export interface ShapingRefresh {
  /** Registries whose entries came out otherwise, parsed again under the current settings. */
  registries: readonly RegistryName[];
  /** Articles published again: `updated` when their stored bytes changed, `unchanged` when only their settings were noted. */
  articles: readonly Republished[];
  /** Registries and articles that no longer pass under the current settings: they keep what they have. */
  refused: readonly string[];
  /** Other articles stored under other settings wait for the next step. */
  more: boolean;
  /** What readers can see changed (to purge and announce); absent when no stored byte changed. */
  change?: PublishChange;
}

/** A file the publish API refused: the same problems `npm run check` reports, nothing stored. */
export class PublishRejectedError extends ServiceError {
  readonly file: string;
  readonly issues: readonly ContentIssue[];
  readonly warnings: readonly ContentIssue[];
  constructor(file: string, issues: readonly ContentIssue[], warnings: readonly ContentIssue[] = []) {
    super("content-rejected", `${file}: ${issues.length} problem(s); nothing was changed`);
    this.name = "PublishRejectedError";
    this.file = file;
    this.issues = issues;
    this.warnings = warnings;
  }
}

/**
 * A change based on a state that is no longer stored (its Precondition): another publish changed the file since the
 * client read it. Nothing was changed; the client reads the manifest again and decides anew.
 */
export class PreconditionFailedError extends ServiceError {
  readonly file: string;
  /** The hash the file holds now (null: nothing). */
  readonly stored: string | null;
  constructor(file: string, stored: string | null) {
    super(
      "precondition-failed",
      `${file} changed on the worker since it was read (it now holds ${stored === null ? "nothing" : `version "${stored}"`}); nothing was changed`,
    );
    this.name = "PreconditionFailedError";
    this.file = file;
    this.stored = stored;
  }
}

/** A change that cannot be made in the store's current state (another publish got there first, an image in use). */
export class PublishConflictError extends ServiceError {
  readonly file: string;
  constructor(file: string, message: string) {
    super("conflict", message);
    this.name = "PublishConflictError";
    this.file = file;
  }
}

/** Why a path cannot name an article (`.md` outside images/) or an image (under images/); undefined when it can. */
export function checkContentPath(kind: "article" | "image", path: string): string | undefined {
  if (path.length === 0 || path.length > 512) return "a path of 1 to 512 characters";
  // Control characters and backslashes never come from a folder the client lists; they only confuse logs and tools.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters refused are control characters.
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return "a path without control characters or backslashes";
  const segments = path.split("/");
  // A dot-file is never listed by the client (npm run check skips hidden files too), and `..` would leave the root.
  if (segments.some((s) => s === "" || s.startsWith("."))) return "a relative path whose segments are not empty and do not start with `.`";
  const image = segments[0] === "images";
  if (kind === "image") return image && segments.length > 1 ? undefined : "a path under images/";
  if (image) return "an article path outside images/";
  return /\.md$/i.test(path) ? undefined : "a path ending in .md";
}

/** An uploaded text file as text, or the issue `npm run check` reports for the same bytes (the check's own decoder). */
export function decodeUpload(file: string, bytes: Uint8Array, limit: number): { text: string } | { issue: ContentIssue } {
  return decodeContentFile(file, bytes, limit);
}

/** Another stored file that holds the slug, id or an alias an article claims, or a deleted article's id. */
export type Claimant =
  | { field: "slug"; file: string }
  | { field: "id"; file: string }
  | { field: "alias"; file: string; alias: string }
  | { field: "retired"; slug: string };

/**
 * The issues for an article whose slug, id or alias is taken: by another stored file (both files named, as `npm run
 * check` names both; the words "already used by" are what the publish client retries on), or by a deleted article
 * (ids are never given to another article).
 */
export function claimIssues(record: ArticleRecord, claimants: readonly Claimant[]): ContentIssue[] {
  return claimants.map((claimant): ContentIssue => {
    if (claimant.field === "slug") {
      return {
        file: record.file,
        field: "slug",
        found: `slug "${record.slug}", already used by ${claimant.file}`,
        expected: "a slug unique across the archive (set `slug:` in one of the two files)",
      };
    }
    if (claimant.field === "alias") {
      return {
        file: record.file,
        field: "aliases",
        found: `the alias ${JSON.stringify(claimant.alias)}, already used by ${claimant.file}`,
        expected: "an alias unique across the archive: remove it from one of the two files",
      };
    }
    if (claimant.field === "id") {
      return {
        file: record.file,
        field: "id",
        found: `id "${record.id}", already used by ${claimant.file}`,
        expected: "an id unique across the archive (set a different `id:` or `canonical:` in one of the two files)",
      };
    }
    return {
      file: record.file,
      field: "id",
      found: `id "${record.id}", which belonged to the deleted article "${claimant.slug}"`,
      expected: "an id never used before: readers would take this article for the deleted one (set a new `id:`)",
    };
  });
}
