// The two places articles' parts could live, measured with the same app over the same archive (bench/parts.ts):
//   PARTS_FROM = "d1"   the project's app as deployed, uncached: the plan from D1 in one batch, the items in one query
//   PARTS_FROM = "r2"   the same app and plan, each item read from R2 (an object per article version and part, keyed by
//                       the article's fingerprint so the plan's entries name it), as an R2 design would read them
// Every response says how many D1 round trips and R2 reads it took (x-bench-d1, x-bench-r2). POST /__copy?after=SLUG
// copies the parts of the next 50 articles after SLUG into R2 (what a migration to R2 would do) and answers the last.
import type { Catalog, Entry } from "../../src/core/catalog.ts";
import type { Article } from "../../src/core/model.ts";
import { reviveDates } from "../../src/core/publish/publication.ts";
import { articleWithBody, withBody } from "../../src/core/publish/stored-body.ts";
import { parseSettings } from "../../src/core/settings.ts";
import { FORMATS } from "../../src/formats/index.ts";
import { createApp } from "../../src/http/app.ts";
import { createD1Catalog } from "../../src/store/d1/catalog.ts";

interface BenchEnv {
  DB: D1Database;
  IMAGES: R2Bucket;
  PARTS_FROM?: string;
}

const key = (entry: Pick<Entry, "slug" | "fingerprint">, part: string) => `parts/${entry.slug}/${entry.fingerprint}/${part}`;

/** `db` and `bucket` with their round trips counted. */
function counted(env: BenchEnv) {
  const trips = { d1: 0, r2: 0 };
  const statement = (s: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(s, {
      get(target, name) {
        if (name === "bind") return (...values: unknown[]) => statement(target.bind(...values));
        const value = Reflect.get(target, name, target) as unknown;
        if (name === "first" || name === "all" || name === "run" || name === "raw") {
          trips.d1++;
          return (value as (...a: unknown[]) => unknown).bind(target);
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const real = new WeakMap<object, D1PreparedStatement>();
  const db = new Proxy(env.DB, {
    get(target, name) {
      if (name === "prepare") {
        return (sql: string) => {
          const s = target.prepare(sql);
          const wrapped = statement(s);
          real.set(wrapped, s);
          return wrapped;
        };
      }
      if (name === "batch") {
        return (statements: D1PreparedStatement[]) => {
          trips.d1++;
          return target.batch(statements.map((s) => real.get(s) ?? s));
        };
      }
      const value = Reflect.get(target, name, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const bucket = new Proxy(env.IMAGES, {
    get(target, name) {
      const value = Reflect.get(target, name, target) as unknown;
      if (name === "get") trips.r2++;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, bucket, trips };
}

/** The D1 catalog, its items and articles read from R2 instead: one object read per entry, all at once. */
function r2Catalog(catalog: Catalog, bucket: R2Bucket): Catalog {
  const read = (entries: readonly Entry[], part: string) =>
    Promise.all(
      entries.map(async (entry) => {
        const object = await bucket.get(key(entry, part));
        if (!object) throw new Error(`no ${part} in R2 for ${entry.slug}`);
        return object.text();
      }),
    );
  return {
    ...catalog,
    items: (entries, writer) => read(entries, writer.part),
    articles: async (entries) => (await read(entries, "article")).map((text) => reviveDates<Article>(text)),
  };
}

/** Copies the parts of the next 50 articles after `after` (by slug) from D1 into R2. */
async function copy(env: BenchEnv, after: string): Promise<Response> {
  // Each item and article whole, its body put back (an R2 design reads one object an item, so it would store them whole).
  const { results } = await env.DB.prepare(
    `SELECT a.slug AS slug, a.fingerprint AS fingerprint, p.part AS part, p.text AS text, b.text AS body
     FROM (SELECT slug, fingerprint, version FROM articles WHERE slug > ?1 ORDER BY slug LIMIT 50) a
     JOIN article_parts p ON p.slug = a.slug AND p.version = a.version AND p.part IN ('article', 'rss', 'atom', 'json')
     LEFT JOIN article_parts b ON b.slug = a.slug AND b.version = a.version AND b.part = 'body'`,
  )
    .bind(after)
    .all<{ slug: string; fingerprint: string; part: string; text: string; body: string | null }>();
  const whole = (row: (typeof results)[number]): string => {
    const body = row.body ?? undefined;
    if (row.part === "article") return JSON.stringify(articleWithBody(JSON.parse(row.text) as Article, body));
    const writer = FORMATS.find((f) => f.part === row.part)!;
    return withBody(writer, row.text, body);
  };
  await Promise.all(results.map((row) => env.IMAGES.put(key(row, row.part), whole(row))));
  const last =
    results
      .map((row) => row.slug)
      .sort()
      .at(-1) ?? null;
  return Response.json({ copied: results.length, last });
}

/** The app and its counters, built once per isolate, as the real worker builds its services. */
let built: { app: ReturnType<typeof createApp>; trips: { d1: number; r2: number } } | undefined;

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/__copy") return copy(env, url.searchParams.get("after") ?? "");
    if (!built) {
      const site = parseSettings(env as unknown as Record<string, unknown>);
      const { db, bucket, trips } = counted(env);
      const d1 = createD1Catalog(db, bucket);
      const catalog = env.PARTS_FROM === "r2" ? r2Catalog(d1, bucket) : d1;
      built = { app: createApp({ catalog, site, log: () => {} }), trips };
    }
    // The counts are right for requests sent one at a time (the bench's probe); under load they mix.
    built.trips.d1 = 0;
    built.trips.r2 = 0;
    const response = await built.app.fetch(request);
    const answered = new Response(response.body, response);
    answered.headers.set("x-bench-d1", String(built.trips.d1));
    answered.headers.set("x-bench-r2", String(built.trips.r2));
    return answered;
  },
} satisfies ExportedHandler<BenchEnv>;
