// A versioned response: validators computed before rendering, a 304 when they match, else the body from the cache
// or rendered once and kept. Feeds and the OPML list answer through here.
import type { Context } from "hono";
import { OUTPUT_REVISION } from "../formats/index.ts";
import type { Body } from "./body-cache.ts";
import { isNotModified } from "./conditional.ts";
import type { AppContext } from "./context.ts";
import { cacheControl, type Freshness } from "./responses.ts";

const utf8 = new TextEncoder();

export interface VersionedDocument {
  /** Strong ETag naming the bytes (content version and output revision). */
  etag: string;
  lastModified?: Date;
  freshness: Freshness;
  contentType: string;
  /** A key naming the bytes, unique across documents (path and content version). */
  cacheKey: string;
  /** The document's own URL, announced with the WebSub hub; absent when the document is no WebSub topic. */
  self?: string;
  /** The HTML page the document belongs to (`Link: rel="alternate"`); the site's home page when absent. */
  alternate?: string;
  render: () => Promise<string> | string;
}

/** Headers a feed response carries, 200 and 304 alike (RFC 9110 §15.4.5: a 304 repeats what a 200 would send). */
function documentHeaders(ctx: AppContext, doc: VersionedDocument, now: Date): Record<string, string> {
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

/** A 304 when the request's validators match, else the body from the cache or from `doc.render`. */
export async function respondVersioned(c: Context, ctx: AppContext, doc: VersionedDocument, now: Date): Promise<Response> {
  const headers = documentHeaders(ctx, doc, now);
  const validators = { ifNoneMatch: c.req.header("If-None-Match"), ifModifiedSince: c.req.header("If-Modified-Since") };
  if (isNotModified(validators, { etag: doc.etag, lastModified: doc.lastModified })) return c.body(null, 304, headers);
  // The Cache API outlives deploys: a body rendered by code of another output revision must never be served under
  // this revision's ETag, so the revision is part of the key (the content version alone is not enough).
  const key = `r${OUTPUT_REVISION}/${doc.cacheKey}`;
  // A cache is an optimisation: if it fails, the document is rendered and served all the same.
  let body = await Promise.resolve()
    .then(() => ctx.cache.get(key))
    .catch((error: unknown) => {
      ctx.log(`edge-feeds: cache get failed: ${String(error)}`);
      return undefined;
    });
  if (body === undefined) {
    body = utf8.encode(await doc.render()) as Body;
    const stored = ctx.cache.put(key, body).catch((error: unknown) => ctx.log(`edge-feeds: cache put failed: ${String(error)}`));
    // At the edge the put finishes after the response is sent; elsewhere it is awaited.
    const waitUntil = executionWaitUntil(c);
    if (waitUntil) waitUntil(stored);
    else await stored;
  }
  return c.body(body, 200, { ...headers, "Content-Type": doc.contentType });
}

function executionWaitUntil(c: Context): ((promise: Promise<unknown>) => void) | undefined {
  try {
    const ctx = c.executionCtx;
    return (promise) => ctx.waitUntil(promise);
  } catch {
    return undefined; // no ExecutionContext: Node, or app.request() in tests
  }
}
