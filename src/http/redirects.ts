// Paths no route answers, before they are a 404: an article's old URL (an alias, a slug it had, the permalink rule's
// path) answers 301 to its page; a deleted or unpublished article's answers 410 Gone (RFC 9110 §15.5.11). One read of
// the store (Catalog.lookupPath), the same for every path of a kind, whatever it finds: an embargoed article's old URL
// answers exactly as an unknown path until its release.
import type { Context } from "hono";
import { plainPermalinkKey } from "../core/aliases.ts";
import { articlePageUrl } from "../core/article.ts";
import { choosePathTarget, type PathQuery, type PathTarget, pathQuery } from "../core/redirects.ts";
import type { AppContext } from "./context.ts";
import { capLifetimesAtRelease } from "./release-hint.ts";
import { problem } from "./responses.ts";

/** Seconds a 301 or a 410 may be kept (cut at the next release, which may bring an embargoed article in): a new
 * publish may move an article again, and browsers keep a permanent redirect without a lifetime for good. */
export const OLD_URL_MAX_AGE = 300;

/**
 * What a path no route answers leads to, and the site's next release (which bounds how long an answer about it may be
 * kept). Only GET and HEAD look: other methods answer 404 as they always did.
 */
export async function lookUpUnrouted(c: Context, ctx: AppContext, now: Date): Promise<{ target?: PathTarget; next?: Date }> {
  const method = c.req.method;
  const url = new URL(c.req.url);
  const query = method === "GET" || method === "HEAD" ? pathQuery(url, ctx.site) : undefined;
  if (!query) return { next: await ctx.catalog.nextRelease(now) };
  const { rows, nextRelease } = await ctx.catalog.lookupPath(query, now);
  const target = choosePathTarget(rows, query, ctx.site);
  return { ...(target ? { target } : {}), ...(nextRelease ? { next: nextRelease } : {}) };
}

/**
 * The answer to an old URL: 301 to the article's page, or 410 (a problem, or a page for a browser, like the 404) naming
 * `address`, the request's path unless said otherwise.
 */
export function answerOldUrl(
  c: Context,
  ctx: AppContext,
  target: PathTarget,
  now: Date,
  next: Date | undefined,
  address: string = c.req.path,
): Response {
  const { maxAge } = capLifetimesAtRelease({ maxAge: OLD_URL_MAX_AGE, sMaxAge: OLD_URL_MAX_AGE, staleWhileRevalidate: 0 }, next, now);
  const cacheControl = `public, max-age=${maxAge}`;
  if (target.kind === "moved") {
    return c.body(null, 301, { Location: articlePageUrl(ctx.site, target.slug), "Cache-Control": cacheControl });
  }
  const detail = `What was at ${address} has been removed. The feeds are listed at ${ctx.site.url}/ and in ${ctx.site.url}/feeds.opml.`;
  return problem(c, ctx.site, 410, detail, { "Cache-Control": cacheControl });
}

/**
 * The home page asked for with WordPress's plain permalink (`/?p=123`): 301 to the article that claims it as an alias,
 * 410 if that article is gone, else undefined (the home page is served, as for any other query, the same whether no
 * article, a draft or an embargoed one has it). One read of the store, only when the query names a post.
 */
export async function answerPlainPermalink(c: Context, ctx: AppContext, now: Date): Promise<Response | undefined> {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return undefined;
  const url = new URL(c.req.url);
  const key = plainPermalinkKey(url.search);
  if (!key) return undefined;
  const query: PathQuery = { paths: [key, url.origin + key] };
  const { rows, nextRelease } = await ctx.catalog.lookupPath(query, now);
  const target = choosePathTarget(rows, query, ctx.site);
  return target ? answerOldUrl(c, ctx, target, now, nextRelease, key) : undefined;
}
