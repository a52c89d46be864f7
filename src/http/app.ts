// The Hono application factory: wires the route modules to one context and translates errors to HTTP in one place.
import { type Context, Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { Catalog } from "../core/catalog.ts";
import { ServiceError, StorageError } from "../core/errors.ts";
import { consoleSink, createEventLog, type EventSink } from "../core/events.ts";
import { HeadlinesRequestError } from "../core/partners.ts";
import type { PathTarget } from "../core/redirects.ts";
import type { SiteSettings } from "../core/settings.ts";
import { type FeedFormat, FORMATS } from "../formats/index.ts";
import { registerArticlePages } from "./article-pages.ts";
import { type BodyCache, noCache } from "./body-cache.ts";
import { NOT_FOUND_TAG, tagCacheable } from "./cache-tags.ts";
import type { AppContext } from "./context.ts";
import { registerEmbedRoutes } from "./embed.ts";
import { NotFoundError, RequestError, STATUS_OF_CODE } from "./errors.ts";
import { registerFacetPages } from "./facet-pages.ts";
import { registerFeedRoutes } from "./feeds.ts";
import { type HealthProbe, registerHealth } from "./health.ts";
import { registerImageRoutes } from "./images.ts";
import { registerIndexPage } from "./pages.ts";
import { registerPreviewRoutes } from "./preview.ts";
import { describeRefusal, type PublishRoutesOptions, registerPublishRoutes } from "./publish.ts";
import { answerOldUrl, lookUpUnrouted } from "./redirects.ts";
import { capLifetimesAtRelease } from "./release-hint.ts";
import { problem, securityHeaderOptions } from "./responses.ts";
import { registerSitemaps } from "./sitemaps.ts";

export interface AppOptions {
  /** What the app reads: an in-memory catalog over files (`catalogFromSource`), or a database at the edge. */
  catalog: Catalog;
  site: SiteSettings;
  /** The clock; read once per request so embargoed articles appear on time without a redeploy. */
  now?: () => Date;
  /** Where problems are reported: one JSON line per event (src/core/events.ts). */
  log?: EventSink;
  /** Where rendered bodies are kept by content version: the isolate's memory at the edge (body-cache.ts); none by default. */
  cache?: BodyCache;
  /** The feed formats to serve; tests pass instrumented copies of FORMATS. */
  formats?: readonly FeedFormat[];
  /** The publish API (/api/*): its store, token and change hook. Without it, /api/* is a 404. */
  publish?: PublishRoutesOptions;
  /** The stores' probes behind /healthz; without them, /healthz is a 404. */
  health?: HealthProbe;
}

export function createApp({
  catalog,
  site,
  now = () => new Date(),
  log = consoleSink,
  cache = noCache,
  formats = FORMATS,
  publish,
  health,
}: AppOptions) {
  const ctx: AppContext = { site, catalog, now, emit: createEventLog(log), formats, cache };

  const app = new Hono();
  app.use("*", secureHeaders(securityHeaderOptions(site)));
  // Every answer a shared cache may keep also carries the site's tag, so one purge can drop them all (cache-tags.ts).
  app.use("*", async (c, next) => {
    await next();
    tagCacheable(c.res.headers);
  });
  registerIndexPage(app, ctx);
  registerFeedRoutes(app, ctx);
  registerImageRoutes(app, ctx);
  registerEmbedRoutes(app, ctx);
  registerArticlePages(app, ctx);
  registerFacetPages(app, ctx);
  registerSitemaps(app, ctx);
  registerPreviewRoutes(app, ctx);
  registerPublishRoutes(app, ctx, publish);
  registerHealth(app, ctx, health);

  // A 404 may stop being one when an embargoed article comes out (its page, its image, a new section's feed), so no
  // cache may keep it past the next publication time.
  const notFound = async (c: Context): Promise<Response> => {
    const at = ctx.now();
    let next: Date | undefined;
    let target: PathTarget | undefined;
    try {
      // An old URL of an article (301), or a removed article's (410), is looked up with the next release (redirects.ts).
      ({ target, next } = await lookUpUnrouted(c, ctx, at));
    } catch (error) {
      // The 404 stands, but without the next release its lifetime cannot be cut: answer as the store's fault instead.
      if (error instanceof StorageError) return storageFault(c, error);
    }
    if (target) return answerOldUrl(c, ctx, target, at, next);
    const { maxAge } = capLifetimesAtRelease({ maxAge: NOT_FOUND_MAX_AGE, sMaxAge: NOT_FOUND_MAX_AGE, staleWhileRevalidate: 0 }, next, at);
    const detail = `There is nothing at ${c.req.path}. The feeds are listed at ${site.url}/ and in ${site.url}/feeds.opml.`;
    return problem(c, site, 404, detail, { "Cache-Control": `public, max-age=${maxAge}`, "Cache-Tag": NOT_FOUND_TAG });
  };
  // A store that cannot answer now: 503 with Retry-After, never a partial document (nothing is sent before the whole
  // body is built, so a failure anywhere while planning or rendering ends here).
  const storageFault = (c: Context, error: StorageError): Response => {
    ctx.emit({ event: "storage-fault", store: error.store, operation: error.operation, message: error.message, path: c.req.path });
    return problem(c, site, 503, "The content store is not answering just now; try again shortly.", {
      "Retry-After": String(STORAGE_RETRY_AFTER),
    });
  };
  app.notFound(notFound);
  // Every error is answered here and only here: a ServiceError by its code's status (STATUS_OF_CODE, errors.ts) with
  // what its kind adds; anything else is a bug, logged and answered 500.
  app.onError((error, c) => {
    if (!(error instanceof ServiceError)) {
      ctx.emit({
        event: "error",
        message: error instanceof Error ? error.message : String(error),
        ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
        path: c.req.path,
      });
      return problem(c, site, 500, "Something went wrong on our side; it has been logged.");
    }
    if (error instanceof NotFoundError) return notFound(c);
    if (error instanceof StorageError) return storageFault(c, error);
    const status = STATUS_OF_CODE[error.code];
    if (status === 500) {
      ctx.emit({ event: "error", message: error.message, path: c.req.path });
      return problem(c, site, 500, "The service is not configured correctly; it has been logged.");
    }
    // A refused publish is worded and shaped in one place for single requests and the files of a batch (publish.ts).
    const refused = describeRefusal(error);
    if (refused) return problem(c, site, status, refused.detail, {}, refused.members);
    // A partner's console shows why the widget stayed empty: readable from any origin.
    const cors: Record<string, string> = error instanceof HeadlinesRequestError ? { "Access-Control-Allow-Origin": "*" } : {};
    const headers = error instanceof RequestError ? error.headers : {};
    return problem(c, site, status, error.message, { ...cors, ...headers });
  });
  return app;
}

export type App = ReturnType<typeof createApp>;

/** Seconds a 404 may be cached when no embargoed article is due sooner. */
const NOT_FOUND_MAX_AGE = 60;

/** Seconds a client is asked to wait after a store fault (RFC 9110 §10.2.3): D1 and R2 faults are mostly brief. */
const STORAGE_RETRY_AFTER = 30;
