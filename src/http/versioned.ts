// A versioned response: validators computed before rendering, a 304 when they match, else the body from the cache
// or rendered once and kept. In front of that, the whole response is kept for a few seconds (EDGE_CACHE_SECONDS), so
// a hot feed's requests, 200s and 304s alike, read no storage at all. Feeds and the OPML list answer through here.
import type { Context } from "hono";
import { scopeKeyPath } from "../core/catalog.ts";
import { describeError } from "../core/events.ts";
import { FEED_FILES } from "../core/feed-plan.ts";
import { encodeParts } from "../core/utf8.ts";
import { FORMATS, OUTPUT_REVISION } from "../formats/index.ts";
import type { Body, BodyCache } from "./body-cache.ts";
import { isNavigation, NAVIGATION_VARY, variesByNavigation } from "./browser-feeds.ts";
import { isNotModified } from "./conditional.ts";
import type { AppContext } from "./context.ts";
import { APP_HEADERS, cacheControl, type Freshness } from "./responses.ts";

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

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
}

export interface VersionedDocument extends DocumentFacts {
  /** A key naming the bytes, unique across documents (path and content version). */
  cacheKey: string;
  /** When the bytes next change on their own (an embargoed article in the document comes out). */
  nextChange?: Date;
  /** The document: one string, or its pieces in order (a feed's markup and stored items, encoded without a join). */
  render: () => Promise<string | readonly string[]> | string | readonly string[];
}

/** Headers a feed response carries, 200 and 304 alike (RFC 9110 §15.4.5: a 304 repeats what a 200 would send). */
function documentHeaders(ctx: AppContext, doc: DocumentFacts, now: Date): Record<string, string> {
  const { site } = ctx;
  const links = [`<${doc.alternate ?? `${site.url}/`}>; rel="alternate"; type="text/html"`];
  if (site.websubHub && doc.self) links.push(`<${site.websubHub}>; rel="hub"`, `<${doc.self}>; rel="self"`);
  return {
    ETag: doc.etag,
    ...(doc.lastModified ? { "Last-Modified": doc.lastModified.toUTCString() } : {}),
    "Cache-Control": cacheControl(site, doc.freshness, now),
    Vary: "Accept-Encoding",
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Link",
    Link: links.join(", "),
  };
}

/** A 304 when the request's validators match. */
function notModified(c: Context, doc: DocumentFacts): boolean {
  const validators = { ifNoneMatch: c.req.header("If-None-Match"), ifModifiedSince: c.req.header("If-Modified-Since") };
  return isNotModified(validators, { etag: doc.etag, lastModified: doc.lastModified });
}

/** A cache is an optimisation: if it fails, the document is planned and rendered all the same (and the fault logged). */
async function safeGet(c: Context, ctx: AppContext, key: string): Promise<Body | undefined> {
  return Promise.resolve()
    .then(() => ctx.cache.get(key))
    .catch((error: unknown) => {
      ctx.emit({ event: "storage-fault", store: "cache", operation: "get", message: describeError(error), path: c.req.path });
      return undefined;
    });
}

/** Puts into the cache; a failure is logged as a storage fault and the request goes on. */
function storeSafely(c: Context, ctx: AppContext, key: string, body: Body): Promise<void> {
  return Promise.resolve()
    .then(() => ctx.cache.put(key, body))
    .catch((error: unknown) =>
      ctx.emit({ event: "storage-fault", store: "cache", operation: "put", message: describeError(error), path: c.req.path }),
    );
}

/** Stores without making the response wait at the edge (waitUntil); elsewhere the put is awaited. */
async function safePut(c: Context, ctx: AppContext, key: string, body: Body): Promise<void> {
  await afterAnswer(c, storeSafely(c, ctx, key, body));
}

/**
 * The body cache's key of a document's bytes. The Cache API outlives deploys: a body rendered by code of another
 * output revision must never be served under this revision's ETag, so the revision is part of the key (the content
 * version alone is not enough).
 */
function bodyKey(doc: VersionedDocument): string {
  return `r${OUTPUT_REVISION}/${doc.cacheKey}`;
}

/** The body of a document: from the cache by content version, or rendered once and kept. */
async function bodyOf(c: Context, ctx: AppContext, doc: VersionedDocument): Promise<Body> {
  const key = bodyKey(doc);
  const cached = await safeGet(c, ctx, key);
  if (cached !== undefined) return cached;
  const rendered = await doc.render();
  const body = (typeof rendered === "string" ? utf8.encode(rendered) : encodeParts(rendered)) as Body;
  await safePut(c, ctx, key, body);
  return body;
}

/** A 304 when the request's validators match, else the body from the cache or from `doc.render`. */
export async function respondVersioned(c: Context, ctx: AppContext, doc: VersionedDocument, now: Date): Promise<Response> {
  const headers = documentHeaders(ctx, doc, now);
  if (notModified(c, doc)) return c.body(null, 304, headers);
  return c.body(await bodyOf(c, ctx, doc), 200, { ...headers, "Content-Type": doc.contentType });
}

