// Cache-Tag values: what each cacheable answer depends on, so that a publish, a delete or an embargo release purges
// from Workers Caching exactly the answers it changed (the purge itself: src/runtime/edge-cache.ts).
//
// Workers Caching keeps each answer under its path and query, with the tags of its `Cache-Tag` header (stripped before
// the answer reaches anyone), and `ctx.cache.purge({ tags })` drops every answer carrying one of the tags, in every
// data centre (https://developers.cloudflare.com/workers/cache/purge/). Tags are printable ASCII without spaces, at
// most 1,024 characters, matched without regard to case.
import { ALL, type ScopeKey, scopeKey } from "../core/catalog.ts";
import { hashText } from "../core/hash.ts";
import type { FormatId } from "../core/model.ts";
import type { PublishChange } from "../core/publishing.ts";
import type { ReleasedArticle } from "../core/releases.ts";

/** Every cacheable answer of the worker (added by `tagCacheable`): purged when a registry changes, which any page may show. */
export const SITE_TAG = "site";
/** Answers that list the whole site: the OPML list, the home page's feed list, the sitemaps. */
export const INDEX_TAG = "index";
/** 404s: a publish may bring any of them into being. */
export const NOT_FOUND_TAG = "not-found";
/** The partner headlines (/headlines.json, /embed/headlines): sections' newest articles and partners.yaml. */
export const HEADLINES_TAG = "headlines";

/** Longest tag a purge accepts. */
const TAG_MAX = 1024;

/**
 * One name inside a tag: a slug, a path or a scope key as printable ASCII (non-ASCII letters of a slug percent-encoded,
 * `/` kept), or, past the length a purge accepts, a hash of it (the same whichever side computes it).
 */
function part(text: string): string {
  const ascii = encodeURIComponent(text).replaceAll("%2F", "/");
  return ascii.length <= TAG_MAX - 16 ? ascii : `#${hashText(text)}`;
}

/** Every answer of one feed scope (`home`, `sections/news`, …): its feeds in every format, archive pages, `?limit`s, its page. */
export function scopeTag(scope: ScopeKey): string {
  return `scope:${part(scope)}`;
}

/** One format of one scope's feed (all its pages and `?limit`s). */
export function feedTag(scope: ScopeKey, format: FormatId): string {
  return `feed:${part(scope)}:${format}`;
}

/**
 * Every answer of one partner's own feeds (/partners/{key}/…): purged, with everything, when partners.yaml changes
 * (SITE_TAG), and by itself when only that entry's form should be dropped (by hand: POST /api/cache/purge).
 */
export function partnerTag(key: string): string {
  return `partner:${part(key)}`;
}

/** One article's page. */
export function articleTag(slug: string): string {
  return `article:${part(slug)}`;
}

/** One image (`images/…`). */
export function imageTag(path: string): string {
  return `image:${part(path)}`;
}

/** The tags of a feed document: its scope, its scope and format. */
export function feedDocumentTags(scope: ScopeKey, format: FormatId): string[] {
  return [scopeTag(scope), feedTag(scope, format)];
}

/** The header value: tags joined with commas, each once, in order. */
export function cacheTagHeader(tags: readonly string[]): string {
  return [...new Set(tags)].join(",");
}

/**
 * What a publish, a delete or a batch changed, as the tags to purge: each list it touched (before and after), each
 * article page and image, the site-wide lists, the 404s and the headlines; and everything when a registry changed
 * (an author's name or a partner's list shows on pages the change does not enumerate).
 */
export function tagsOfChange(change: PublishChange): string[] {
  if (change.registries.length > 0) return [SITE_TAG];
  return [
    ...change.scopes.map(scopeTag),
    ...change.slugs.map(articleTag),
    ...change.images.map(imageTag),
    INDEX_TAG,
    NOT_FOUND_TAG,
    HEADLINES_TAG,
  ];
}

/**
 * What an embargo release changed: the lists of each released article, its page (a 404 until now), and the
 * site-wide lists, 404s and headlines. Its image appears with it but was never served before (a 404 until now).
 */
export function tagsOfRelease(released: readonly ReleasedArticle[]): string[] {
  if (released.length === 0) return [];
  return [
    ...new Set([
      // The list of every article has no answer of its own (the sitemaps that read it carry the index's tag).
      ...released.flatMap((article) => article.scopes.filter((scope) => scope !== scopeKey(ALL)).map(scopeTag)),
      ...released.map((article) => articleTag(article.slug)),
      INDEX_TAG,
      NOT_FOUND_TAG,
      HEADLINES_TAG,
    ]),
  ];
}

/** Whether shared caches may keep an answer with this Cache-Control (none, or one that says neither no-store nor private). */
export function isSharedCacheable(cacheControl: string | null): boolean {
  return cacheControl === null || !/\b(no-store|private)\b/i.test(cacheControl);
}

/** Adds the site's tag to an answer a shared cache may keep (the app's middleware, after every route and error). */
export function tagCacheable(headers: Headers): void {
  if (!isSharedCacheable(headers.get("Cache-Control"))) return;
  const own = headers.get("Cache-Tag");
  headers.set("Cache-Tag", cacheTagHeader([...(own ? own.split(",") : []), SITE_TAG]));
}

/** The part of the runtime's `ctx.cache` (Workers Caching's CacheContext) this service calls: a purge by tags. */
export interface CachePurgeApi {
  purge(options: { tags: string[] }): Promise<{ success: boolean; errors: readonly { code: number; message: string }[] }>;
}
