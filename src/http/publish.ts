// The publish API: authenticated routes that store articles, images and registries through a Publisher, within upload
// limits, and tell the worker's hook what each change touched. Without a publisher and a token there are no routes.
import type { Context, Hono } from "hono";
import { formatIssue } from "../core/errors.ts";
import {
  type DeleteResult,
  MANIFEST_PAGE,
  PUBLISH_LIMITS,
  type PublishChange,
  PublishConflictError,
  type Publisher,
  PublishRejectedError,
  type PutResult,
  type RegistryName,
} from "../core/publishing.ts";
import type { AppContext } from "./context.ts";
import { HttpError } from "./errors.ts";
import { readBodyCapped } from "./request-body.ts";
import { readBearer, sameSecret } from "./secrets.ts";
import { forgetKept } from "./versioned.ts";

export interface PublishRoutesOptions {
  publisher: Publisher;
  /** PUBLISH_TOKEN: what `Authorization: Bearer` must carry. */
  token: string;
  /**
   * Called after every change that altered what is served, before the answer is sent (so a hook that forgets cached
   * feeds is done when the client hears back). Work that need not hold up the answer (telling a WebSub hub) goes to
   * `waitUntil`: the request's own at the edge, awaited before answering where there is none (tests). A failing hook
   * is logged and neither undoes nor fails the publish.
   */
  onChange?: (change: PublishChange, waitUntil: (work: Promise<unknown>) => void) => void | Promise<void>;
  /** Where each publish, refusal and hook failure goes; by default the app's event log. */
  logEvent?: (event: PublishEvent) => void;
}

/**
 * The events the publish API logs, shaped as the service's log events (the `publish`, `rejection` and `error` events
 * of src/core/events.ts on main), so they can go to the one event log unchanged.
 */
export type PublishEvent =
  | { event: "publish"; file: string; result: "created" | "updated" | "unchanged" | "deleted"; slug?: string }
  | { event: "rejection"; file?: string; reason: string; issues?: readonly string[] }
  | { event: "error"; message: string; path?: string };

const NO_STORE = { "Cache-Control": "no-store" };

