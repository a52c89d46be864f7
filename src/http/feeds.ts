// Feed routes: the site's feeds, section/tag/author feeds, their archive pages, and the OPML list of them all.
// Validators are computed from the plan before anything is rendered; a 304 never renders.
import type { Context, Hono } from "hono";
import { type ArticleEntry, type Catalog, type FacetKind, nextRelease } from "../core/catalog.ts";
import { NotFoundError } from "../core/errors.ts";
import { buildFeed } from "../core/feed.ts";
import {
  completePlan,
  describeScope,
  type FeedScope,
  findScope,
  isPublicScope,
  publicScopes,
  selectFeed,
  siteScope,
} from "../core/feed-plan.ts";
import { hashText } from "../core/hash.ts";
import { FEED_ITEMS_MAX } from "../core/settings.ts";
import { type FeedFormat, feedUrlsOf, OUTPUT_REVISION } from "../formats/index.ts";
import { OPML_CONTENT_TYPE, renderOpml } from "../formats/opml.ts";
import type { Body } from "./body-cache.ts";
import { FEED_STYLESHEET_PATH } from "./browser-feeds.ts";
import { isNotModified } from "./conditional.ts";
import type { AppContext } from "./context.ts";
import { cacheControl, type Freshness, problem } from "./responses.ts";

const ALLOW = "GET, HEAD, OPTIONS";
const utf8 = new TextEncoder();

/** The app's catalog: full records when loaded from the files, entries only when read from a prebuilt index. */
type IndexedCatalog = Catalog<ArticleEntry>;
type Scope = FeedScope<ArticleEntry>;

/** `?limit=N`: a whole number from 1 to FEED_ITEMS_MAX. */
export const LIMIT_RULE = `limit must be a whole number from 1 to ${FEED_ITEMS_MAX}`;

class BadRequest extends Error {}

/** The `limit` query parameter: undefined when absent; throws BadRequest for anything but one in-range whole number. */
export function parseLimit(values: readonly string[]): number | undefined {
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new BadRequest(`${LIMIT_RULE}; it was given ${values.length} times`);
  const raw = values[0]!;
  const n = /^[0-9]{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= FEED_ITEMS_MAX)) throw new BadRequest(`${LIMIT_RULE}; got "${raw.slice(0, 40)}"`);
  return n;
}

