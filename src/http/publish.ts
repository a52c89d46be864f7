// The publish API: authenticated routes that store articles, images and registries through a Publisher, within upload
// limits, and tell the worker's hook what each change touched. Without a publisher and a token there are no routes.
import type { Context, Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { formatIssue } from "../core/errors.ts";
import {
  BATCH_CONTROL,
  checkContentPath,
  type DeleteResult,
  MANIFEST_PAGE,
  PARTS_MOVE,
  type Precondition,
  PreconditionFailedError,
  PUBLISH_LIMITS,
  type PublishChange,
  PublishConflictError,
  type Publisher,
  PublishRejectedError,
  type PutResult,
  REGISTRY_NAMES,
  type RegistryName,
} from "../core/publishing.ts";
import { type CachePurgeApi, SITE_TAG } from "./cache-tags.ts";
import { parseEntityTags } from "./conditional.ts";
import type { AppContext } from "./context.ts";
import { type HttpStatus, RequestError, statusOf } from "./errors.ts";
import { capDetail } from "./responses.ts";
import { executionCache, executionWaitUntil } from "./versioned.ts";

export interface PublishRoutesOptions {
  publisher: Publisher;
  /** PUBLISH_TOKEN: what `Authorization: Bearer` must carry. */
  token: string;
  /**
   * Called after every change that altered what is served, before the answer is sent (so a hook that forgets cached
   * feeds is done when the client hears back). Work that need not hold up the answer (telling a WebSub hub) goes to
   * `waitUntil`: the request's own at the edge, awaited before answering where there is none (tests). A failing hook
   * is logged and neither undoes nor fails the publish. `cache` is the request's Workers Caching handle (`ctx.cache`),
   * where the runtime gives one: what the change touched is purged through it (src/runtime/edge-cache.ts).
   */
  onChange?: (change: PublishChange, waitUntil: (work: Promise<unknown>) => void, cache: CachePurgeApi | undefined) => void | Promise<void>;
  /** Where each publish, refusal and hook failure goes; by default the app's event log. */
  logEvent?: (event: PublishEvent) => void;
  /**
   * Purges tags from Workers Caching through the request's `ctx.cache` (POST /api/cache/purge, for operations: after a
   * rollback, say); true when the platform took them. Without it the route does not exist.
   */
  purge?: (cache: CachePurgeApi | undefined, tags: readonly string[]) => Promise<boolean>;
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

/** The publish API's authentication realm, and the challenge a request without the token gets (RFC 6750 §3). */
const PUBLISH_REALM = "publish";
const PUBLISH_CHALLENGE = `Bearer realm="${PUBLISH_REALM}"`;

/** Registers /api/* when publishing is configured; otherwise registers nothing, and every /api/* path is a 404. */
export function registerPublishRoutes(app: Hono, ctx: AppContext, options: PublishRoutesOptions | undefined): void {
  if (!options) return;
  const { publisher, token, onChange, logEvent: event = ctx.emit } = options;

  // hono/bearer-auth reads `Authorization: Bearer` and compares the token in constant time (both sides hashed with
  // SHA-256, then compared without an early exit). Its three refusals are ours: each logged, then thrown as a
  // RequestError so the app answers it as every other error (app.ts).
  const refuse = (c: Context, how: string): void => event({ event: "rejection", reason: `${c.req.method} ${c.req.path} ${how}` });
  const challenge = (c: Context): never => {
    refuse(c, "without a publish token");
    throw new RequestError("unauthorized", "Send the publish token as `Authorization: Bearer …`.", {
      "WWW-Authenticate": PUBLISH_CHALLENGE,
    });
  };
  app.use(
    "/api/*",
    bearerAuth({
      token,
      realm: PUBLISH_REALM,
      noAuthenticationHeader: { message: challenge },
      // Another scheme (Basic, …) presents no bearer token at all: a challenge, as without the header (RFC 6750 §3). A
      // Bearer token with characters outside token68 is a malformed request (RFC 6750 §3.1: 400, invalid_request).
      invalidAuthenticationHeader: {
        message: (c: Context): never => {
          if (!/^bearer /i.test(c.req.header("Authorization") ?? "")) return challenge(c);
          refuse(c, "with a malformed publish token");
          throw new RequestError(
            "bad-request",
            "The publish token is not a bearer token (RFC 6750: letters, digits and -._~+/ then any =).",
            {
              "WWW-Authenticate": `${PUBLISH_CHALLENGE}, error="invalid_request"`,
            },
          );
        },
      },
      invalidToken: {
        message: (c: Context): never => {
          refuse(c, "with a wrong publish token");
          throw new RequestError("forbidden", "That is not the publish token.");
        },
      },
    }),
  );

  /** Logs a refusal as a rejection. */
  const logRefusal = (error: unknown): void => {
    if (error instanceof PublishRejectedError) {
      event({ event: "rejection", file: error.file, reason: error.message, issues: error.issues.map(formatIssue) });
    } else if (error instanceof PublishConflictError || error instanceof PreconditionFailedError) {
      event({ event: "rejection", file: error.file, reason: error.message });
    }
  };

  /** Runs one operation; a refusal is logged as a rejection and thrown on. */
  const operate = async <T>(operation: () => Promise<T>): Promise<T> => {
    try {
      return await operation();
    } catch (error) {
      logRefusal(error);
      throw error;
    }
  };

  /** After the operations of one request: what changed reaches the hook once (which purges it from Workers Caching). */
  const settle = async (c: Context, path: string, found: readonly (PublishChange | undefined)[]): Promise<void> => {
    const change = mergeChanges(found);
    if (!change || !onChange) return;
    const failed = (error: unknown) =>
      event({ event: "error", message: `the publish API's change hook failed after ${path}: ${String(error)}`, path });
    const pending: Promise<unknown>[] = [];
    const later = executionWaitUntil(c) ?? ((work: Promise<unknown>) => void pending.push(work));
    try {
      await onChange(change, (work) => later(work.catch(failed)), executionCache(c));
    } catch (error) {
      failed(error);
    }
    await Promise.all(pending);
  };

  /** Runs one operation and settles its change: what each single-file route does. */
  const run = async <T extends { change?: PublishChange }>(c: Context, path: string, operation: () => Promise<T>): Promise<T> => {
    const outcome = await operate(operation);
    await settle(c, path, [outcome.change]);
    return outcome;
  };

  /**
   * Stores one file of the given kind as its PUT route does, and says what that route answers: its status, its JSON
   * body, the change, and the publish event to log. The single routes and the batch route both store through here.
   */
  const store = async (
    kind: UploadKind,
    path: string,
    bytes: Uint8Array,
    now: Date,
    base?: Precondition,
    replaces?: string,
  ): Promise<Stored> => {
    if (kind === "image") {
      const outcome = await operate(() => publisher.putImage(path, bytes, now, base));
      const { change, facts, ...rest } = outcome;
      return { status: putStatus(outcome.result), body: { ...rest, ...facts }, change, published: published(path, outcome.result) };
    }
    if (kind === "registry") {
      const outcome = await operate(() => publisher.putRegistry(path as RegistryName, bytes, now, base));
      const { change, ...body } = outcome;
      return { status: putStatus(outcome.result), body, change, published: published(path, outcome.result) };
    }
    const outcome = await operate(() =>
      publisher.putArticle(path, bytes, { now, ...(replaces ? { replaces } : {}), ...(base ? { base } : {}) }),
    );
    const { change, ...body } = outcome;
    return { status: putStatus(outcome.result), body, change, published: published(path, outcome.result, outcome.slug) };
  };

  /**
   * A single PUT: its precondition read (If-Match, If-None-Match: on the file it stores), the body read within its kind's
   * limit, the file stored, its change settled, its event logged.
   */
  const putOne = async (c: Context, kind: UploadKind, path: string, replaces?: string): Promise<Response> => {
    const base = preconditionOf(c);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const stored = await store(kind, path, bytes, ctx.now(), base, replaces);
    await settle(c, path, [stored.change]);
    event(stored.published);
    return c.json(stored.body, stored.status, NO_STORE);
  };

  app.get("/api/manifest", async (c) => {
    const after = c.req.query("after") ?? "";
    const limitText = c.req.query("limit");
    const limit = limitText === undefined ? MANIFEST_PAGE.default : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MANIFEST_PAGE.max) {
      throw new RequestError("bad-request", `limit must be a whole number from 1 to ${MANIFEST_PAGE.max}`);
    }
    if (after.length > 1024) throw new RequestError("bad-request", "after must be a path of at most 1024 characters");
    return c.json(await publisher.manifest(after, limit), 200, NO_STORE);
  });

  /**
   * hono/body-limit at one limit: a declared Content-Length over it is refused before anything is read, a streamed
   * body at the first chunk past it, and the rest is never read. The refusal is logged and answered 413 (app.ts).
   */
  const limitedTo = (limit: number, what: (c: Context) => string, per?: string) =>
    bodyLimit({
      maxSize: limit,
      onError: (c) => {
        throw new RequestError("too-large", oversize(what(c), limit, event, per));
      },
    });
  const imagePath = (c: Context) => `images/${pathAfter(c, "/api/images/")}`;
  const articlePath = (c: Context) => pathAfter(c, "/api/articles/");

  app.put("/api/images/*", limitedTo(UPLOAD_LIMITS.image, imagePath), async (c) => {
    const path = imagePath(c);
    return putOne(c, "image", path);
  });

  app.delete("/api/images/*", async (c) => {
    const path = `images/${pathAfter(c, "/api/images/")}`;
    const base = preconditionOf(c);
    const outcome = await run(c, path, () => publisher.deleteImage(path, ctx.now(), base));
    event(published(path, outcome.result));
    return c.json({ path, result: outcome.result }, 200, NO_STORE);
  });

  app.put("/api/articles/*", limitedTo(UPLOAD_LIMITS.article, articlePath), async (c) => {
    const file = articlePath(c);
    const replaces = c.req.query("replaces") || undefined;
    return putOne(c, "article", file, replaces);
  });

  app.delete("/api/articles/*", async (c) => {
    const file = pathAfter(c, "/api/articles/");
    const base = preconditionOf(c);
    const outcome = await run(c, file, () => publisher.deleteArticle(file, ctx.now(), base));
    event(published(file, outcome.result));
    return c.json({ path: file, result: outcome.result }, 200, NO_STORE);
  });

  app.put(
    "/api/registries/:name{authors\\.yaml|partners\\.yaml}",
    limitedTo(UPLOAD_LIMITS.registry, (c) => c.req.param("name") ?? "registry"),
    async (c) => putOne(c, "registry", c.req.param("name") as RegistryName),
  );

  // Drops answers from Workers Caching by tag (`?tag=` repeated; every answer without one): for operations, after a
  // rollback or a change the publish API did not make (docs/rollback.md). Zone purges never reach Workers Caching.
  if (options.purge) {
    const purgeTags = options.purge;
    app.post("/api/cache/purge", async (c) => {
      const tags = c.req.queries("tag") ?? [SITE_TAG];
      if (tags.length > 30 || tags.some((tag) => !/^[\x21-\x7e]{1,1024}$/.test(tag))) {
        throw new RequestError("bad-request", "tag must be 1 to 1024 printable ASCII characters, given at most 30 times");
      }
      const cache = executionCache(c);
      if (!cache) return c.json({ purged: false, tags, reason: "no Workers Caching in front of this worker" }, 200, NO_STORE);
      const purged = await purgeTags(cache, tags);
      return c.json(
        { purged, tags, ...(purged ? {} : { reason: "refused: queued for the next scheduled run" }) },
        purged ? 200 : 202,
        NO_STORE,
      );
    });
  }

  // Moves articles' parts out of one shard into the write shard, a bounded step per request (docs/capacity.md):
  // nothing a reader sees changes, so no feed is forgotten and no hub told.
  app.post("/api/parts/move", async (c) => {
    if (!publisher.moveParts) throw new RequestError("not-found", "This store keeps no parts databases.");
    const from = wholeNumber(c.req.query("from"), "from", 0, 9999);
    const limit = c.req.query("limit") === undefined ? PARTS_MOVE.default : wholeNumber(c.req.query("limit"), "limit", 1, PARTS_MOVE.max);
    return c.json(await publisher.moveParts(from, limit), 200, NO_STORE);
  });

  // Many files in one request (an import, a large first publish): each part of a multipart/form-data body is one file,
  // named by its content path, stored exactly as its PUT route stores it, with the same limits and answers: the
  // images first, then the registries, then the articles, many to a D1 transaction (so an article may use an image
  // sent after it in the same batch), then the deletions (articles, then images). A text part named `.batch` (never a
  // content path) says what the headers and queries of the single routes say: each file's precondition, the file an
  // article replaces, the files to delete (BATCH_CONTROL). A refused file changes nothing and the others go on; the
  // hook is told once for the whole request; the answers come in the order the files were sent, then the deletions in
  // the order listed.
  const multipartOnly = createMiddleware(async (c, next) => {
    if (!/^multipart\/form-data\s*;/i.test(c.req.header("Content-Type") ?? "")) {
      throw new RequestError(
        "unsupported-media-type",
        "Send the files as multipart/form-data, one part per file named by its content path.",
      );
    }
    await next();
  });
  app.post(
    "/api/batch",
    multipartOnly,
    limitedTo(PUBLISH_LIMITS.batchBytes, () => "the batch", "one request"),
    async (c) => {
      let form: FormData;
      try {
        form = await c.req.raw.formData();
      } catch {
        throw new RequestError("bad-request", "The body is not readable as multipart/form-data.");
      }
      const control = readBatchControl(form.get(BATCH_CONTROL));
      const parts = [...form.entries()].filter(([name]) => name !== BATCH_CONTROL);
      if (parts.length + control.deletes.length > PUBLISH_LIMITS.batchFiles) {
        throw new RequestError(
          "too-large",
          `A batch holds at most ${PUBLISH_LIMITS.batchFiles} files; this one has ${parts.length + control.deletes.length}.`,
        );
      }
      control.check(parts.map(([path]) => path));
      const now = ctx.now();
      const files = await Promise.all(
        parts.map(async ([path, value]) => ({
          path,
          kind: uploadKind(path),
          bytes: typeof value === "string" ? utf8.encode(value) : new Uint8Array(await value.arrayBuffer()),
          base: control.base(path),
        })),
      );
      const results: Record<string, unknown>[] = new Array(files.length + control.deletes.length);
      const changes: (PublishChange | undefined)[] = [];
      const pathOf = (index: number) => (index < files.length ? files[index]!.path : control.deletes[index - files.length]!);
      const answer = (index: number, stored: Stored) => {
        event(stored.published);
        changes.push(stored.change);
        results[index] = { path: pathOf(index), status: stored.status, ...stored.body };
      };
      const refuse = (index: number, error: unknown) => {
        const refused = describeRefusal(error);
        if (!refused) throw error;
        results[index] = { path: pathOf(index), status: refused.status, detail: capDetail(refused.detail), ...refused.members };
      };
      const fits = (index: number): boolean => {
        const { path, kind, bytes: file } = files[index]!;
        if (file.byteLength <= UPLOAD_LIMITS[kind]) return true;
        refuse(index, new RequestError("too-large", oversize(path, UPLOAD_LIMITS[kind], event)));
        return false;
      };
      try {
        const images = [...files.keys()].filter((index) => files[index]!.kind === "image" && fits(index));
        const stored = images.length
          ? await publisher.putImages(
              images.map((index) => ({ path: files[index]!.path, bytes: files[index]!.bytes, ...withBase(files[index]!.base) })),
              now,
            )
          : [];
        for (const [n, result] of stored.entries()) {
          const index = images[n]!;
          if ("error" in result) {
            logRefusal(result.error);
            refuse(index, result.error);
            continue;
          }
          const { change, facts, ...rest } = result.outcome;
          answer(index, {
            status: putStatus(rest.result),
            body: { ...rest, ...facts },
            change,
            published: published(result.path, rest.result),
          });
        }
        for (const [index, file] of files.entries()) {
          if (file.kind !== "registry" || !fits(index)) continue;
          try {
            answer(index, await store("registry", file.path, file.bytes, now, file.base));
          } catch (error) {
            refuse(index, error);
          }
        }
        const articles = [...files.keys()].filter((index) => files[index]!.kind === "article" && fits(index));
        const outcomes = await publisher.putArticles(
          articles.map((index) => {
            const { path, bytes: text, base } = files[index]!;
            const replaces = control.replaces.get(path);
            const replacesBase = replaces === undefined ? undefined : control.base(replaces);
            return {
              file: path,
              bytes: text,
              ...withBase(base),
              ...(replaces !== undefined ? { replaces } : {}),
              ...(replacesBase ? { replacesBase } : {}),
            };
          }),
          now,
        );
        for (const [n, result] of outcomes.entries()) {
          const index = articles[n]!;
          if ("error" in result) {
            logRefusal(result.error);
            refuse(index, result.error);
            continue;
          }
          const { change, ...body } = result.outcome;
          answer(index, { status: putStatus(body.result), body, change, published: published(result.file, body.result, body.slug) });
        }
        // Deletions after every file is stored (an image goes once the articles that used it are gone or changed).
        const deletions = control.deletes.map((path, n) => ({ path, index: files.length + n, base: control.base(path) }));
        const articleDeletions = deletions.filter((d) => !d.path.startsWith("images/"));
        const deleted = articleDeletions.length
          ? await publisher.deleteArticles(
              articleDeletions.map((d) => ({ file: d.path, ...withBase(d.base) })),
              now,
            )
          : [];
        for (const [n, result] of deleted.entries()) {
          const { index, path } = articleDeletions[n]!;
          if ("error" in result) {
            logRefusal(result.error);
            refuse(index, result.error);
          } else
            answer(index, {
              status: 200,
              body: { result: result.outcome.result },
              change: result.outcome.change,
              published: published(path, result.outcome.result),
            });
        }
        for (const { path, index, base } of deletions.filter((d) => d.path.startsWith("images/"))) {
          try {
            const outcome = await operate(() => publisher.deleteImage(path, now, base));
            answer(index, {
              status: 200,
              body: { result: outcome.result },
              change: outcome.change,
              published: published(path, outcome.result),
            });
          } catch (error) {
            refuse(index, error);
          }
        }
      } finally {
        await settle(c, "/api/batch", changes);
      }
      return c.json({ results }, 200, NO_STORE);
    },
  );
}

export { BATCH_CONTROL } from "../core/publishing.ts";

/** Most bytes of the control part: a precondition, a rename and a deletion for every file a batch may hold. */
const BATCH_CONTROL_BYTES = 1024 * 1024;

interface BatchControl {
  replaces: ReadonlyMap<string, string>;
  deletes: readonly string[];
  /** The precondition of a path the batch changes. */
  base(path: string): Precondition | undefined;
  /** Refuses (400) a control naming a path the batch does not change, or deleting a path it also sends. */
  check(sent: readonly string[]): void;
}

/** A batch's control part, read and checked (400 when malformed: ignoring a precondition could lose an update). */
function readBatchControl(value: File | string | null): BatchControl {
  const bad = (why: string) => new RequestError("bad-request", `The ${BATCH_CONTROL} part ${why}.`);
  let parsed: unknown = {};
  if (value !== null) {
    if (typeof value !== "string") throw bad("must be a text field, not a file");
    if (value.length > BATCH_CONTROL_BYTES) throw bad(`is larger than ${BATCH_CONTROL_BYTES} characters`);
    try {
      parsed = JSON.parse(value);
    } catch {
      throw bad("is not JSON");
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw bad("must be a JSON object");
  const known = ["if-match", "if-none-match", "replaces", "delete"];
  const unknown = Object.keys(parsed).filter((k) => !known.includes(k));
  if (unknown.length) throw bad(`has ${JSON.stringify(unknown[0])}, which is none of ${known.join(", ")}`);
  const {
    "if-match": ifMatch = {},
    "if-none-match": ifNoneMatch = {},
    replaces = {},
    delete: deletes = [],
  } = parsed as Record<string, unknown>;
  const stringMap = (member: string, map: unknown): Map<string, string> => {
    if (typeof map !== "object" || map === null || Array.isArray(map) || Object.values(map).some((v) => typeof v !== "string")) {
      throw bad(`member ${member} must map paths to strings`);
    }
    return new Map(Object.entries(map as Record<string, string>));
  };
  if (!Array.isArray(deletes) || deletes.some((d) => typeof d !== "string")) throw bad("member delete must be a list of paths");
  const matches = stringMap("if-match", ifMatch);
  const noneMatches = stringMap("if-none-match", ifNoneMatch);
  const renames = stringMap("replaces", replaces);
  const bases = new Map<string, Precondition>();
  for (const path of new Set([...matches.keys(), ...noneMatches.keys()])) {
    bases.set(path, readPrecondition(matches.get(path), noneMatches.get(path), `${BATCH_CONTROL} for ${path}`)!);
  }
  const deleted = [...new Set(deletes as string[])];
  for (const path of deleted) {
    const expected = checkContentPath(path.startsWith("images/") ? "image" : "article", path);
    if (expected) throw bad(`deletes ${JSON.stringify(path)}, which is not ${expected}`);
  }
  return {
    replaces: renames,
    deletes: deleted,
    base: (path) => bases.get(path),
    check(sent) {
      const changed = new Set([...sent, ...renames.values(), ...deleted]);
      for (const path of [...bases.keys(), ...renames.keys()]) {
        if (!changed.has(path) || (renames.has(path) && !sent.includes(path)))
          throw bad(`names ${JSON.stringify(path)}, which the batch does not change`);
      }
      const both = deleted.find((path) => sent.includes(path));
      if (both !== undefined) throw bad(`deletes ${JSON.stringify(both)}, which the batch also sends`);
    },
  };
}

/** The precondition option of a publisher call, when there is one. */
const withBase = (base: Precondition | undefined) => (base ? { base } : {});

/** The precondition of a single request: its If-Match and If-None-Match, on the file it changes. */
function preconditionOf(c: Context): Precondition | undefined {
  return readPrecondition(c.req.header("If-Match"), c.req.header("If-None-Match"), "the request");
}

/**
 * If-Match and If-None-Match values as a Precondition (RFC 9110 §13.1.1–2): If-Match is `*` or entity tags compared
 * strongly (a weak tag never matches, §8.8.3.2), the opaque tags being the manifest's hashes; If-None-Match is `*` only
 * (a publish creates a file that must not exist). A malformed value is a 400: a precondition ignored could lose an update.
 */
export function readPrecondition(ifMatch: string | undefined, ifNoneMatch: string | undefined, where: string): Precondition | undefined {
  const base: { match?: "*" | string[]; none?: boolean } = {};
  if (ifMatch !== undefined) {
    const tags = parseEntityTags(ifMatch);
    if (!tags) throw new RequestError("bad-request", `The If-Match of ${where} is not \`*\` or a list of entity tags ("…").`);
    base.match = tags === "*" ? "*" : tags.filter((t) => !t.weak).map((t) => t.opaque.slice(1, -1));
  }
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== "*")
      throw new RequestError("bad-request", `The If-None-Match of ${where} must be \`*\` (the file must not exist).`);
    base.none = true;
  }
  return base.match !== undefined || base.none ? base : undefined;
}

/** What a stored file answers: the status and body of its PUT route, what it changed, and its publish event. */
interface Stored {
  status: 200 | 201;
  body: Record<string, unknown>;
  change?: PublishChange;
  published: PublishEvent;
}

type UploadKind = "image" | "registry" | "article";

const putStatus = (result: PutResult): 200 | 201 => (result === "created" ? 201 : 200);

const published = (file: string, result: PutResult | DeleteResult, slug?: string): PublishEvent => ({
  event: "publish",
  file,
  result: result === "absent" ? "unchanged" : result,
  ...(slug ? { slug } : {}),
});

/** Which PUT route a path in a batch belongs to: images under images/, the two registries by name, articles otherwise. */
function uploadKind(path: string): UploadKind {
  if (path.startsWith("images/")) return "image";
  return (REGISTRY_NAMES as readonly string[]).includes(path) ? "registry" : "article";
}

const UPLOAD_LIMITS = {
  image: PUBLISH_LIMITS.imageBytes,
  registry: PUBLISH_LIMITS.registryBytes,
  article: PUBLISH_LIMITS.articleBytes,
} as const;

const utf8 = new TextEncoder();

/**
 * A refused publish as the client hears it: its status (from the one table, errors.ts), the detail and the members
 * beside them (the check's issues). The app's error handler answers a single request with these; the batch route
 * lists them per file.
 */
export function describeRefusal(error: unknown): { status: HttpStatus; detail: string; members: Record<string, unknown> } | undefined {
  if (error instanceof PublishRejectedError) {
    // The same problems, in the same shape, as `npm run check` reports: the client prints them as check does.
    const detail = `${error.file} was not published; nothing was changed: ${error.issues.map(formatIssue).join("; ")}`;
    return { status: statusOf(error), detail, members: { file: error.file, issues: error.issues, warnings: error.warnings } };
  }
  if (error instanceof PublishConflictError) return { status: statusOf(error), detail: error.message, members: { file: error.file } };
  if (error instanceof PreconditionFailedError) {
    // `stored`: the hash the file holds now (null: nothing), as the manifest would list it.
    return { status: statusOf(error), detail: error.message, members: { file: error.file, stored: error.stored } };
  }
  if (error instanceof RequestError && error.code === "too-large") return { status: statusOf(error), detail: error.message, members: {} };
  return undefined;
}

/** The changes of one request as one: every list, article, image and registry any of them touched. */
function mergeChanges(found: readonly (PublishChange | undefined)[]): PublishChange | undefined {
  const changes = found.filter((c): c is PublishChange => c !== undefined);
  if (changes.length <= 1) return changes[0];
  const union = <T extends string>(pick: (c: PublishChange) => readonly T[]): T[] => [...new Set(changes.flatMap(pick))].sort();
  return {
    scopes: union((c) => c.scopes),
    slugs: union((c) => c.slugs),
    images: union((c) => c.images),
    registries: union((c) => c.registries),
    now: changes[0]!.now,
  };
}

/** The content path after `prefix` in the request's path, each segment percent-decoded (an encoded `/` is refused). */
function pathAfter(c: Context, prefix: string): string {
  const raw = new URL(c.req.url).pathname.slice(prefix.length);
  try {
    const segments = raw.split("/").map((segment) => decodeURIComponent(segment));
    if (segments.some((segment) => segment.includes("/"))) throw new URIError("encoded slash");
    return segments.join("/");
  } catch {
    throw new RequestError("bad-request", `${raw} is not a percent-encoded path (encode each segment, not the slashes between them)`);
  }
}

/** Why an upload is refused for its size (logged as a rejection). */
function oversize(path: string, limit: number, event: (e: PublishEvent) => void, what = "this kind of file"): string {
  const reason = `${path} is larger than ${limit / (1024 * 1024)} MiB (${limit.toLocaleString("en")} bytes), the most the publish API takes for ${what}`;
  event({ event: "rejection", file: path, reason });
  return reason;
}

/** A query parameter that must be a whole number in [min, max]; a 400 naming it otherwise. */
function wholeNumber(text: string | undefined, name: string, min: number, max: number): number {
  const value = text !== undefined && /^[0-9]{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) throw new RequestError("bad-request", `${name} must be a whole number from ${min} to ${max}`);
  return value;
}
