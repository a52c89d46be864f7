// What a publish run will do, decided before anything is sent: the folder's files against the stored manifest, and
// each file's outcome (sent; refused by the check; held back because a file it depends on is refused; kept live at its
// published version), the files to remove, and what each upload depends on. Pure: no I/O.
import type { ArticleRecord } from "../core/article.ts";
import { AUTHORS_FILE, listAvatarFiles, PUBLISHER_KEY } from "../core/authors.ts";
import { isArticleFile, type LoadedContent } from "../core/content.ts";
import { quote } from "../core/describe-value.ts";
import { splitFrontMatter } from "../core/front-matter.ts";
import { hashSource } from "../core/publish/publication.ts";
import type { ManifestEntry, RegistryName } from "../core/publishing.ts";
import { REGISTRY_NAMES } from "../core/publishing.ts";
import type { SiteSettings } from "../core/settings.ts";
import { fileNameSlug } from "../core/slug.ts";

/** A file of the folder as the plan needs it: the hash the manifest compares, its size, and for images their type. */
export interface LocalFile {
  /** `hashSource` of the text (articles, registries) or SHA-256 of the bytes (images); absent if it could not be read. */
  hash?: string;
  size: number;
  /** Images: the type, when the publish API stores that type. */
  publishableType?: string;
}

export interface ImageUpload {
  kind: "image";
  path: string;
  size: number;
  change: "new" | "changed";
}

export interface RegistryUpload {
  kind: "registry";
  path: RegistryName;
  size: number;
  /** `emptied`: removed from the folder, so published empty (every entry goes). */
  change: "new" | "changed" | "emptied";
  /** Uploads of this run it must not go without (authors.yaml: the avatars it names). */
  needs: readonly string[];
}

export interface ArticleUpload {
  kind: "article";
  path: string;
  size: number;
  change: "new" | "changed";
  draft: boolean;
  /** Stored as a draft now. */
  wasDraft: boolean;
  /** The stored file this one renames (same slug or id, gone from the folder). */
  replaces?: string;
  /** When readers first see it (a future time: embargoed until then). */
  published: Date;
  /** The article's public URL moves: its stored slug and the new one. */
  slugMove?: { from: string; to: string };
  /** Uploads of this run it must not go without: images it shows, authors.yaml when it names an author of it. */
  needs: readonly string[];
}

export type Upload = ImageUpload | RegistryUpload | ArticleUpload;

/** A stored file no longer in the folder. */
export interface Removal {
  kind: "article" | "draft" | "image";
  path: string;
}

/** A new file and a removed article that may be one article moved and edited. */
export interface LookAlike {
  added: string;
  removed: string;
  /** The removed article's slug: its page answers 410 once it is removed. */
  slug: string;
}

/** A file that is not sent: refused by the check, or held back because a file it depends on is refused. */
export interface Refusal {
  path: string;
  /** The stored file whose published version stays live: this one, or the old name it renames. */
  kept?: string;
  /** Set when the file itself passes the check: what it depends on that is refused. */
  heldBack?: string;
}

export interface Plan {
  images: ImageUpload[];
  registries: RegistryUpload[];
  /** Stored articles and drafts whose text changed (or all of them, with `--all`), before new ones. */
  changed: ArticleUpload[];
  /** New files that rename a stored one (sent one by one, with `?replaces=`). */
  renames: ArticleUpload[];
  added: ArticleUpload[];
  /** Articles and drafts first, then images. */
  removals: Removal[];
  refusals: Refusal[];
  /** Files whose stored version is the same as the folder's. */
  unchanged: number;
  /** A new file and a removed article of the same date, alone of it: perhaps a file moved and edited (not sent as one). */
  lookAlikes: LookAlike[];
  stored: { files: number; articles: number };
}

