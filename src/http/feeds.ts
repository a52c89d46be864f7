// Feed routes: the site's feeds, section/tag/author/language feeds, their archive pages, the same under a partner's
// folder (its own feeds, partners.yaml `feed:`), and the OPML list of the site's. Each route parses the request, plans
// the document (src/core/feed-plan.ts) and answers through a versioned response.
import type { Context, Hono } from "hono";
import { FACET_KINDS, type FacetKind, HOME, type Scope, scopeKey } from "../core/catalog.ts";
import {
  canonicalJson,
  describeScope,
  FEED_FILES,
  GROUP_TITLES,
  listedFacets,
  partnerPath,
  planFeed,
  scopePath,
} from "../core/feed-plan.ts";
import { hashText } from "../core/hash.ts";
import { PARTNER_KEY, type Partner, partnerServes } from "../core/partners.ts";
import { FEED_ITEMS_MAX } from "../core/settings.ts";
import { etagOf, type FeedFormat, OUTPUT_REVISION, planParts } from "../formats/index.ts";
import { OPML_CONTENT_TYPE, type OpmlFeed, renderOpml } from "../formats/opml.ts";
import { cacheTagHeader, feedDocumentTags, INDEX_TAG, partnerTag } from "./cache-tags.ts";
import type { AppContext } from "./context.ts";
import { NotFoundError, RequestError } from "./errors.ts";
import { respondVersioned } from "./versioned.ts";

const ALLOW = "GET, HEAD, OPTIONS";
const PAGE = ":page{[1-9][0-9]{0,8}}";
const FACET = `:kind{${FACET_KINDS.join("|")}}/:slug`;
/** A partner's folder: `/partners/{key}` (the key as partners.yaml allows it). */
const PARTNER = `/partners/:key{${PARTNER_KEY.source.slice(1, -1)}}`;

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
    const paths = [
      `/${format.file}`,
      `/archive/${PAGE}/${format.file}`,
      `/${FACET}/${format.file}`,
      `/${FACET}/archive/${PAGE}/${format.file}`,
    ];
    for (const path of [...paths, ...paths.map((p) => PARTNER + p)]) {
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
  const [scope, partner] = await Promise.all([requestedScope(c, ctx, now), requestedPartner(c, ctx)]);
  if (partner && !partnerServes(partner, scope)) {
    throw new RequestError("forbidden", `partner "${partner.key}" has the feeds of its sections only (${partner.sections!.join(", ")})`);
  }
  const plan = await planFeed(ctx.catalog, ctx.site, now, { scope, page, limit: page === undefined ? limit : undefined, partner });
  // A section, tag, author or language with nothing out at `now` is not public yet: a 404 under any spelling, before
  // any redirect, so an embargoed story reveals no facet.
  if (!plan || (scope.kind !== "home" && plan.count === 0)) throw new NotFoundError(c.req.path);
  const folder = (partner ? partnerPath(partner.key) : "") + scopePath(scope);
  // A partner's feed is purged with its scope's (a publish) and with the partner's tag (its partners.yaml entry).
  const tags = [...feedDocumentTags(scopeKey(scope), format.id), ...(partner ? [partnerTag(partner.key)] : [])];
  if (scope.kind !== "home" && c.req.param("slug") !== scope.slug) {
    // One URL per feed: other spellings of a name redirect to its slug form.
    const rest = (page === undefined ? "" : `archive/${page}/`) + format.file;
    c.header("Cache-Tag", cacheTagHeader(tags));
    return c.redirect(`${ctx.site.url}/${folder}${rest}${new URL(c.req.url).search}`, 301);
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
      cacheKey: `${folder}${page ?? "current"}/${format.file}/${plan.version}`,
      self: plan.head.hubs.length ? plan.head.self[format.id] : undefined,
      alternate: plan.head.homeUrl,
      tags,
      render: () => planParts(ctx.catalog, plan, format),
    },
    now,
  );
}

/**
 * The site, or the section, tag, author or language the URL names; a 404 for one unknown or not yet public at `now` (only
 * embargoed articles use it), after the same one read either way.
 */
async function requestedScope(c: Context, ctx: AppContext, now: Date): Promise<Scope> {
  const kind = c.req.param("kind") as FacetKind | undefined;
  if (kind === undefined) return HOME;
  const facet = await ctx.catalog.facet(kind, c.req.param("slug")!, now);
  if (!facet) throw new NotFoundError(c.req.path);
  return facet;
}

/**
 * The partner whose own feeds the URL asks for, undefined for the site's; a 404 for a key partners.yaml does not have,
 * or whose entry has no `feed:` (a key alone is for headlines: its feeds exist only when the entry asks for them).
 */
async function requestedPartner(c: Context, ctx: AppContext): Promise<(Partner & { feed: NonNullable<Partner["feed"]> }) | undefined> {
  const key = c.req.param("key");
  if (key === undefined) return undefined;
  const partner = (await ctx.catalog.partners()).get(key);
  if (!partner?.feed) throw new NotFoundError(c.req.path);
  return { ...partner, feed: partner.feed };
}

/**
 * The OPML 2.0 list of every feed a reader can subscribe to at `now`: the site's, then sections, tags, authors and
 * (on a site with articles in more than one) languages.
 */
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
    FACET_KINDS.map(async (kind) => ({ title: GROUP_TITLES[kind], feeds: (await listedFacets(catalog, kind, now)).map(feedOf) })),
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
