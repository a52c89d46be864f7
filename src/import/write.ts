// What an import writes, decided without touching a disk: front matter, file names and slugs, authors.yaml entries.
import { tzOffset } from "@date-fns/tz";
import { dump } from "js-yaml";
import { type AuthorRegistry, normaliseName, PUBLISHER_KEY } from "../core/authors.ts";
import { parseDateValue } from "../core/dates.ts";
import { hashText } from "../core/hash.ts";
import { countUtf8Bytes } from "../core/limits.ts";
import { slugify } from "../core/text.ts";
import type { SourceAuthor, SourceTime } from "./model.ts";

/** An article's front matter, in the order it is written (the contract: README, "Content: the front-matter contract"). */
export interface ImportedFrontMatter {
  title: string;
  slug: string;
  date: string;
  updated?: string;
  id?: string;
  authors?: string[];
  section?: string;
  tags?: string[];
  summary?: string;
  image?: { src: string; alt?: string; caption?: string; credit?: string };
  lang?: string;
  aliases?: string[];
  draft?: true;
}

/**
 * The file's text: YAML front matter (js-yaml, no anchors, no folding, so the same input gives the same bytes), a blank
 * line, the markdown body.
 */
export function articleText(fm: ImportedFrontMatter, body: string): string {
  const fields = Object.fromEntries(Object.entries(fm).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
  const yaml = dump(fields, { lineWidth: -1, noRefs: true, quotingType: '"' });
  return `---\n${yaml}---\n\n${body.trim()}\n`;
}

/**
 * An instant as written in front matter: the wall-clock time with the offset the source published it with
 * (`2025-05-03T09:15:00+03:30`), so it is one instant whatever SITE_TIMEZONE says. A naive time (a WordPress draft's)
 * is read in `timeZone` and written with that zone's offset then.
 */
export function formatSourceTime(time: SourceTime, timeZone: string): string {
  let ms = time.ms;
  let offset = time.offset ?? 0;
  if (time.naive) {
    // `ms` is the wall clock as if UTC: read as the check reads a naive time (dates.ts: DST gaps and overlaps alike).
    const read = parseDateValue(new Date(time.ms).toISOString().slice(0, 19), timeZone);
    ms = read.ok ? read.date.getTime() : time.ms;
    offset = tzOffset(timeZone, new Date(ms));
  }
  const wall = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  if (offset === 0) return `${wall}Z`;
  const abs = Math.abs(offset);
  return `${wall}${offset < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** Characters a slug (a URL segment and a file name) cannot hold, on any of the systems a newsroom uses. */
const NOT_IN_SLUG = /[\s/?#%\\<>:"|*\p{Cc}\p{Cf}]+/gu;
/** Longest slug: room for the date folders and `.md` within every file system's 255-byte name limit. */
const SLUG_MAX_BYTES = 150;

/**
 * A slug from what the source gives (WordPress post_name, the old permalink's last segment), else from the title
 * (letters and digits of any script: a Persian title keeps its words), else from the id. NFC, so a name written on
 * macOS (NFD) is the same slug.
 */
export function chooseSlug(hint: string | undefined, title: string, id: string): string {
  const clean = (s: string): string =>
    s
      .normalize("NFC")
      .replace(NOT_IN_SLUG, "-")
      .replace(/-{2,}/g, "-")
      .replace(/^[-.]+|-+$/g, "");
  const slug = (hint && clean(hint)) || clean(slugify(title)) || `post-${hashText(id).slice(0, 8)}`;
  return capBytes(slug, SLUG_MAX_BYTES).replace(/-+$/, "");
}

function capBytes(text: string, max: number): string {
  if (countUtf8Bytes(text) <= max) return text;
  let out = "";
  for (const char of text) {
    if (countUtf8Bytes(out + char) > max) break;
    out += char;
  }
  return out;
}

export interface NameRequest {
  /** The post's identity in this import. */
  key: string;
  /** What a file written by an earlier import of this post holds: its id, else its old address (alias). */
  match: { id?: string; alias?: string };
  slug: string;
  /** `YYYY/MM`, the folder of its local date. */
  folder: string;
}

export interface ExistingArticle {
  file: string;
  slug: string;
  id?: string;
  /** Its aliases, by `aliasKey`. */
  aliases: readonly string[];
}

/**
 * File names and slugs for every post, deterministic for the same input and folder: a post that a file in the folder
 * already holds (the same id; for a post without one, the same old address in a file without one) keeps that file and
 * slug, so a second import rewrites the same files; the others take their slug, or, when another post or a file not
 * from this import holds it, the slug followed by a short hash of the post's identity (stable whatever else the input
 * holds). Names are compared as a case-insensitive file system compares them. `requests` must be in a deterministic
 * order (the first claimant keeps the plain slug).
 */
export function planNames(
  requests: readonly NameRequest[],
  existing: readonly ExistingArticle[],
): Map<string, { file: string; slug: string }> {
  const own = new Map<string, ExistingArticle>();
  const matched = new Set<ExistingArticle>();
  for (const request of requests) {
    const found = request.match.id
      ? existing.find((e) => e.id === request.match.id)
      : request.match.alias
        ? existing.find((e) => e.id === undefined && e.aliases.includes(request.match.alias!))
        : undefined;
    if (found && !matched.has(found)) {
      own.set(request.key, found);
      matched.add(found);
    }
  }
  const slugs = new Set<string>();
  const files = new Set<string>();
  for (const e of existing) {
    slugs.add(e.slug);
    files.add(fold(e.file));
  }
  const planned = new Map<string, { file: string; slug: string }>();
  for (const request of requests) {
    const kept = own.get(request.key);
    if (kept) {
      planned.set(request.key, { file: kept.file, slug: kept.slug });
      continue;
    }
    const hash = hashText(request.key).slice(0, 6);
    for (let n = 0; ; n++) {
      const slug = n === 0 ? request.slug : n === 1 ? `${request.slug}-${hash}` : `${request.slug}-${hash}-${n}`;
      const file = `${request.folder}/${slug}.md`;
      if (slugs.has(slug) || files.has(fold(file))) continue;
      slugs.add(slug);
      files.add(fold(file));
      planned.set(request.key, { file, slug });
      break;
    }
  }
  return planned;
}

const fold = (path: string): string => path.normalize("NFC").toLowerCase();

export interface AuthorsMerge {
  /** authors.yaml key of each source author, by handle. */
  keys: Map<string, string>;
  /** Entries to add, in order: nothing already in the registry is changed. */
  added: { key: string; entry: Record<string, string> }[];
}

/**
 * Source authors against the existing registry: an author whose name is a registered author's (ignoring case and
 * spacing) is that entry, untouched; a new one gets a key from its handle (a WordPress login, or the name) in slug
 * form, with `-2`, `-3` when the key is taken. E-mail addresses are only written with `emails` (WordPress exports hold
 * private ones; even then no feed shows one unless the newsroom adds `email_public: true` to the entry).
 */
export function mergeAuthors(registry: AuthorRegistry, authors: readonly SourceAuthor[], emails: boolean): AuthorsMerge {
  const byName = new Map<string, string>();
  for (const [key, author] of registry) if (author.key !== PUBLISHER_KEY) byName.set(normaliseName(author.name), key);
  const keys = new Map<string, string>();
  const added: AuthorsMerge["added"] = [];
  const taken = new Set(registry.keys());
  for (const author of authors) {
    if (keys.has(author.handle)) continue;
    const known = byName.get(normaliseName(author.name));
    if (known) {
      keys.set(author.handle, known);
      continue;
    }
    const base = slugify(author.handle) || slugify(author.name) || "author";
    let key = base;
    for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
    taken.add(key);
    byName.set(normaliseName(author.name), key);
    keys.set(author.handle, key);
    const entry: Record<string, string> = { name: author.name };
    if (emails && author.email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(author.email)) entry.email = author.email;
    if (author.url && /^https?:\/\/\S+$/i.test(author.url) && URL.canParse(author.url)) entry.url = author.url;
    if (author.avatar && /^https?:\/\/\S+$/i.test(author.avatar) && URL.canParse(author.avatar)) entry.avatar = author.avatar;
    added.push({ key, entry });
  }
  return { keys, added };
}

/** authors.yaml with the new entries appended after what was there, which is kept byte for byte (comments included). */
export function appendAuthors(existing: string | null, added: AuthorsMerge["added"]): string {
  const before = existing ?? "";
  if (!added.length) return before;
  const yaml = dump(Object.fromEntries(added.map((a) => [a.key, a.entry])), { lineWidth: -1, noRefs: true, quotingType: '"' });
  const head = before === "" || before.endsWith("\n") ? before : `${before}\n`;
  return `${head}${head ? "\n" : ""}# Added by npm run import\n${yaml}`;
}

/** The file name an image URL is kept under in `images/`: WordPress's uploads layout kept (`2024/05/x.jpg`), else the host and path. */
export function imageFileFor(url: string, uploadsPath?: string): string {
  let path = uploadsPath;
  if (!path) {
    try {
      const u = new URL(url);
      const at = u.pathname.indexOf("/wp-content/uploads/");
      path = at >= 0 ? u.pathname.slice(at + "/wp-content/uploads/".length) : `${u.hostname}${u.pathname}`;
    } catch {
      path = url;
    }
  }
  const segments = path
    .split("/")
    .map((s) => {
      let decoded = s;
      try {
        decoded = decodeURIComponent(s);
      } catch {
        // kept as written
      }
      return capBytes(
        decoded
          .normalize("NFC")
          .replace(/[^\p{L}\p{N}\p{M}._-]+/gu, "-")
          .replace(/-{2,}/g, "-")
          .replace(/^[-.]+|-+$/g, ""),
        100,
      );
    })
    .filter(Boolean);
  return `images/${segments.join("/") || "image"}`;
}

/** A local image's path as a URL in markdown and front matter: `/images/…`, each segment percent-encoded where needed. */
export function imageHref(file: string): string {
  return `/${file.split("/").map(encodeURIComponent).join("/")}`;
}
