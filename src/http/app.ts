// The Hono application factory: wires the route modules to one context and translates core errors to HTTP.
import { type Context, Hono } from "hono";
import { type ArticleEntry, type Catalog, loadCatalog, nextRelease } from "../core/catalog.ts";
import { formatIssue, NotFoundError } from "../core/errors.ts";
import type { SiteSettings } from "../core/settings.ts";
import { type FeedFormat, FORMATS } from "../formats/index.ts";
import type { ContentSource } from "../sources/source.ts";
import { registerArticlePages } from "./article-pages.ts";
import { type BodyCache, noCache } from "./body-cache.ts";
import { registerBrowserFeedView } from "./browser-feeds.ts";
import type { AppContext } from "./context.ts";
import { registerEmbedRoutes } from "./embed.ts";
import { registerFeedRoutes } from "./feeds.ts";
import { registerImageRoutes } from "./images.ts";
import { registerIndexPage } from "./pages.ts";
import { registerPreviewRoutes } from "./preview.ts";
import { capLifetimesAtRelease } from "./release-hint.ts";
import { problem } from "./responses.ts";

export interface AppOptions {
  source: ContentSource;
  site: SiteSettings;
  /** The clock; read once per request so embargoed articles appear on time without a redeploy. */
  now?: () => Date;
  /** Where problems with content are reported (once per loaded catalog). */
  log?: (message: string) => void;
  /** Where rendered feed bodies are kept by content version: the Workers Cache API at the edge; none by default. */
  cache?: BodyCache;
  /** The feed formats to serve; tests pass instrumented copies of FORMATS. */
  formats?: readonly FeedFormat[];
  /** How the catalog is read from the source: every file (the default), or a prebuilt index (`loadIndexedCatalog`). */
  loadCatalog?: (source: ContentSource, site: SiteSettings) => Promise<Catalog<ArticleEntry>>;
}

export function createApp({
  source,
  site,
  now = () => new Date(),
  log = (m) => console.error(m),
  cache = noCache,
  formats = FORMATS,
  loadCatalog: load = loadCatalog,
}: AppOptions) {
  let pending: Promise<Catalog<ArticleEntry>> | undefined;
  const catalog = (): Promise<Catalog<ArticleEntry>> => {
    pending ??= load(source, site).then(
      (loaded) => {
        // One bad file never takes a feed down: it is left out and reported here, once.
        for (const issue of loaded.issues) log(`edge-feeds: skipped content: ${formatIssue(issue)}`);
        return loaded;
      },
      (error: unknown) => {
        pending = undefined; // a failed load (the source itself failing) is retried on the next request
        throw error;
      },
    );
    return pending;
  };
  const ctx: AppContext = { site, source, now, catalog, log, formats, cache };

  const app = new Hono();
  // Every response, errors included: browsers must not second-guess the declared types (feeds are often sniffed as HTML).
  app.use("*", async (c, next) => {
    await next();
    c.res.headers.set("X-Content-Type-Options", "nosniff");
  });
  registerBrowserFeedView(app, ctx); // before the feed routes: it wraps them
  registerIndexPage(app, ctx);
  registerFeedRoutes(app, ctx);
  registerImageRoutes(app, ctx);
  registerEmbedRoutes(app, ctx);
  registerArticlePages(app, ctx);
  registerPreviewRoutes(app, ctx);

  // A 404 may stop being one when an embargoed article comes out (its page, its image, a new section's feed), so no
  // cache may keep it past the next publication time.
  const notFound = async (c: Context): Promise<Response> => {
    const now = ctx.now();
    const next = await ctx.catalog().then(
      (loaded) => nextRelease(loaded, now),
      () => undefined,
    );
    const { maxAge } = capLifetimesAtRelease({ maxAge: NOT_FOUND_MAX_AGE, sMaxAge: NOT_FOUND_MAX_AGE, staleWhileRevalidate: 0 }, next, now);
    const detail = `There is nothing at ${c.req.path}. The feeds are listed at ${site.url}/ and in ${site.url}/feeds.opml.`;
    return problem(c, site, 404, detail, { "Cache-Control": `public, max-age=${maxAge}` });
  };
  app.notFound(notFound);
  app.onError((error, c) => {
    if (error instanceof NotFoundError) return notFound(c);
    log(`edge-feeds: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return problem(c, site, 500, "Something went wrong on our side; it has been logged.");
  });
  return app;
}

export type App = ReturnType<typeof createApp>;

/** Seconds a 404 may be cached when no embargoed article is due sooner. */
const NOT_FOUND_MAX_AGE = 60;
