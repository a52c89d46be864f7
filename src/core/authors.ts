// The newsroom's author registry (articles/authors.yaml) and how an article's author entries resolve against it.
import { z } from "zod";
import { describeValue, quote } from "./describe-value.ts";
import type { ContentIssue } from "./errors.ts";
import { type ImageFacts, localImageFile } from "./images.ts";
import type { Author } from "./model.ts";
import type { SiteSettings } from "./settings.ts";
import { cleanTexts, slugify } from "./text.ts";
import { readYamlMap } from "./yaml-map.ts";

export const AUTHORS_FILE = "authors.yaml";

/** The key of the publisher (the site itself) as an author. */
export const PUBLISHER_KEY = "publisher";

/**
 * Author key → author. A key whose entry has no usable name maps to the publisher, so that no consumer can ever show
 * the key as a person's name; `resolveAuthors` recognises such entries and leaves them out of an article's authors.
 */
export type AuthorRegistry = ReadonlyMap<string, Author>;

/** How parseAuthors learns about local image files, to check a root-relative avatar under /images/. */
export interface AuthorImageLookup {
  image(file: string): ImageFacts | null;
  exists(file: string): boolean;
  /** Why an existing file is not an accepted image, when it is not. */
  imageProblem?(file: string): string | undefined;
}

