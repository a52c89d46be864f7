// Workers Caching inside workerd, at the one seam where the worker calls it: the `cache` of the ExecutionContext the
// runtime hands the worker's own `fetch` and `scheduled` entries (Miniflare has none, so the tests give one that records
// its purges). A publish, a delete and an embargo release each purge exactly the tags of what they changed, before the
// hub hears of it; a refused purge waits in D1 for the next scheduled run; without `ctx.cache` nothing is purged or fails.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/runtime/worker.ts";
import { resetD1 } from "./reset-d1.ts";
import { TOKEN } from "./sample.ts";

const BASE = "http://localhost:8787";
const HOUR = 3_600_000;

/** What the recording cache saw, in order, with the hub's requests among them. */
let calls: { what: "purge" | "hub"; tags?: string[] }[];
/** How the recording cache answers: `ok`, refused by the platform, or failing. */
let answer: "ok" | "refused" | "throws";

const recordingCache = {
  async purge(options: { tags?: string[] }) {
    calls.push({ what: "purge", tags: [...(options.tags ?? [])].sort() });
    if (answer === "throws") throw new Error("purge unavailable");
    return answer === "ok" ? { success: true, errors: [] } : { success: false, errors: [{ code: 1134, message: "rate limited" }] };
  },
};

/** An ExecutionContext as the runtime gives one in production: with Workers Caching's `cache`. */
function contextWithCache(cache: unknown = recordingCache): ExecutionContext {
  const ctx = createExecutionContext();
  Object.defineProperty(ctx, "cache", { value: cache });
  return ctx;
}

let logged: Record<string, unknown>[];

beforeEach(async () => {
  await resetD1(env.DB, env.IMAGES);
  calls = [];
  answer = "ok";
  logged = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => {
    if (typeof line === "string" && line.startsWith("{")) logged.push(JSON.parse(line) as Record<string, unknown>);
  });
});
afterEach(() => vi.restoreAllMocks());

const purges = () => calls.filter((c) => c.what === "purge").map((c) => c.tags);

