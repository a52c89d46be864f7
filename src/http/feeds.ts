// Feed routes: the site's feeds, section/tag/author feeds, their archive pages, and the OPML list of them all.
// Each route parses the request, plans the document (src/core/feed-plan.ts) and answers through a versioned response.
import type { Context, Hono } from "hono";
import { FACET_KINDS, type FacetKind, HOME, type Scope, scopeKey } from "../core/catalog.ts";
import { canonicalJson, describeScope, FEED_FILES, GROUP_TITLES, planFeed, scopePath } from "../core/feed-plan.ts";
import { hashText } from "../core/hash.ts";
import { FEED_ITEMS_MAX } from "../core/settings.ts";
import { etagOf, type FeedFormat, OUTPUT_REVISION, planParts } from "../formats/index.ts";
import { OPML_CONTENT_TYPE, type OpmlFeed, renderOpml } from "../formats/opml.ts";
import { cacheTagHeader, feedDocumentTags, INDEX_TAG } from "./cache-tags.ts";
import type { AppContext } from "./context.ts";
import { NotFoundError, RequestError } from "./errors.ts";
import { respondVersioned } from "./versioned.ts";

const ALLOW = "GET, HEAD, OPTIONS";
const PAGE = ":page{[1-9][0-9]{0,8}}";
const FACET = ":kind{sections|tags|authors}/:slug";

/** `?limit=N`: a whole number from 1 to FEED_ITEMS_MAX. */
export const LIMIT_RULE = `limit must be a whole number from 1 to ${FEED_ITEMS_MAX}`;

/** The `limit` query parameter: undefined when absent; a 400 for anything but one in-range whole number. */
export function parseLimit(values: readonly string[]): number | undefined {
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new RequestError("bad-request", `${LIMIT_RULE}; it was given ${values.length} times`);
  const raw = values[0]!;
  const n = /^[0-9]{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= FEED_ITEMS_MAX)) throw new RequestError("bad-request", `${LIMIT_RULE}; got "${raw.slice(0, 40)}"`);
  return n;
}

export function registerFeedRoutes(app: Hono, ctx: AppContext): void {
  for (const format of ctx.formats) {
    for (const path of [
      `/${format.file}`,
      `/archive/${PAGE}/${format.file}`,
      `/${FACET}/${format.file}`,
      `/${FACET}/archive/${PAGE}/${format.file}`,
    ]) {
      app.get(path, (c) => serveFeed(c, ctx, format));
      app.all(path, (c) => otherMethod(c));
    }
  }
  app.get("/feeds.opml", (c) => serveOpml(c, ctx));
  app.all("/feeds.opml", (c) => otherMethod(c));
}

/** One feed document in one format. */
async function serveFeed(c: Context, ctx: AppContext, format: FeedFormat): Promise<Response> {
  const limit = parseLimit(c.req.queries("limit") ?? []);
  const now = ctx.now();
  const pageParam = c.req.param("page");
  const page = pageParam === undefined ? undefined : Number(pageParam);
  const scope = await requestedScope(c, ctx, now);
  const plan = await planFeed(ctx.catalog, ctx.site, now, { scope, page, limit: page === undefined ? limit : undefined });
  // A section, tag or author with nothing out at `now` is not public yet: a 404 under any spelling, before any
  // redirect, so an embargoed story reveals no facet.
  if (!plan || (scope.kind !== "home" && plan.count === 0)) throw new NotFoundError(c.req.path);
  if (scope.kind !== "home" && c.req.param("slug") !== scope.slug) {
    // One URL per feed: other spellings of a name redirect to its slug form.
    const rest = (page === undefined ? "" : `archive/${page}/`) + format.file;
    c.header("Cache-Tag", cacheTagHeader(feedDocumentTags(scopeKey(scope), format.id)));
    return c.redirect(`${ctx.site.url}/${scopePath(scope)}${rest}${new URL(c.req.url).search}`, 301);
  }
  return respondVersioned(
    c,
    ctx,
    {
      etag: etagOf(format.id, plan),
      lastModified: plan.lastModified,
      // Site-wide, not the plan's own nextChange: a per-feed hint would reveal where the next embargoed article goes.
      freshness: { archived: plan.archived, siteNextRelease: plan.siteNextRelease },
      contentType: format.contentType,
      cacheKey: `${scopePath(scope)}${page ?? "current"}/${format.file}/${plan.version}`,
      self: plan.head.hubs.length ? plan.head.self[format.id] : undefined,
      alternate: plan.head.homeUrl,
      tags: feedDocumentTags(scopeKey(scope), format.id),
      render: () => planParts(ctx.catalog, plan, format),
    },
    now,
  );
}

/**
 * The site, or the section, tag or author the URL names; a 404 for one unknown or not yet public at `now` (only
 * embargoed articles use it), after the same one read either way.
 */
async function requestedScope(c: Context, ctx: AppContext, now: Date): Promise<Scope> {
  const kind = c.req.param("kind") as FacetKind | undefined;
  if (kind === undefined) return HOME;
  const facet = await ctx.catalog.facet(kind, c.req.param("slug")!, now);
  if (!facet) throw new NotFoundError(c.req.path);
  return facet;
}

/** The OPML 2.0 list of every feed a reader can subscribe to at `now`: the site's, then sections, tags and authors. */
async function serveOpml(c: Context, ctx: AppContext): Promise<Response> {
  const { site, catalog } = ctx;
  const now = ctx.now();
  const siteNextRelease = await catalog.nextRelease(now);
  const feedOf = (scope: Scope): OpmlFeed => ({
    ...describeScope(scope, site),
    xmlUrl: `${site.url}/${scopePath(scope)}${FEED_FILES.rss}`,
    htmlUrl: `${site.url}/${scopePath(scope)}`,
  });
  const facetGroups = await Promise.all(
    FACET_KINDS.map(async (kind) => ({ title: GROUP_TITLES[kind], feeds: (await catalog.publicFacets(kind, now)).map(feedOf) })),
  );
  const doc = { title: `${site.title}: all feeds`, groups: [{ title: site.title, feeds: [feedOf(HOME)] }, ...facetGroups] };
  const version = hashText(canonicalJson(doc));
  return respondVersioned(
    c,
    ctx,
    {
      etag: `"opml-${OUTPUT_REVISION}-${version}"`,
      // The list may change whenever an embargoed article comes out (it can open a new section, tag or author).
      freshness: { archived: false, siteNextRelease },
      contentType: OPML_CONTENT_TYPE,
      cacheKey: `feeds.opml/${version}`,
      tags: [INDEX_TAG],
      render: () => renderOpml(doc),
    },
    now,
  );
}

/** OPTIONS answers CORS preflights; other methods are refused with the methods that work (feeds, OPML, sitemaps). */
export function otherMethod(c: Context): Response {
  if (c.req.method === "OPTIONS") {
    return c.body(null, 204, {
      Allow: ALLOW,
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": ALLOW,
      "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
      "Access-Control-Max-Age": "86400",
    });
  }
  throw new RequestError("method-not-allowed", `${c.req.method} is not supported here; this address answers ${ALLOW}.`, { Allow: ALLOW });
}