const name = z.string().trim().min(1);
const email = z.email();
const link = z
  .string()
  .trim()
  .refine((v) => (/^https?:\/\//i.test(v) && URL.canParse(v)) || (/^\/(?!\/)/.test(v) && URL.canParse(v, "https://x.invalid")));

const OPTIONAL_FIELDS = {
  email: { schema: email, expected: "a valid e-mail address" },
  url: { schema: link, expected: "an absolute http(s) URL, or a path on this site such as /about/jane-doe" },
  avatar: { schema: link, expected: "an absolute http(s) URL of an image, or a path /images/… of a file under articles/images/" },
} as const;

const ENTRY_EXPECTED = "{ name, email?, email_public?, url?, avatar? } (or just the name)";
const EMAIL_PUBLIC_EXPECTED =
  "true (publish the e-mail address in the feeds) or false (the default: keep it out of every output), beside an `email`";
const NAME_EXPECTED = "a `name`: the person's name as readers should see it (the key itself is never shown as a name)";

/**
 * Parses authors.yaml. An entry without a usable name is an issue naming its key (articles naming that key show the
 * publisher instead, see `resolveAuthors`); a bad optional field (email, email_public, url, avatar) is an issue and is
 * dropped, the rest of the entry kept. A root-relative `url` or `avatar` (`/images/jane.jpg`) resolves under SITE_URL;
 * with `images`, a local avatar must be an accepted image file. An `email` reaches the model (and so a feed) only with
 * `email_public: true`: a reporter's address in every feed is an address for every spam harvester that reads feeds.
 */
export function parseAuthors(
  text: string | null,
  site: SiteSettings,
  images?: AuthorImageLookup,
): { authors: AuthorRegistry; issues: ContentIssue[] } {
  const authors = new Map<string, Author>();
  const issues: ContentIssue[] = [];
  if (text === null) return { authors, issues };
  const read = readYamlMap(AUTHORS_FILE, text, `a map of author keys to ${ENTRY_EXPECTED}`);
  if ("issue" in read) return { authors, issues: [read.issue] };
  const publisher = publisherOf(site);
  for (const { key, value: raw, line } of read.entries) {
    // Characters XML forbids leave the registry's texts here, as they leave articles' (text.ts, cleanText).
    const value = cleanTexts(raw);
    const issue = (field: string, found: string, expected: string): void => {
      issues.push({ file: AUTHORS_FILE, field: `${key}.${field}`, line, found, expected });
    };
    const isMap = typeof value === "object" && value !== null && !Array.isArray(value);
    if (typeof value !== "string" && !isMap) {
      issues.push({ file: AUTHORS_FILE, field: key, line, found: describeValue(value), expected: ENTRY_EXPECTED });
      authors.set(key, publisher);
      continue;
    }
    const fields = typeof value === "string" ? { name: value } : (value as Record<string, unknown>);
    const parsedName = name.safeParse(fields.name);
    if (!parsedName.success) {
      issue("name", fields.name === undefined ? "no name" : describeValue(fields.name), NAME_EXPECTED);
      authors.set(key, publisher);
      continue;
    }
    const author: Author = { key, name: parsedName.data };
    let email: string | undefined;
    for (const field of ["email", "url", "avatar"] as const) {
      const raw = fields[field];
      if (raw === undefined || raw === null) continue;
      const parsed = OPTIONAL_FIELDS[field].schema.safeParse(raw);
      if (!parsed.success) {
        issue(field, `${describeValue(raw)} (left out; the rest of the entry is kept)`, OPTIONAL_FIELDS[field].expected);
        continue;
      }
      if (field === "email") {
        email = parsed.data;
        continue;
      }
      const resolved = resolveOnSite(parsed.data, site);
      if (field === "avatar" && images) {
        const problem = findAvatarProblem(resolved, site, images);
        if (problem) {
          issue(field, `${quote(parsed.data)}, ${problem} (left out; the rest of the entry is kept)`, OPTIONAL_FIELDS.avatar.expected);
          continue;
        }
      }
      author[field] = resolved;
    }
    const emailPublic = fields.email_public;
    if (emailPublic !== undefined && emailPublic !== null && (typeof emailPublic !== "boolean" || (emailPublic && email === undefined))) {
      const found = typeof emailPublic === "boolean" ? "true, but no valid `email` to publish" : describeValue(emailPublic);
      issue("email_public", `${found} (left out: the address stays private)`, EMAIL_PUBLIC_EXPECTED);
    } else if (emailPublic === true && email !== undefined) {
      author.publicEmail = email;
    }
    authors.set(key, author);
  }
  return { authors, issues };
}

/** A root-relative path under SITE_URL (which may have a base path), or an absolute URL as it is. */
function resolveOnSite(value: string, site: SiteSettings): string {
  return value.startsWith("/") ? new URL(site.url + value).href : new URL(value).href;
}

/** Local image files that registered authors' avatars name (they are served for as long as the registry names them). */
export function listAvatarFiles(registry: AuthorRegistry, site: SiteSettings): string[] {
  const files = new Set<string>();
  for (const author of registry.values()) {
    const file = findAvatarFile(author.avatar, site);
    if (file) files.add(file);
  }
  return [...files];
}

/** The local image file an avatar URL names (`SITE_URL/images/…`), if it names one. */
export function findAvatarFile(avatar: string | undefined, site: SiteSettings): string | undefined {
  if (!avatar?.startsWith(site.url + "/")) return undefined;
  return localImageFile(avatar.slice(site.url.length));
}

function findAvatarProblem(avatar: string, site: SiteSettings, images: AuthorImageLookup): string | undefined {
  const file = findAvatarFile(avatar, site);
  if (file === undefined) return undefined;
  if (images.image(file)) return undefined;
  if (!images.exists(file)) return `but there is no file articles/${file}`;
  return `but articles/${file} is ${images.imageProblem?.(file) ?? "not an accepted image"}`;
}

/** Registry keys whose entry has no usable name (they map to the publisher). */
function isUnnamed(key: string, registry: AuthorRegistry): boolean {
  return key !== PUBLISHER_KEY && registry.get(key)?.key === PUBLISHER_KEY;
}

/** A name as people compare names: Unicode-normalised, case and runs of whitespace ignored. */
export function normaliseName(text: string): string {
  return text.normalize("NFKC").replace(/\s+/gu, " ").trim().toLowerCase();
}

const namesOf = new WeakMap<AuthorRegistry, ReadonlyMap<string, Author | null>>();

/** Registered authors by normalised name; null for a name two entries share (then it resolves to neither). */
function indexNames(registry: AuthorRegistry): ReadonlyMap<string, Author | null> {
  let index = namesOf.get(registry);
  if (!index) {
    const built = new Map<string, Author | null>();
    for (const [key, author] of registry) {
      if (isUnnamed(key, registry) || author.key === PUBLISHER_KEY) continue;
      const n = normaliseName(author.name);
      built.set(n, built.has(n) ? null : author);
    }
    namesOf.set(registry, built);
    index = built;
  }
  return index;
}

/**
 * An entry in an article's `authors`: a registry key, else a free-form name that equals a registered author's name
 * (ignoring case and whitespace) is that author, so each person has one author feed; else a free-form name, keyed by
 * its slug.
 */
export function resolveAuthor(entry: string, registry: AuthorRegistry): Author {
  return registry.get(entry) ?? indexNames(registry).get(normaliseName(entry)) ?? { key: slugify(entry), name: entry };
}

/**
 * An article's authors from its entries: each resolved (resolveAuthor), repeats of one person merged, and entries whose
 * registry entry has no usable name left out (returned in `unnamed`, for a warning). With no author left, the publisher.
 */
export function resolveAuthors(
  entries: readonly string[],
  registry: AuthorRegistry,
  site: SiteSettings,
): { authors: Author[]; unnamed: string[] } {
  const authors: Author[] = [];
  const unnamed: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (isUnnamed(entry, registry)) {
      unnamed.push(entry);
      continue;
    }
    const author = resolveAuthor(entry, registry);
    if (seen.has(author.key)) continue;
    seen.add(author.key);
    authors.push(author);
  }
  return { authors: authors.length ? authors : [publisherOf(site)], unnamed };
}

/** The publisher (the site itself): the author of articles that name none. */
export function publisherOf(site: SiteSettings): Author {
  return { key: PUBLISHER_KEY, name: site.title, url: site.url + "/" };
}