/** A request to the worker's own fetch entry, as the runtime makes it. */
async function request(path: string, init: RequestInit = {}, ctx = contextWithCache(), runEnv: Env = env): Promise<Response> {
  const res = await worker.fetch(new Request(BASE + path, init), runEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const auth = { Authorization: `Bearer ${TOKEN}` };
const put = (path: string, body: string, ctx?: ExecutionContext, runEnv?: Env) =>
  request(`/api/articles/${path}`, { method: "PUT", headers: auth, body }, ctx, runEnv);

function article(title: string, date: string, fields = "section: Energy\ntags: [Oil, Baku]\nauthor: Leyla Aliyeva\n"): string {
  return `---\ntitle: ${title}\ndate: "${date}"\n${fields}---\nBody of ${title}.\n`;
}

/** The tags of the lists the article above is in, its page, and the site-wide lists: by hand, not by the code's rule. */
const ENERGY_ARTICLE_TAGS = [
  "article:pipeline",
  "headlines",
  "index",
  "not-found",
  "scope:authors/leyla-aliyeva",
  "scope:home",
  "scope:languages/en",
  "scope:sections/energy",
  "scope:tags/baku",
  "scope:tags/oil",
];

/** One scheduled run through the worker's own entry at `time`. */
async function runCron(time: Date, ctx = contextWithCache(), runEnv: Env = env): Promise<void> {
  await worker.scheduled(createScheduledController({ scheduledTime: time, cron: "* * * * *" }), runEnv, ctx);
  await waitOnExecutionContext(ctx);
}

describe("Workers Caching purges", () => {
  it("a publish purges its lists, its page and the site-wide lists, before answering", async () => {
    const res = await put("2025/pipeline.md", article("Pipeline", "2025-05-01T09:00:00Z"));
    expect(res.status).toBe(201);
    expect(purges()).toEqual([ENERGY_ARTICLE_TAGS]);
    expect(logged.filter((e) => e.event === "cache-purge")).toEqual([
      { event: "cache-purge", trigger: "publish", tags: expect.arrayContaining(ENERGY_ARTICLE_TAGS), outcome: "purged" },
    ]);
    // The same text again changes nothing: nothing to purge.
    expect((await put("2025/pipeline.md", article("Pipeline", "2025-05-01T09:00:00Z"))).status).toBe(200);
    expect(purges()).toHaveLength(1);
  });

  it("an edit that moves an article purges the lists it left and the lists it joined", async () => {
    await put("2025/pipeline.md", article("Pipeline", "2025-05-01T09:00:00Z"));
    calls = [];
    await put("2025/pipeline.md", article("Pipeline", "2025-05-01T09:00:00Z", "section: Energy\ntags: [Gas]\nauthor: Leyla Aliyeva\n"));
    expect(purges()).toEqual([
      [
        "article:pipeline",
        "headlines",
        "index",
        "not-found",
        "scope:authors/leyla-aliyeva",
        "scope:home",
        "scope:languages/en",
        "scope:sections/energy",
        "scope:tags/baku",
        "scope:tags/gas",
        "scope:tags/oil",
      ],
    ]);
  });

  it("a delete purges the lists the article was in and its page", async () => {
    await put("2025/pipeline.md", article("Pipeline", "2025-05-01T09:00:00Z"));
    calls = [];
    const res = await request("/api/articles/2025/pipeline.md", { method: "DELETE", headers: auth });
    expect(res.status).toBe(200);
    expect(purges()).toEqual([ENERGY_ARTICLE_TAGS]);
  });

  it("a registry change purges the whole site (an author's name shows on pages the change does not list)", async () => {
    const res = await request("/api/registries/authors.yaml", { method: "PUT", headers: auth, body: "leyla:\n  name: Leyla Aliyeva\n" });
    expect(res.status).toBe(201);
    expect(purges()).toEqual([["site"]]);
  });

  it("an embargo release purges the released article's lists and page in the scheduled run", async () => {
    const now = Date.now();
    // Published long ago (outside the first run's one-day window) and under embargo for another hour.
    await put("2020/old.md", article("Old", "2020-01-01T09:00:00Z", "section: Archive\n"));
    await put("2025/pipeline.md", article("Pipeline", new Date(now + HOUR).toISOString()));
    calls = [];
    logged = [];
    await runCron(new Date(now + 2 * HOUR));
    expect(purges()).toEqual([ENERGY_ARTICLE_TAGS]);
    expect(logged.find((e) => e.event === "cache-purge")).toMatchObject({ trigger: "release", outcome: "purged" });
    expect(logged.find((e) => e.event === "scheduled-run")).toMatchObject({ released: 1, purged: ENERGY_ARTICLE_TAGS.length });
    // The next run has nothing new: no purge.
    calls = [];
    await runCron(new Date(now + 2 * HOUR + 60_000));
    expect(purges()).toEqual([]);
  });

  it("purges before the hub hears of the change, so the hub fetches the new feeds", async () => {
    const hubEnv = { ...env, WEBSUB_HUB: "https://hub.example/" } as Env;
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => {
      calls.push({ what: "hub" });
      return new Response(null, { status: 204 });
    });
    await put("2025/pipeline.md", article("Pipeline", "2025-05-01T09:00:00Z"), contextWithCache(), hubEnv);
    expect(calls.map((c) => c.what)).toEqual(["purge", ...Array(15).fill("hub")]);
  });

  it("a refused purge waits in D1 and the next scheduled run purges it, then forgets it", async () => {
    answer = "refused";
    await put("2025/pipeline.md", article("Pipeline", "2025-05-01T09:00:00Z"));
    expect(logged.find((e) => e.event === "cache-purge")).toMatchObject({
      trigger: "publish",
      outcome: "queued",
      error: "1134: rate limited",
    });
    const queued = await env.DB.prepare("SELECT key FROM state WHERE key LIKE 'purge:%' ORDER BY key").all<{ key: string }>();
    expect(queued.results.map((r) => r.key.slice("purge:".length))).toEqual(ENERGY_ARTICLE_TAGS);

    // A failing purge (the call throws) keeps them too.
    answer = "throws";
    calls = [];
    await runCron(new Date(Date.now() + 60_000));
    expect(purges()).toEqual([ENERGY_ARTICLE_TAGS]);
    expect(logged.filter((e) => e.event === "cache-purge").at(-1)).toMatchObject({ trigger: "retry", outcome: "queued" });

    answer = "ok";
    calls = [];
    await runCron(new Date(Date.now() + 120_000));
    expect(purges()).toEqual([ENERGY_ARTICLE_TAGS]);
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM state WHERE key LIKE 'purge:%'").first<{ n: number }>();
    expect(left!.n).toBe(0);
  });

  it("purges the whole site in one call when a change touches more than one call carries", async () => {
    const files = new FormData();
    for (let i = 0; i < 20; i++) {
      files.append(`2025/a${i}.md`, article(`A${i}`, "2025-05-01T09:00:00Z", `section: S${i}\ntags: [T${i}]\n`));
    }
    const res = await request("/api/batch", { method: "POST", headers: auth, body: files });
    expect(res.status).toBe(200);
    expect(purges()).toEqual([["site"]]);
  });

  it("POST /api/cache/purge purges the tags given, or everything, for operations (after a rollback)", async () => {
    const purge = (query = "", init: RequestInit = {}, ctx?: ExecutionContext) =>
      request(`/api/cache/purge${query}`, { method: "POST", headers: auth, ...init }, ctx);
    expect((await purge("", { headers: {} })).status).toBe(401);
    expect(purges()).toEqual([]);
    const all = await purge();
    expect(all.status).toBe(200);
    expect(await all.json()).toEqual({ purged: true, tags: ["site"] });
    expect(purges()).toEqual([["site"]]);
    expect(await (await purge("?tag=scope:home&tag=article:pipeline")).json()).toEqual({
      purged: true,
      tags: ["scope:home", "article:pipeline"],
    });
    expect(purges().at(-1)).toEqual(["article:pipeline", "scope:home"]);
    expect((await purge("?tag=two%20words")).status).toBe(400);
    answer = "refused";
    const refused = await purge("?tag=scope:home");
    expect(refused.status).toBe(202);
    expect(logged.filter((e) => e.event === "cache-purge").at(-1)).toMatchObject({ trigger: "manual", outcome: "queued" });
    const bare = await purge("", {}, createExecutionContext());
    expect(await bare.json()).toEqual({ purged: false, tags: ["site"], reason: "no Workers Caching in front of this worker" });
  });

  it("without ctx.cache (wrangler dev, these tests' own runtime) publishes and runs as before, purging nothing", async () => {
    const bare = createExecutionContext();
    expect((bare as { cache?: unknown }).cache).toBeUndefined();
    expect((await put("2025/pipeline.md", article("Pipeline", new Date(Date.now() + HOUR).toISOString()), bare)).status).toBe(201);
    await runCron(new Date(Date.now() + 2 * HOUR), createExecutionContext());
    expect(logged.filter((e) => e.event === "cache-purge")).toEqual([]);
    const queued = await env.DB.prepare("SELECT COUNT(*) AS n FROM state WHERE key LIKE 'purge:%'").first<{ n: number }>();
    expect(queued!.n).toBe(0);
  });
});
