// A versioned response: validators computed before rendering, a 304 when they match, else the body, from the
// isolate's body cache by content version or assembled once and kept there. Feeds, the OPML list and the sitemaps
// answer through here, and their headers are made here only (`documentHeaders`), 200 and 304 alike. In production
// Workers Caching answers in front of all this (cache-tags.ts): a request reaches it on a miss or a revalidation.
import type { Context } from "hono";
import { encodeParts } from "../core/utf8.ts";
import { OUTPUT_REVISION } from "../formats/index.ts";
import type { Body } from "./body-cache.ts";
import { isBrowserNavigation, NAVIGATION_TYPE, NAVIGATION_VARY, variesByNavigation } from "./browser-feeds.ts";
import { type CachePurgeApi, cacheTagHeader } from "./cache-tags.ts";
import { isNotModified } from "./conditional.ts";
import type { AppContext } from "./context.ts";
import { cacheControl, type Freshness } from "./responses.ts";

const utf8 = new TextEncoder();

/** The facts of a document that its headers are made of (the body aside). */
export interface DocumentFacts {
  /** Strong ETag naming the bytes (content version and output revision). */
  etag: string;
  lastModified?: Date;
  freshness: Freshness;
  contentType: string;
  /** The document's own URL, announced with the WebSub hub; absent when the document is no WebSub topic. */
  self?: string;
  /** The HTML page the document belongs to (`Link: rel="alternate"`); the site's home page when absent. */
  alternate?: string;
  /** What the document depends on, as Workers Caching tags (cache-tags.ts); the app adds the site's own. */
  tags?: readonly string[];
}

export interface VersionedDocument extends DocumentFacts {
  /** A key naming the bytes, unique across documents (path and content version). */
  cacheKey: string;
  /** The document: one string, or its pieces in order (a feed's markup and stored items, encoded without a join). */
  render: () => Promise<string | readonly string[]> | string | readonly string[];
}

/**
 * Every header a versioned document's answer carries, 200 and 304 alike (RFC 9110 §15.4.5: a 304 repeats what a 200
 * would send), but `Content-Type`, which only a 200 has: the one place they are made. An RSS or Atom feed varies on
 * Sec-Fetch-Dest too, since a browser tab gets it as `application/xml` (browser-feeds.ts).
 */
export function documentHeaders(ctx: AppContext, doc: DocumentFacts, now: Date): Record<string, string> {
  const { site } = ctx;
  const links = [`<${doc.alternate ?? `${site.url}/`}>; rel="alternate"; type="text/html"`];
  if (site.websubHub && doc.self) links.push(`<${site.websubHub}>; rel="hub"`, `<${doc.self}>; rel="self"`);
  return {
    ETag: doc.etag,
    ...(doc.lastModified ? { "Last-Modified": doc.lastModified.toUTCString() } : {}),
    "Cache-Control": cacheControl(site, doc.freshness, now),
    Vary: variesByNavigation(doc.contentType) ? `Accept-Encoding, ${NAVIGATION_VARY}` : "Accept-Encoding",
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Link",
    Link: links.join(", "),
    ...(doc.tags?.length ? { "Cache-Tag": cacheTagHeader(doc.tags) } : {}),
  };
}

/** The `Content-Type` of a document's 200 for this request: an XML feed opened in a browser tab is `application/xml`. */
function contentTypeFor(c: Context, doc: DocumentFacts): string {
  return variesByNavigation(doc.contentType) && isBrowserNavigation(c.req) ? NAVIGATION_TYPE : doc.contentType;
}

/**
 * The body cache's key of a document's bytes: the output revision is part of it, so bytes rendered by code of another
 * revision are never served under this revision's ETag.
 */
function bodyKey(doc: VersionedDocument): string {
  return `r${OUTPUT_REVISION}/${doc.cacheKey}`;
}

/** The body of a document: from the isolate's body cache by content version, or assembled once and kept. */
async function bodyOf(ctx: AppContext, doc: VersionedDocument): Promise<Body> {
  const key = bodyKey(doc);
  const cached = ctx.cache.get(key);
  if (cached !== undefined) return cached;
  const rendered = await doc.render();
  const body = (typeof rendered === "string" ? utf8.encode(rendered) : encodeParts(rendered)) as Body;
  ctx.cache.put(key, body);
  return body;
}

/** A 304 when the request's validators match, else the body from the cache or from `doc.render`. */
export async function respondVersioned(c: Context, ctx: AppContext, doc: VersionedDocument, now: Date): Promise<Response> {
  const headers = documentHeaders(ctx, doc, now);
  const validators = { ifNoneMatch: c.req.header("If-None-Match"), ifModifiedSince: c.req.header("If-Modified-Since") };
  if (isNotModified(validators, { etag: doc.etag, lastModified: doc.lastModified })) return c.body(null, 304, headers);
  return c.body(await bodyOf(ctx, doc), 200, { ...headers, "Content-Type": contentTypeFor(c, doc) });
}

/** The request's `waitUntil`, or undefined where there is no ExecutionContext (`app.request()` in tests). */
export function executionWaitUntil(c: Context): ((promise: Promise<unknown>) => void) | undefined {
  try {
    const ctx = c.executionCtx;
    return (promise) => ctx.waitUntil(promise);
  } catch {
    return undefined; // no ExecutionContext: app.request() in tests
  }
}

/** The request's Workers Caching handle (`ctx.cache`), or undefined where the runtime gives none (Miniflare, tests). */
export function executionCache(c: Context): CachePurgeApi | undefined {
  try {
    return (c.executionCtx as { cache?: CachePurgeApi }).cache;
  } catch {
    return undefined; // no ExecutionContext: app.request() in tests
  }
}