/** A whole response as kept in the cache: its facts (dates as epoch ms), when it stops being served, and the body. */
interface KeptResponse {
  expires: number;
  etag: string;
  lastModified?: number;
  contentType: string;
  archived: boolean;
  siteNextRelease?: number;
  self?: string;
  alternate?: string;
}

function encodeKept(kept: KeptResponse, body: Body): Body {
  const head = utf8.encode(JSON.stringify(kept) + "\n");
  const out = new Uint8Array(head.byteLength + body.byteLength);
  out.set(head, 0);
  out.set(body, head.byteLength);
  return out;
}

/** A kept response read back: its facts as a document's, and its body (a view into the kept bytes, not a copy). */
interface DecodedKept {
  expires: number;
  facts: DocumentFacts;
  body: Body;
  /** The hot path's headers for a 200 and a 304, made for one Cache-Control value (it changes only near a release). */
  prepared?: { second: number; cacheControl: string; ok: Record<string, string>; notModified: Record<string, string> };
}

/**
 * Kept bytes decoded once: a hot feed's hits reuse the decoded facts instead of parsing them again. Keyed weakly by
 * the kept bytes themselves (never written to), so an entry lives exactly as long as the cache tier holding those
 * bytes keeps them, and this adds nothing that grows on its own.
 */
const decodedKept = new WeakMap<Body, DecodedKept | null>();

function decodeKept(bytes: Body): DecodedKept | undefined {
  const known = decodedKept.get(bytes);
  if (known !== undefined) return known ?? undefined;
  const decoded = parseKept(bytes);
  decodedKept.set(bytes, decoded ?? null);
  return decoded;
}

function parseKept(bytes: Body): DecodedKept | undefined {
  const newline = bytes.indexOf(10);
  if (newline < 0) return undefined;
  let kept: KeptResponse;
  try {
    kept = JSON.parse(fromUtf8.decode(bytes.subarray(0, newline))) as KeptResponse;
  } catch {
    return undefined; // written by other code: a miss
  }
  const facts: DocumentFacts = {
    etag: kept.etag,
    lastModified: kept.lastModified === undefined ? undefined : new Date(kept.lastModified),
    freshness: {
      archived: kept.archived,
      siteNextRelease: kept.siteNextRelease === undefined ? undefined : new Date(kept.siteNextRelease),
    },
    contentType: kept.contentType,
    self: kept.self,
    alternate: kept.alternate,
  };
  return { expires: kept.expires, facts, body: bytes.subarray(newline + 1) };
}

/** The response cache's key for a request path (and the `limit` it asked for): other query parameters never split it. */
export function responseKey(path: string, limit?: number): string {
  return `resp/r${OUTPUT_REVISION}${path}${limit === undefined ? "" : `?limit=${limit}`}`;
}

/** The response kept under `key`, while it is fresh: a 304 or the body, with no storage read. */
export async function answerKept(c: Context, ctx: AppContext, key: string, now: Date): Promise<Response | undefined> {
  if (ctx.site.cache.edgeSeconds === 0) return undefined;
  const hit = await safeGet(c, ctx, key);
  const found = hit && decodeKept(hit);
  if (!found || found.expires <= now.getTime()) return undefined;
  const { facts } = found;
  const headers = documentHeaders(ctx, facts, now);
  if (notModified(c, facts)) return c.body(null, 304, headers);
  return c.body(found.body, 200, { ...headers, "Content-Type": facts.contentType });
}

/**
 * The kept response for a plain GET of a feed or the OPML list (no query, not a browser tab), answered from the
 * isolate's tier before any routing: the hot path of a polled feed, a 304 above all. It answers exactly what the
 * route would (answerKept, then the app's middleware: `APP_HEADERS`, the browser view's `Vary`); a test compares the
 * two header by header. Anything else, a miss or an expired entry included, goes to the routes.
 */
export function answerHot(request: Request, ctx: AppContext): Response | undefined {
  if (request.method !== "GET" || ctx.site.cache.edgeSeconds === 0 || !ctx.cache.peek) return undefined;
  // request.url is already a serialised URL: its path is the text from the first "/" after the host.
  const url = request.url;
  if (url.includes("?")) return undefined; // `?limit` and the rest are the routes' to parse (and refuse)
  const path = url.slice(url.indexOf("/", url.indexOf("//") + 2));
  const headers = request.headers;
  const dest = headers.get("Sec-Fetch-Dest");
  if (dest !== null && isNavigation(dest, headers.get("Sec-Fetch-Mode"))) return undefined;
  const bytes = ctx.cache.peek(responseKey(path));
  const found = bytes && decodeKept(bytes);
  if (!found) return undefined;
  const now = ctx.now();
  if (found.expires <= now.getTime()) return undefined;
  const { facts } = found;
  const prepared = preparedHeaders(ctx, found, now);
  // If-Modified-Since counts only without If-None-Match (isNotModified), so it is read only then.
  const ifNoneMatch = headers.get("If-None-Match");
  const validators = ifNoneMatch !== null ? { ifNoneMatch } : { ifModifiedSince: headers.get("If-Modified-Since") };
  if (isNotModified(validators, facts)) return new Response(null, { status: 304, headers: prepared.notModified });
  return new Response(found.body, { status: 200, headers: prepared.ok });
}