export interface PlanInput {
  content: LoadedContent;
  /** Every file of the folder, with what the plan needs of it. */
  local: ReadonlyMap<string, LocalFile>;
  /** The worker's manifest: what each stored path holds (kinds the plan does not know are ignored). */
  stored: readonly ManifestEntry[];
  site: SiteSettings;
  /** Send every article, even those whose text is unchanged. */
  all: boolean;
  /**
   * The slugs and ids a refused new file may claim (from whatever of its front matter can be read, and its name): a
   * stored article it matches, gone from the folder, is its old name, and stays.
   */
  claims?: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The kinds of stored file the plan knows; entries of any other kind (a newer worker's) are left out of the plan and the guard. */
const KNOWN_KINDS: ReadonlySet<string> = new Set(["article", "draft", "image", "registry"]);

export function planPublish(input: PlanInput): Plan {
  const { content, local, site } = input;
  const stored = new Map(input.stored.filter((e) => KNOWN_KINDS.has(e.kind)).map((e) => [e.path, e]));
  const refusedFiles = new Set(content.issues.map((i) => i.file));
  const refusals: Refusal[] = [];
  let unchanged = 0;
  const isStored = (path: string) => stored.has(path);

  const images = imageUploads(local, stored);
  for (const [path, file] of local) if (isPublishableImage(path, file) && stored.get(path)?.hash === file.hash) unchanged++;
  const uploadedImages = new Set(images.map((i) => i.path));

  const registries: RegistryUpload[] = [];
  for (const name of REGISTRY_NAMES) {
    const file = local.get(name);
    const entry = stored.get(name);
    if (file && refusedFiles.has(name)) {
      refusals.push({ path: name, ...(entry ? { kept: name } : {}) });
      continue;
    }
    const needs = name === AUTHORS_FILE ? listAvatarFiles(content.authors, site).filter((f) => uploadedImages.has(f)) : [];
    if (!file) {
      // A registry removed from the folder is published empty: every author or partner in it goes.
      if (entry && entry.hash !== EMPTY_HASH) registries.push({ kind: "registry", path: name, size: 0, change: "emptied", needs });
      continue;
    }
    if (entry?.hash === file.hash) unchanged++;
    else registries.push({ kind: "registry", path: name, size: file.size, change: entry ? "changed" : "new", needs });
  }

  // Articles that name an author of authors.yaml go with it: while it is refused they wait (published against the
  // stored registry, their bylines could differ from what the check showed); while it is being sent they need it.
  const authorsRefused = refusedFiles.has(AUTHORS_FILE) && local.has(AUTHORS_FILE);
  const authorsSent = registries.some((r) => r.path === AUTHORS_FILE);
  const namedAuthor = (record: ArticleRecord): string | undefined => namesRegisteredAuthor(record, content, authorsRefused);

  const gone = [...stored.values()].filter((e) => (e.kind === "article" || e.kind === "draft") && !local.has(e.path));
  const takeGone = (match: (e: ManifestEntry) => boolean): ManifestEntry | undefined => {
    const found = gone.find((e) => e.kind === "article" && match(e));
    if (found) gone.splice(gone.indexOf(found), 1);
    return found;
  };

  // A refused file keeps what is stored: itself, or the stored article it renames (matched by the slug or id it claims).
  for (const path of [...local.keys()].filter((p) => isArticleFile(p) && refusedFiles.has(p)).sort()) {
    if (isStored(path)) {
      refusals.push({ path, kept: path });
      continue;
    }
    const claims = input.claims?.get(path);
    const old = claims ? takeGone((e) => claims.has(e.slug ?? "") || claims.has(e.id ?? "")) : undefined;
    refusals.push({ path, ...(old ? { kept: old.path } : {}) });
  }

  const changed: ArticleUpload[] = [];
  const renames: ArticleUpload[] = [];
  const added: ArticleUpload[] = [];
  const records = [...content.records, ...content.drafts].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const pending: { record: ArticleRecord; entry?: ManifestEntry }[] = [];
  for (const record of records) {
    const file = local.get(record.file);
    const entry = stored.get(record.file);
    if (entry && !input.all && file?.hash === entry.hash) {
      unchanged++;
      continue;
    }
    const author = namedAuthor(record);
    if (authorsRefused && author) {
      refusals.push({
        path: record.file,
        ...(entry ? { kept: record.file } : {}),
        heldBack: `it names ${author} of authors.yaml, which is refused`,
      });
      continue;
    }
    pending.push({ record, entry });
  }
  const news: { record: ArticleRecord; upload: ArticleUpload }[] = [];
  for (const { record, entry } of pending) {
    const needs = [...new Set([record.imageFile, ...record.bodyImages])].filter(
      (f): f is string => f !== undefined && uploadedImages.has(f),
    );
    if (authorsSent && namedAuthor(record)) needs.push(AUTHORS_FILE);
    const upload: ArticleUpload = {
      kind: "article",
      path: record.file,
      size: local.get(record.file)?.size ?? 0,
      change: entry ? "changed" : "new",
      draft: record.draft,
      wasDraft: entry?.kind === "draft",
      published: record.published,
      needs,
    };
    if (entry) {
      if (entry.kind === "article" && !record.draft && entry.slug !== undefined && entry.slug !== record.slug) {
        upload.slugMove = { from: entry.slug, to: record.slug };
      }
      changed.push(upload);
      continue;
    }
    news.push({ record, upload });
  }
  // A new file that is a stored article whose file is gone is that article, renamed (it keeps its id, and its old page
  // leads to its new one): recognised, in this order, by the slug or id it holds, or by its text (a file moved as it is).
  const renamedFrom = new Map<ArticleUpload, ManifestEntry>();
  const passes: ((record: ArticleRecord, entry: ManifestEntry) => boolean)[] = [
    (record, e) => e.slug === record.slug || e.id === record.id,
    (record, e) => e.hash === local.get(record.file)?.hash,
  ];
  for (const matches of passes) {
    for (const { record, upload } of news) {
      if (record.draft || renamedFrom.has(upload)) continue;
      const old = takeGone((e) => matches(record, e));
      if (old) renamedFrom.set(upload, old);
    }
  }
  for (const { record, upload } of news) {
    const old = renamedFrom.get(upload);
    if (!old) {
      added.push(upload);
      continue;
    }
    if (old.slug !== record.slug) upload.slugMove = { from: old.slug!, to: record.slug };
    renames.push({ ...upload, replaces: old.path });
  }
  // A file moved and edited at once cannot be told from a new article: the only new file and the only removed article
  // of one date are named, with how to keep the article's identity (a new article there must not take an old one's id).
  const date = (e: ManifestEntry) => (e.published === undefined ? Number.NaN : Date.parse(e.published));
  // Both sides counted by date once: a filter per new file was quadratic (4.9 s of a 10,000-article first publish).
  const lookAlikes: LookAlike[] = [];
  const removedAt = new Map<number, ManifestEntry[]>();
  for (const e of gone) {
    const at = date(e);
    // A stored entry without a date matches no file (NaN would be one key in a Map, but never equal in a comparison).
    if (e.kind !== "article" || Number.isNaN(at)) continue;
    const list = removedAt.get(at);
    if (list) list.push(e);
    else removedAt.set(at, [e]);
  }
  const addedAt = new Map<number, number>();
  for (const a of added) if (!a.draft) addedAt.set(a.published.getTime(), (addedAt.get(a.published.getTime()) ?? 0) + 1);
  for (const upload of added) {
    if (upload.draft) continue;
    const at = upload.published.getTime();
    const removed = removedAt.get(at) ?? [];
    if (removed.length === 1 && addedAt.get(at) === 1)
      lookAlikes.push({ added: upload.path, removed: removed[0]!.path, slug: removed[0]!.slug! });
  }

  const removals: Removal[] = gone.map((e) => ({ kind: e.kind === "draft" ? "draft" : "article", path: e.path }));
  for (const entry of stored.values()) {
    if (entry.kind === "image" && !local.has(entry.path)) removals.push({ kind: "image", path: entry.path });
  }

  return {
    images,
    registries,
    changed,
    renames,
    added,
    removals,
    refusals,
    unchanged,
    lookAlikes,
    stored: storedCounts(stored),
  };
}

/** Anything else in images/ cannot be used by an article (the check refuses it as an image): it stays local. */
function isPublishableImage(path: string, file: LocalFile): boolean {
  return path.startsWith("images/") && file.publishableType !== undefined && file.hash !== undefined;
}

/** The folder's publishable images that differ from what is stored at their paths. */
function imageUploads(local: ReadonlyMap<string, LocalFile>, stored: ReadonlyMap<string, ManifestEntry>): ImageUpload[] {
  const images: ImageUpload[] = [];
  for (const [path, file] of local) {
    if (!isPublishableImage(path, file)) continue;
    const entry = stored.get(path);
    if (entry?.hash !== file.hash) images.push({ kind: "image", path, size: file.size, change: entry ? "changed" : "new" });
  }
  return images;
}

/** What the deletion guard weighs a run's removals against: the stored files of the kinds the plan knows. */
function storedCounts(stored: ReadonlyMap<string, ManifestEntry>): { files: number; articles: number } {
  return { files: stored.size, articles: [...stored.values()].filter((e) => e.kind === "article").length };
}

/** The images a run may send while its articles are still being checked, and what the run will remove. */
export interface EarlyPlan {
  images: ImageUpload[];
  /** The run's removals as the deletion guard counts them (no stored article among them). */
  removals: { files: number; articles: 0 };
  stored: { files: number; articles: number };
}

/**
 * The images to send before the articles are checked, or undefined when the run must wait for the check. An image
 * depends on no other file, and when no stored article or draft is gone from the folder, nothing the check finds can
 * change what the run removes (no rename takes a removal's place, no refused file keeps one): the guard is decided from
 * the paths alone, exactly as the whole plan will decide it. `local` holds every publishable path of the folder; only
 * its images need to be described.
 */
export function planEarlyImages(local: ReadonlyMap<string, LocalFile>, manifest: readonly ManifestEntry[]): EarlyPlan | undefined {
  const stored = new Map(manifest.filter((e) => KNOWN_KINDS.has(e.kind)).map((e) => [e.path, e]));
  let removed = 0;
  for (const entry of stored.values()) {
    if (local.has(entry.path)) continue;
    if (entry.kind === "article" || entry.kind === "draft") return undefined;
    if (entry.kind === "image" || (entry.kind === "registry" && entry.hash !== EMPTY_HASH)) removed++;
  }
  return { images: imageUploads(local, stored), removals: { files: removed, articles: 0 }, stored: storedCounts(stored) };
}

/** What an emptied registry is stored with: a registry stored empty and still missing changes nothing. */
const EMPTY_HASH = hashSource("");

/**
 * The author of authors.yaml an article names, quoted for a message, or undefined: a registered key or name, or a key
 * whose entry is unnamed (a warning on the article). When authors.yaml cannot be read at all, any author it names
 * might be one of its entries.
 */
function namesRegisteredAuthor(record: ArticleRecord, content: LoadedContent, registryUnreadable: boolean): string | undefined {
  const registered = record.authors.find((a) => a.key !== PUBLISHER_KEY && content.authors.has(a.key));
  if (registered) return quote(registered.key);
  const unnamed = content.warnings.find((w) => w.file === record.file && (w.field === "author" || w.field === "authors"));
  if (unnamed) return "an author";
  if (registryUnreadable && content.authors.size === 0) {
    const named = record.authors.find((a) => a.key !== PUBLISHER_KEY);
    if (named) return quote(named.name);
  }
  return undefined;
}

/**
 * The slugs and ids a refused article file may claim, for recognising it as the new name of a stored article: its
 * file name's slug, and the `slug`, `id` and `canonical` of its front matter when that can be read.
 */
export function claimsOf(file: string, text: string | null, site: SiteSettings): Set<string> {
  const claims = new Set<string>();
  const named = fileNameSlug(file);
  if (named.ok) claims.add(named.slug);
  const split = text === null ? undefined : splitFrontMatter(file, text);
  if (split?.ok) {
    const { slug, id, canonical } = split.data;
    if (typeof slug === "string") claims.add(slug.trim().normalize("NFC"));
    if (typeof id === "string") claims.add(id.trim());
    if (typeof canonical === "string") claims.add(canonical.trim());
  }
  for (const slug of [...claims]) claims.add(`${site.url}/articles/${encodeURIComponent(slug)}`);
  return claims;
}