/** Registers /api/* when publishing is configured; otherwise registers nothing, and every /api/* path is a 404. */
export function registerPublishRoutes(app: Hono, ctx: AppContext, options: PublishRoutesOptions | undefined): void {
  if (!options) return;
  const { publisher, token, onChange, logEvent: event = ctx.emit } = options;

  app.use("/api/*", async (c, next) => {
    const presented = readBearer(c);
    if (presented === undefined) {
      event({ event: "rejection", reason: `${c.req.method} ${c.req.path} without a publish token` });
      throw new HttpError(401, "Send the publish token as `Authorization: Bearer …`.", { "WWW-Authenticate": 'Bearer realm="publish"' });
    }
    if (!sameSecret(presented, token)) {
      event({ event: "rejection", reason: `${c.req.method} ${c.req.path} with a wrong publish token` });
      throw new HttpError(403, "That is not the publish token.");
    }
    await next();
  });

  /** Runs one operation: rejections are logged as such, and a change reaches the hook. */
  const run = async <T extends { change?: PublishChange }>(c: Context, path: string, operation: () => Promise<T>): Promise<T> => {
    let outcome: T;
    try {
      outcome = await operation();
    } catch (error) {
      if (error instanceof PublishRejectedError) {
        event({ event: "rejection", file: error.file, reason: error.message, issues: error.issues.map(formatIssue) });
      } else if (error instanceof PublishConflictError) event({ event: "rejection", file: error.file, reason: error.message });
      throw error;
    }
    // The kept responses of the touched feeds go at once here; elsewhere they expire within EDGE_CACHE_SECONDS.
    if (outcome.change) await forgetKept(ctx.cache, outcome.change.scopes);
    if (outcome.change && onChange) {
      const failed = (error: unknown) =>
        event({ event: "error", message: `the publish API's change hook failed after ${path}: ${String(error)}`, path });
      const pending: Promise<unknown>[] = [];
      const later = executionWaitUntil(c) ?? ((work: Promise<unknown>) => void pending.push(work));
      try {
        await onChange(outcome.change, (work) => later(work.catch(failed)));
      } catch (error) {
        failed(error);
      }
      await Promise.all(pending);
    }
    return outcome;
  };
  const logged = (file: string, result: PutResult | DeleteResult, slug?: string): void =>
    event({ event: "publish", file, result: result === "absent" ? "unchanged" : result, ...(slug ? { slug } : {}) });

  app.get("/api/manifest", async (c) => {
    const after = c.req.query("after") ?? "";
    const limitText = c.req.query("limit");
    const limit = limitText === undefined ? MANIFEST_PAGE.default : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MANIFEST_PAGE.max) {
      throw new HttpError(400, `limit must be a whole number from 1 to ${MANIFEST_PAGE.max}`);
    }
    if (after.length > 1024) throw new HttpError(400, "after must be a path of at most 1024 characters");
    return c.json(await publisher.manifest(after, limit), 200, NO_STORE);
  });

  app.put("/api/images/*", async (c) => {
    const path = `images/${pathAfter(c, "/api/images/")}`;
    const bytes = await readUpload(c, path, PUBLISH_LIMITS.imageBytes, event);
    const outcome = await run(c, path, () => publisher.putImage(path, bytes, ctx.now()));
    logged(path, outcome.result);
    const { change: _change, facts, ...rest } = outcome;
    return c.json({ ...rest, ...facts }, outcome.result === "created" ? 201 : 200, NO_STORE);
  });

  app.delete("/api/images/*", async (c) => {
    const path = `images/${pathAfter(c, "/api/images/")}`;
    const outcome = await run(c, path, () => publisher.deleteImage(path, ctx.now()));
    logged(path, outcome.result);
    return c.json({ path, result: outcome.result }, 200, NO_STORE);
  });

  app.put("/api/articles/*", async (c) => {
    const file = pathAfter(c, "/api/articles/");
    const replaces = c.req.query("replaces") || undefined;
    const bytes = await readUpload(c, file, PUBLISH_LIMITS.articleBytes, event);
    const outcome = await run(c, file, () => publisher.putArticle(file, bytes, { replaces, now: ctx.now() }));
    logged(file, outcome.result, outcome.slug);
    const { change: _change, ...body } = outcome;
    return c.json(body, outcome.result === "created" ? 201 : 200, NO_STORE);
  });

  app.delete("/api/articles/*", async (c) => {
    const file = pathAfter(c, "/api/articles/");
    const outcome = await run(c, file, () => publisher.deleteArticle(file, ctx.now()));
    logged(file, outcome.result);
    return c.json({ path: file, result: outcome.result }, 200, NO_STORE);
  });

  app.put("/api/registries/:name{authors\\.yaml|partners\\.yaml}", async (c) => {
    const name = c.req.param("name") as RegistryName;
    const bytes = await readUpload(c, name, PUBLISH_LIMITS.registryBytes, event);
    const outcome = await run(c, name, () => publisher.putRegistry(name, bytes, ctx.now()));
    logged(name, outcome.result);
    const { change: _change, ...body } = outcome;
    return c.json(body, outcome.result === "created" ? 201 : 200, NO_STORE);
  });
}

/** The request's `waitUntil`, or undefined where there is no ExecutionContext (`app.request()` in tests). */
function executionWaitUntil(c: Context): ((work: Promise<unknown>) => void) | undefined {
  try {
    const ctx = c.executionCtx;
    return (work) => ctx.waitUntil(work);
  } catch {
    return undefined;
  }
}

/** The content path after `prefix` in the request's path, each segment percent-decoded (an encoded `/` is refused). */
function pathAfter(c: Context, prefix: string): string {
  const raw = new URL(c.req.url).pathname.slice(prefix.length);
  try {
    const segments = raw.split("/").map((segment) => decodeURIComponent(segment));
    if (segments.some((segment) => segment.includes("/"))) throw new URIError("encoded slash");
    return segments.join("/");
  } catch {
    throw new HttpError(400, `${raw} is not a percent-encoded path (encode each segment, not the slashes between them)`);
  }
}

/** The body of an upload, refused with 413 once it passes `limit` bytes (or declares more): the rest is never read. */
async function readUpload(c: Context, path: string, limit: number, event: (e: PublishEvent) => void): Promise<Uint8Array> {
  const bytes = await readBodyCapped(c.req.raw, limit);
  if (bytes === undefined) {
    const reason = `${path} is larger than ${limit / (1024 * 1024)} MiB (${limit.toLocaleString("en")} bytes), the most the publish API takes for this kind of file`;
    event({ event: "rejection", file: path, reason });
    throw new HttpError(413, reason);
  }
  return bytes;
}