/**
 * The hot path's headers for this kept response at `now`: made once per second. Cache-Control is the one header that
 * depends on the clock, in whole seconds to a release boundary that is itself a whole second (release-hint.ts), so it
 * cannot change within one second of the epoch.
 */
function preparedHeaders(ctx: AppContext, found: DecodedKept, now: Date): NonNullable<DecodedKept["prepared"]> {
  const second = Math.floor(now.getTime() / 1000);
  if (found.prepared?.second === second) return found.prepared;
  const { facts } = found;
  const value = cacheControl(ctx.site, facts.freshness, now);
  if (found.prepared?.cacheControl === value) {
    found.prepared.second = second;
    return found.prepared;
  }
  const notModified = { ...documentHeaders(ctx, facts, now), ...APP_HEADERS };
  if (variesByNavigation(facts.contentType)) notModified.Vary = `${notModified.Vary}, ${NAVIGATION_VARY}`;
  found.prepared = { second, cacheControl: value, notModified, ok: { ...notModified, "Content-Type": facts.contentType } };
  return found.prepared;
}

/**
 * Answers a planned document (as `respondVersioned`) and keeps a 200 under `key` for EDGE_CACHE_SECONDS, never past
 * `doc.nextChange`, so an embargoed article still appears at its second.
 */
export async function respondAndKeep(c: Context, ctx: AppContext, key: string, doc: VersionedDocument, now: Date): Promise<Response> {
  const seconds = ctx.site.cache.edgeSeconds;
  if (seconds === 0) return respondVersioned(c, ctx, doc, now);
  const headers = documentHeaders(ctx, doc, now);
  if (notModified(c, doc)) {
    // A feed polled only with If-None-Match must be kept again too, or every 304 after the first expiry plans the
    // feed: kept from the body cache by content version, never rendered for a 304, and after the answer where the
    // runtime allows (waitUntil).
    await afterAnswer(c, keepFromCache(c, ctx, key, doc, now));
    return c.body(null, 304, headers);
  }
  const body = await bodyOf(c, ctx, doc);
  await safePut(c, ctx, key, encodeKept(keptOf(doc, now, seconds), body));
  return c.body(body, 200, { ...headers, "Content-Type": doc.contentType });
}

/** The kept facts of a planned document at `now`: fresh for EDGE_CACHE_SECONDS, never past `doc.nextChange`. */
function keptOf(doc: VersionedDocument, now: Date, seconds: number): KeptResponse {
  return {
    expires: Math.min(now.getTime() + seconds * 1000, doc.nextChange?.getTime() ?? Number.POSITIVE_INFINITY),
    etag: doc.etag,
    lastModified: doc.lastModified?.getTime(),
    contentType: doc.contentType,
    archived: doc.freshness.archived,
    siteNextRelease: doc.freshness.siteNextRelease?.getTime(),
    self: doc.self,
    alternate: doc.alternate,
  };
}

/** Keeps the response under `key` if its body is in the body cache; renders nothing. */
async function keepFromCache(c: Context, ctx: AppContext, key: string, doc: VersionedDocument, now: Date): Promise<void> {
  const body = await safeGet(c, ctx, bodyKey(doc));
  if (body !== undefined) await storeSafely(c, ctx, key, encodeKept(keptOf(doc, now, ctx.site.cache.edgeSeconds), body));
}

/** Runs `work` after the response where the runtime allows (waitUntil); elsewhere (tests) before it. */
async function afterAnswer(c: Context, work: Promise<void>): Promise<void> {
  const waitUntil = executionWaitUntil(c);
  if (waitUntil) waitUntil(work);
  else await work;
}

/**
 * Forgets the kept responses of the subscription documents of these scopes (`home`, `sections/x`, …) in every format,
 * and the OPML list: called after a publish, so the change shows at once here. Elsewhere (other isolates and data
 * centres), and for archive pages and `?limit` variants, it shows within EDGE_CACHE_SECONDS.
 */
export async function forgetKept(cache: BodyCache, scopes: readonly string[]): Promise<void> {
  const paths = new Set<string>(["/feeds.opml"]);
  for (const scope of scopes) {
    const folder = scopeKeyPath(scope);
    if (folder === undefined) continue;
    for (const format of FORMATS) paths.add(`/${folder}${FEED_FILES[format.id]}`);
  }
  await Promise.all([...paths].map((path) => cache.delete(responseKey(path))));
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