export function registerFeedRoutes(app: Hono, ctx: AppContext): void {
  const { site } = ctx;
  const facetPath = ":kind{sections|tags|authors}/:slug";

  for (const format of ctx.formats) {
    const routes: [string, (c: Context, catalog: IndexedCatalog, now: Date) => Scope][] = [
      [`/${format.file}`, (_c, catalog) => siteScope(catalog, site)],
      [`/archive/:page{[1-9][0-9]{0,8}}/${format.file}`, (_c, catalog) => siteScope(catalog, site)],
      [`/${facetPath}/${format.file}`, facetScope],
      [`/${facetPath}/archive/:page{[1-9][0-9]{0,8}}/${format.file}`, facetScope],
    ];
    for (const [path, scopeOf] of routes) {
      app.get(path, (c) => serveFeed(c, format, scopeOf));
      app.all(path, (c) => otherMethod(c));
    }
  }
  app.get("/feeds.opml", serveOpml);
  app.all("/feeds.opml", (c) => otherMethod(c));

  function facetScope(c: Context, catalog: IndexedCatalog, now: Date): Scope {
    const scope = findScope(catalog, c.req.param("kind") as FacetKind, c.req.param("slug")!);
    if (!scope || !isPublicScope(catalog, scope, now)) throw new NotFoundError(c.req.path);
    return scope;
  }

  function otherMethod(c: Context): Response {
    if (c.req.method === "OPTIONS") {
      return c.body(null, 204, {
        Allow: ALLOW,
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": ALLOW,
        "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
        "Access-Control-Max-Age": "86400",
      });
    }
    return problem(c, site, 405, `${c.req.method} is not supported here; feeds answer ${ALLOW}.`, { Allow: ALLOW });
  }

  /** Headers every feed response carries, 200 and 304 alike (RFC 9110 §15.4.5: a 304 repeats what a 200 would send). */
  function feedHeaders(
    etag: string,
    lastModified: Date | undefined,
    freshness: Freshness,
    now: Date,
    self?: string,
  ): Record<string, string> {
    const links = [`<${site.url}/>; rel="alternate"; type="text/html"`];
    if (site.websubHub && self) links.push(`<${site.websubHub}>; rel="hub"`, `<${self}>; rel="self"`);
    return {
      ETag: etag,
      ...(lastModified ? { "Last-Modified": lastModified.toUTCString() } : {}),
      "Cache-Control": cacheControl(site, freshness, now),
      Vary: "Accept-Encoding",
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Expose-Headers": "ETag, Link",
      Link: links.join(", "),
    };
  }

  /** A 304 when the request's validators match, else the body from the cache or from `render`. */
  async function respond(
    c: Context,
    contentType: string,
    cacheKey: string,
    headers: Record<string, string>,
    lastModified: Date | undefined,
    render: () => string,
  ): Promise<Response> {
    const validators = { ifNoneMatch: c.req.header("If-None-Match"), ifModifiedSince: c.req.header("If-Modified-Since") };
    if (isNotModified(validators, { etag: headers.ETag!, lastModified })) return c.body(null, 304, headers);
    // The Cache API outlives deploys: a body rendered by code of another output revision must never be served under
    // this revision's ETag, so the revision is part of the key (the content version alone is not enough).
    const key = `r${OUTPUT_REVISION}/${cacheKey}`;
    // A cache is an optimisation: if it fails, the feed is rendered and served all the same.
    let body = await Promise.resolve()
      .then(() => ctx.cache.get(key))
      .catch((error: unknown) => {
        ctx.log(`edge-feeds: cache get failed: ${String(error)}`);
        return undefined;
      });
    if (body === undefined) {
      body = utf8.encode(render()) as Body;
      const stored = ctx.cache.put(key, body).catch((error: unknown) => ctx.log(`edge-feeds: cache put failed: ${String(error)}`));
      // At the edge the put finishes after the response is sent; elsewhere it is awaited.
      const waitUntil = executionWaitUntil(c);
      if (waitUntil) waitUntil(stored);
      else await stored;
    }
    return c.body(body, 200, { ...headers, "Content-Type": contentType });
  }

  async function serveFeed(
    c: Context,
    format: FeedFormat,
    scopeOf: (c: Context, catalog: IndexedCatalog, now: Date) => Scope,
  ): Promise<Response> {
    let limit: number | undefined;
    try {
      limit = parseLimit(c.req.queries("limit") ?? []);
    } catch (error) {
      if (error instanceof BadRequest) return problem(c, site, 400, error.message);
      throw error;
    }
    const catalog = await ctx.catalog();
    const now = ctx.now();
    const scope = scopeOf(c, catalog, now);
    const pageParam = c.req.param("page");
    const page = pageParam === undefined ? undefined : Number(pageParam);
    const requestedSlug = c.req.param("slug");
    if (requestedSlug !== undefined && requestedSlug !== scope.slug) {
      // One URL per feed: other spellings of a name redirect to its slug form.
      const rest = (page === undefined ? "" : `archive/${page}/`) + format.file;
      return c.redirect(`${site.url}/${scope.path}${rest}${new URL(c.req.url).search}`, 301);
    }
    const selection = selectFeed(
      catalog,
      site,
      now,
      { scope, page, limit: page === undefined ? limit : undefined },
      feedUrlsOf(ctx.formats),
    );
    if (!selection) throw new NotFoundError(c.req.path);
    // The catalog may hold only entries (an indexed archive): the selected articles are read now, and only they.
    const plan = completePlan(selection, await catalog.load(selection.entries));
    const etag = `"${format.id}-${OUTPUT_REVISION}-${plan.version}"`;
    const self = plan.options.hubs?.length ? plan.options.urls[format.id] : undefined;
    // Site-wide, not the plan's own nextChange: a per-feed hint would reveal where the next embargoed article goes.
    const headers = feedHeaders(
      etag,
      plan.lastModified,
      { archived: plan.archived, siteNextRelease: nextRelease(catalog, now) },
      now,
      self,
    );
    return respond(
      c,
      format.contentType,
      `${scope.path}${page ?? "current"}/${format.file}/${plan.version}`,
      headers,
      plan.lastModified,
      () => format.render(buildFeed(plan.options), { stylesheet: site.url + FEED_STYLESHEET_PATH }),
    );
  }

  async function serveOpml(c: Context): Promise<Response> {
    const catalog = await ctx.catalog();
    const now = ctx.now();
    const scopes = publicScopes(catalog, site, now);
    const rss = ctx.formats.find((f) => f.id === "rss") ?? ctx.formats[0]!;
    const feedOf = (scope: Scope) => {
      const { title, description } = describeScope(scope, site);
      return { title, description, xmlUrl: `${site.url}/${scope.path}${rss.file}`, htmlUrl: `${site.url}/` };
    };
    const group = (kind: Scope["kind"]) => scopes.filter((s) => s.kind === kind).map(feedOf);
    const doc = {
      title: `${site.title}: all feeds`,
      groups: [
        { title: site.title, feeds: group("home") },
        { title: "Sections", feeds: group("sections") },
        { title: "Tags", feeds: group("tags") },
        { title: "Authors", feeds: group("authors") },
      ],
    };
    const version = hashText(JSON.stringify(doc));
    // The list may change whenever an embargoed article comes out (it can open a new section, tag or author).
    const headers = feedHeaders(
      `"opml-${OUTPUT_REVISION}-${version}"`,
      undefined,
      { archived: false, siteNextRelease: nextRelease(catalog, now) },
      now,
    );
    return respond(c, OPML_CONTENT_TYPE, `feeds.opml/${version}`, headers, undefined, () => renderOpml(doc));
  }
}

function executionWaitUntil(c: Context): ((promise: Promise<unknown>) => void) | undefined {
  try {
    const ctx = c.executionCtx;
    return (promise) => ctx.waitUntil(promise);
  } catch {
    return undefined; // no ExecutionContext: Node, or app.request() in tests
  }
}
