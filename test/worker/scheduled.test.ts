// The scheduled run and the WebSub notifier inside workerd, over the real local D1: an embargo lifting announces exactly
// the feeds it changed, a run with nothing new announces nothing, a refused feed is retried by the next run, a publish
// announces its feeds at once. The hub is a stub on globalThis.fetch (no outbound network).
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Catalog } from "../../src/core/catalog.ts";
import { createEventLog } from "../../src/core/events.ts";
import { publicScopes } from "../../src/core/feed-plan.ts";
import { shapingOf } from "../../src/core/publish/shaping.ts";
import { FIRST_RUN_LOOKBACK_MS } from "../../src/core/releases.ts";
import { parseSettings, type SiteSettings } from "../../src/core/settings.ts";
import { type HubNotifyDeps, notifyChangedFeeds } from "../../src/core/websub.ts";
import { OUTPUT_REVISION } from "../../src/formats/index.ts";
import { runScheduled } from "../../src/runtime/scheduled.ts";
import { composeServices } from "../../src/runtime/services.ts";
import worker from "../../src/runtime/worker.ts";
import { STALE_SQL } from "../../src/store/d1/articles.ts";
import { createD1HubState, RELEASED_SQL } from "../../src/store/d1/state.ts";
import { createD1Store } from "../../src/store/d1/store.ts";
import { articleText, EMBARGO, NEWSROOM, NOW } from "../support/http-fixtures.ts";
import { publisherOver } from "../support/publish-tree.ts";
import { fillD1 } from "./fill-d1.ts";
import { resetD1 } from "./reset-d1.ts";
import { TOKEN } from "./sample.ts";
import { failingD1, INJECTED } from "./wrapped-bindings.ts";

const HUB = "https://hub.example/";
const hubEnv = { ...env, WEBSUB_HUB: HUB } as Env;
const site: SiteSettings = parseSettings(hubEnv as unknown as Record<string, unknown>);
const BASE = site.url;
const MINUTE = 60_000;
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

/** Every format URL of each feed folder, sorted, as the hub should hear them. */
const feedUrls = (...folders: string[]) =>
  folders.flatMap((folder) => ["rss.xml", "atom.xml", "feed.json"].map((file) => `${BASE}${folder}${file}`)).sort();

/** The summit (Diplomacy; Summit, Baku; Ana Lima) is under embargo until EMBARGO: these are the feeds it changes. */
const SUMMIT_FEEDS = feedUrls("/", "/sections/diplomacy/", "/tags/baku/", "/tags/summit/", "/authors/ana-lima/");

let catalog: Catalog;
/** Feed URLs the stub hub accepted since the last `take()`, and URLs it is told to refuse. */
let accepted: string[] = [];
let refuse = new Set<string>();
/** The hub's host does not answer at all. */
let unreachable = false;
const take = () => accepted.splice(0).sort();
/** Requests the stub hub has been sent so far (a test's running count). */
let countSent = 0;

beforeEach(async () => {
  await resetD1(env.DB, env.IMAGES);
  catalog = await fillD1(env.DB, env.IMAGES, NEWSROOM, site);
  accepted = [];
  summaries = [];
  refuse = new Set();
  unreachable = false;
  countSent = 0;
  // The hub: only form-encoded publish pings to HUB naming the feed as hub.topic (Flask-WebSub, websub.rocks) and
  // hub.url (Google's, Superfeedr) are answered (204); anything else fails the test loudly.
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const form = new URLSearchParams(String(init?.body));
    const type = new Headers(init?.headers).get("content-type");
    const feed = form.get("hub.topic");
    if (
      url !== HUB ||
      init?.method !== "POST" ||
      type !== "application/x-www-form-urlencoded" ||
      form.get("hub.mode") !== "publish" ||
      !feed ||
      form.get("hub.url") !== feed
    ) {
      throw new Error(`unexpected request to ${url}: ${String(init?.body)}`);
    }
    if (unreachable) throw new TypeError("Network connection lost.");
    if (refuse.has(feed)) return new Response("Missing form argument: hub.topic\n", { status: 400 });
    accepted.push(feed);
    return new Response(null, { status: 204 });
  });
});
afterEach(() => vi.restoreAllMocks());

function notifier(lines: string[] = [], overrides: Partial<HubNotifyDeps> = {}): HubNotifyDeps {
  return {
    catalog,
    site,
    fetch: (url, init) => fetch(url, init),
    state: createD1HubState(env.DB),
    emit: createEventLog((line) => lines.push(line)),
    outputRevision: OUTPUT_REVISION,
    ...overrides,
  };
}

/** Scope keys of every feed public at `now`, as storage writes them. */
async function everyScope(now: Date): Promise<string[]> {
  return (await publicScopes(catalog, now)).map((s) => (s.kind === "home" ? "home" : `${s.kind}/${s.slug}`));
}

/** The `scheduled-run` line each run ends with, the last run's last. */
let summaries: Record<string, unknown>[] = [];

/**
 * One scheduled run at `time` through the worker's own entry, with the hub configured; the lines it logged but the
 * summary every run ends with (kept in `summaries`).
 */
async function runCron(time: Date, runEnv: Env = hubEnv): Promise<Record<string, unknown>[]> {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: time, cron: "* * * * *" }), runEnv, ctx);
  await waitOnExecutionContext(ctx);
  const lines = log.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
  log.mockRestore();
  summaries.push(...lines.filter((line) => line.event === "scheduled-run"));
  return lines.filter((line) => line.event !== "scheduled-run");
}

/** A scheduled run over `runEnv` that must fail with the injected D1 fault: the lines it logged. */
async function failedRun(runEnv: Env, time: Date): Promise<unknown[]> {
  const lines: string[] = [];
  await expect(runScheduled(composeServices(runEnv, { log: (line) => lines.push(line) }), time.getTime())).rejects.toThrow(INJECTED);
  return lines.map((line) => JSON.parse(line));
}

async function clock(): Promise<number | undefined> {
  const row = await env.DB.prepare("SELECT value FROM state WHERE key = 'releases:until'").first<{ value: string }>();
  return row ? Number(row.value) : undefined;
}

/** The hub has heard of every feed as it is at NOW, and the scheduled run's clock stands at NOW. */
async function announceEverything(): Promise<void> {
  await notifyChangedFeeds(notifier(), await everyScope(NOW), NOW);
  take();
  expect(await runCron(NOW)).toEqual([]);
  expect(take()).toEqual([]);
}

describe("the scheduled run", () => {
  it("announces exactly the feeds an embargo release changed, once", async () => {
    await announceEverything();
    const lines = await runCron(at(EMBARGO, 30_000));
    expect(take()).toEqual(SUMMIT_FEEDS);
    // Every run ends with a summary (its absence for minutes is a silent cron: docs/monitoring.md); nothing here
    // caches in front of the worker, so nothing was purged.
    expect(summaries.at(-1)).toEqual({
      event: "scheduled-run",
      until: at(EMBARGO, 30_000).toISOString(),
      released: 1,
      announced: SUMMIT_FEEDS.length,
      purged: 0,
    });
    expect(lines[0]).toEqual({ event: "release", slug: "summit", published: EMBARGO.toISOString() });
    expect(lines.slice(1)).toHaveLength(SUMMIT_FEEDS.length);
    for (const line of lines.slice(1)) {
      expect(line).toEqual({ event: "hub-notification", hub: HUB, feed: expect.any(String), outcome: "accepted", status: 204 });
    }
    expect(await clock()).toBe(at(EMBARGO, 30_000).getTime());

    // The next minute: nothing released, nothing changed, nothing sent or logged.
    expect(await runCron(at(EMBARGO, 90_000))).toEqual([]);
    expect(take()).toEqual([]);
  });

  it("announces nothing when the released article's feeds were already announced (a live publish did it)", async () => {
    await announceEverything();
    await notifyChangedFeeds(notifier(), await everyScope(EMBARGO), EMBARGO);
    expect(take()).toEqual(SUMMIT_FEEDS);
    const lines = await runCron(at(EMBARGO, MINUTE));
    expect(lines).toEqual([{ event: "release", slug: "summit", published: EMBARGO.toISOString() }]);
    expect(take()).toEqual([]);
  });

  it("retries a feed the hub refused at the next run, and only that feed, then waits longer after each refusal", async () => {
    await announceEverything();
    refuse.add(`${BASE}/tags/summit/atom.xml`);
    const lines = await runCron(at(EMBARGO, MINUTE));
    expect(lines).toContainEqual({
      event: "hub-notification",
      hub: HUB,
      feed: `${BASE}/tags/summit/atom.xml`,
      outcome: "refused",
      status: 400,
      retryAt: at(EMBARGO, 2 * MINUTE).toISOString(),
    });
    expect(take()).toEqual(SUMMIT_FEEDS.filter((url) => !refuse.has(url)));

    // Still refused: still pending, and now two minutes away.
    await runCron(at(EMBARGO, 2 * MINUTE));
    expect(take()).toEqual(feedUrls("/tags/summit/").filter((url) => !refuse.has(url)));
    refuse.clear();
    expect(await runCron(at(EMBARGO, 3 * MINUTE))).toEqual([]);
    expect(take()).toEqual([]);
    await runCron(at(EMBARGO, 4 * MINUTE));
    expect(take()).toEqual(feedUrls("/tags/summit/"));
    await runCron(at(EMBARGO, 5 * MINUTE));
    expect(take()).toEqual([]);
  });

  it("backs off a hub that refuses every ping (4xx): 9 tries in 300 minutes, not 300", async () => {
    await announceEverything();
    for (const url of SUMMIT_FEEDS) refuse.add(url);
    const tries: number[] = [];
    for (let minute = 1; minute <= 300; minute++) {
      await runCron(at(EMBARGO, minute * MINUTE));
      const sent = vi.mocked(globalThis.fetch).mock.calls.length;
      if (sent > countSent) tries.push(minute);
      countSent = sent;
    }
    // The first try, then 1, 2, 4, … 128 minutes after each refusal.
    expect(tries).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256]);
    const [pending] = await createD1HubState(env.DB).pending();
    expect(pending!.failures).toBe(9);
    expect(pending!.retryAt.getTime() - at(EMBARGO, 256 * MINUTE).getTime()).toBe(256 * MINUTE);
    // A publish that changes a waiting feed is announced at once all the same, and counts on.
    refuse.clear();
    const outcome = await notifyChangedFeeds(notifier(), ["tags/summit"], at(EMBARGO, 301 * MINUTE), { retryPending: true });
    expect(outcome.notified.sort()).toEqual(feedUrls("/tags/summit/"));
    expect(outcome.waiting.length).toBeGreaterThan(0);
  });

  it("retries a hub that cannot be reached", async () => {
    await announceEverything();
    unreachable = true;
    const lines = await runCron(at(EMBARGO, MINUTE));
    expect(lines.slice(1)).toEqual(
      SUMMIT_FEEDS.map(() => ({
        event: "hub-notification",
        hub: HUB,
        feed: expect.any(String),
        outcome: "unreachable",
        error: "Network connection lost.",
        retryAt: at(EMBARGO, 2 * MINUTE).toISOString(),
      })),
    );
    expect(take()).toEqual([]);
    unreachable = false;
    await runCron(at(EMBARGO, 2 * MINUTE));
    expect(take()).toEqual(SUMMIT_FEEDS);
  });

  it("plans only the feeds of what it released: a feed changed behind the notifier's back waits for its publish", async () => {
    await announceEverything();
    // An edit published straight through the store, announcing nothing: Metro (City; Transport, Baku; Ben Ode) changes.
    const metro = articleText({
      title: "Metro line opens",
      date: "2026-01-09T09:00:00Z",
      section: "City",
      tags: ["Transport", "Baku"],
      author: "ben-ode",
      body: "Corrected.",
    });
    const publisher = publisherOver(createD1Store(env.DB, env.IMAGES), site);
    expect((await publisher.putArticle("2026/metro.md", new TextEncoder().encode(metro), { now: NOW })).result).toBe("updated");

    await runCron(at(EMBARGO, MINUTE));
    // Home and Baku changed for both reasons; City, Transport and Ben Ode were not looked at.
    expect(take()).toEqual(SUMMIT_FEEDS);
    // The publish API announces the edit's scopes itself, at once.
    const outcome = await notifyChangedFeeds(
      notifier(),
      ["home", "sections/city", "tags/transport", "tags/baku", "authors/ben-ode"],
      at(EMBARGO, MINUTE),
    );
    expect(take()).toEqual(feedUrls("/sections/city/", "/tags/transport/", "/authors/ben-ode/"));
    expect(outcome.unchanged.sort()).toEqual(["home", "tags/baku"]);
  });

  it("looks back one day on its first run, never at the whole archive", async () => {
    await notifyChangedFeeds(notifier(), await everyScope(NOW), NOW);
    take();
    expect(await clock()).toBeUndefined();
    const lines = await runCron(at(EMBARGO, 2 * 60 * MINUTE));
    expect(lines[0]).toEqual({ event: "release", slug: "summit", published: EMBARGO.toISOString() });
    expect(take()).toEqual(SUMMIT_FEEDS);

    await resetD1(env.DB);
    catalog = await fillD1(env.DB, env.IMAGES, NEWSROOM, site);
    // A first run more than a day after every release: nothing is seen as released, and the hub hears nothing.
    expect(await runCron(at(EMBARGO, FIRST_RUN_LOOKBACK_MS + MINUTE))).toEqual([]);
    expect(take()).toEqual([]);
  });

  it("finds releases through indexes only: the window on articles_by_published, their lists on memberships_of_article", async () => {
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${RELEASED_SQL}`).bind(0, 1).all<{ detail: string }>();
    const steps = results.map((row) => row.detail);
    expect(steps).toContainEqual(
      expect.stringMatching(/^SEARCH a USING (COVERING )?INDEX articles_by_published \(published>\? AND published<\?\)/),
    );
    expect(steps).toContainEqual(expect.stringMatching(/^SEARCH m USING (COVERING )?INDEX memberships_of_article \(slug=\?\)/));
    expect(steps.filter((step) => step.startsWith("SCAN"))).toEqual([]);
  });

  it("without WEBSUB_HUB logs releases and keeps its clock, sending nothing", async () => {
    expect("WEBSUB_HUB" in env).toBe(false);
    expect(await runCron(NOW, env)).toEqual([]);
    expect(await runCron(at(EMBARGO, MINUTE), env)).toEqual([{ event: "release", slug: "summit", published: EMBARGO.toISOString() }]);
    expect(await clock()).toBe(at(EMBARGO, MINUTE).getTime());
    expect(vi.mocked(globalThis.fetch)).not.toHaveBeenCalled();
  });

  it("a run scheduled before the last one changes nothing and never moves the clock back", async () => {
    await announceEverything();
    await runCron(at(EMBARGO, MINUTE));
    take();
    expect(await runCron(at(EMBARGO, -MINUTE))).toEqual([]);
    expect(take()).toEqual([]);
    expect(await clock()).toBe(at(EMBARGO, MINUTE).getTime());
  });

  it("leaves its clock when D1 fails, logs a storage fault, and covers the window next time", async () => {
    await announceEverything();
    const broken = { ...hubEnv, DB: failingD1(env.DB, (sql) => sql.includes("JOIN memberships m ON m.slug = a.slug")) };
    expect(await failedRun(broken, at(EMBARGO, MINUTE))).toEqual([
      { event: "storage-fault", store: "d1", operation: "releases", message: expect.stringContaining(INJECTED) },
    ]);
    expect(await clock()).toBe(NOW.getTime());
    expect(take()).toEqual([]);
    await runCron(at(EMBARGO, 2 * MINUTE));
    expect(take()).toEqual(SUMMIT_FEEDS);
  });
});

describe("the scheduled run after a change of the settings that shape stored items", () => {
  /** Every article row as the refresh must keep it (id, times) and what it may change (shaping, parts version). */
  const articleRows = async () =>
    (
      await env.DB.prepare("SELECT slug, id, published, updated, fingerprint, version, shaping FROM articles ORDER BY slug").all<{
        slug: string;
        id: string;
        published: number;
        updated: number;
        fingerprint: string;
        version: string;
        shaping: string;
      }>()
    ).results;
  const feedFolders = (scopes: readonly string[]) => scopes.map((key) => (key === "home" ? "/" : `/${key}/`));

  it("publishes the stale articles again under a new SITE_URL: new links, the same ids and times, the new feeds announced, then rests", async () => {
    await announceEverything();
    const before = await articleRows();
    expect(new Set(before.map((r) => r.shaping))).toEqual(new Set([shapingOf(site)]));
    const MOVED = "https://moved.example.com";
    const movedEnv = { ...hubEnv, SITE_URL: MOVED } as Env;
    const moved = parseSettings(movedEnv as unknown as Record<string, unknown>);
    // The publish API's manifest, as the moved worker answers it: which articles wait for the catch-up.
    const staleInManifest = async () => {
      const { app } = composeServices(movedEnv);
      const res = await app.request("/api/manifest?limit=1000", { headers: { Authorization: `Bearer ${TOKEN}` } }, movedEnv);
      const { entries } = (await res.json()) as { entries: { path: string; kind: string; stale?: true }[] };
      return entries.filter((e) => e.kind === "article" && e.stale).length;
    };
    expect(await staleInManifest()).toBe(before.length);

    const lines = await runCron(at(NOW, MINUTE), movedEnv);
    const announced = (await everyScope(NOW)).length * 3;
    expect(lines.filter((line) => line.event === "settings-refresh")).toEqual([
      { event: "settings-refresh", refreshed: before.length, unchanged: 0, refused: 0, registries: 0, more: false, announced },
    ]);
    // Every public feed, at its new address (the embargoed summit's own lists are not public yet).
    const folders = feedFolders(await everyScope(NOW));
    expect(take()).toEqual(folders.flatMap((f) => ["rss.xml", "atom.xml", "feed.json"].map((file) => `${MOVED}${f}${file}`)).sort());

    const after = await articleRows();
    expect(after.map(({ slug, id, published, updated }) => ({ slug, id, published, updated }))).toEqual(
      before.map(({ slug, id, published, updated }) => ({ slug, id, published, updated })),
    );
    expect(new Set(after.map((r) => r.shaping))).toEqual(new Set([shapingOf(moved)]));
    const { app } = composeServices(movedEnv);
    const xml = await (await app.request("/rss.xml", {}, movedEnv)).text();
    const links = [...xml.matchAll(/<item>[\s\S]*?<link>([^<]*)<\/link>/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.startsWith(`${MOVED}/articles/`), link).toBe(true);

    // Nothing is stale any more: the manifest says so, and the next run neither publishes, logs nor announces anything.
    expect(await staleInManifest()).toBe(0);
    expect((await runCron(at(NOW, 2 * MINUTE), movedEnv)).filter((line) => line.event === "settings-refresh")).toEqual([]);
    expect(take()).toEqual([]);
  });

  it("notes only the settings when the bytes come out the same (a new SITE_TIMEZONE): no version, ETag or announcement changes", async () => {
    await announceEverything();
    const zoneEnv = { ...hubEnv, SITE_TIMEZONE: "Asia/Tokyo" } as Env;
    const { app } = composeServices(zoneEnv);
    const etag = async () => (await app.request("/rss.xml", {}, zoneEnv)).headers.get("ETag");
    const etagBefore = await etag();
    const before = await articleRows();
    const lines = await runCron(at(NOW, MINUTE), zoneEnv);
    expect(lines).toEqual([
      { event: "settings-refresh", refreshed: 0, unchanged: before.length, refused: 0, registries: 0, more: false, announced: 0 },
    ]);
    expect(take()).toEqual([]);
    const after = await articleRows();
    expect(after.map(({ shaping: _s, ...row }) => row)).toEqual(before.map(({ shaping: _s, ...row }) => row));
    expect(new Set(after.map((r) => r.shaping))).toEqual(
      new Set([shapingOf(parseSettings(zoneEnv as unknown as Record<string, unknown>))]),
    );
    expect(await etag()).toBe(etagBefore);
  });

  it("finds stale articles through articles_by_shaping only, never by scanning the archive", async () => {
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${STALE_SQL}`).bind("m", 201).all<{ detail: string }>();
    const steps = results.map((row) => row.detail);
    expect(steps.filter((step) => /INDEX articles_by_shaping \(shaping=\?\)/.test(step))).toHaveLength(2);
    expect(steps.filter((step) => /INDEX articles_by_shaping \(shaping[<>]\?\)/.test(step))).toHaveLength(2);
    // Each side's newest come in index order (no sort of the archive); only the two bounded sides are merged.
    expect(steps.filter((step) => step.startsWith("SCAN") && !step.startsWith("SCAN (subquery-"))).toEqual([]);
    expect(steps.filter((step) => step.includes("TEMP B-TREE"))).toHaveLength(2);
  });

  it("logs a storage fault and fails the run when D1 fails while catching up; the next run catches up", async () => {
    await announceEverything();
    const movedEnv = { ...hubEnv, SITE_URL: "https://moved.example.com" } as Env;
    const broken = { ...movedEnv, DB: failingD1(env.DB, (sql) => sql.includes("WHERE shaping = (SELECT shaping")) };
    expect(await failedRun(broken, at(NOW, MINUTE))).toEqual([
      { event: "storage-fault", store: "d1", operation: "publish read", message: expect.stringContaining(INJECTED) },
    ]);
    const caughtUp = await runCron(at(NOW, 2 * MINUTE), movedEnv);
    expect(caughtUp.find((line) => line.event === "settings-refresh")).toMatchObject({ unchanged: 0, more: false });
  });
});

describe("notifyChangedFeeds (the publish API's call)", () => {
  it("announces every feed the first time, then nothing until one changes", async () => {
    const lines: string[] = [];
    const first = await notifyChangedFeeds(notifier(lines), await everyScope(NOW), NOW);
    const every = feedUrls(
      "/",
      "/sections/business/",
      "/sections/city/",
      "/sections/world-news/",
      "/tags/baku/",
      "/tags/energy/",
      "/tags/politics/",
      "/tags/transport/",
      "/authors/ana-lima/",
      "/authors/ben-ode/",
    );
    expect(take()).toEqual(every);
    expect(first.notified.sort()).toEqual(every);
    expect(lines).toHaveLength(every.length);

    const second = await notifyChangedFeeds(notifier(), await everyScope(NOW), NOW);
    expect(take()).toEqual([]);
    expect(second.unchanged).toHaveLength(10);
  });

  it("skips scopes with no public feed: a facet still under embargo, a facet gone, a malformed key", async () => {
    const outcome = await notifyChangedFeeds(notifier(), ["sections/diplomacy", "tags/nothing", "bogus", "sections/"], NOW);
    expect(take()).toEqual([]);
    expect(outcome).toEqual({ notified: [], failed: [], deferred: [], unchanged: [], waiting: [] });
  });

  it("keeps within its request budget and leaves the rest to the next scheduled run", async () => {
    const lines: string[] = [];
    const budget = await notifyChangedFeeds(notifier(lines, { maxRequests: 7 }), await everyScope(NOW), NOW);
    // Two feeds fit in 7 requests (3 formats each); the other 8 wait.
    expect(budget.notified).toHaveLength(6);
    expect(budget.deferred).toHaveLength(8);
    expect(lines.map((line) => JSON.parse(line)).filter((e) => e.outcome === "deferred")).toHaveLength(24);
    take();
    await runCron(NOW);
    expect(take()).toHaveLength(24);
    expect(await notifyChangedFeeds(notifier(), await everyScope(NOW), NOW)).toMatchObject({ notified: [], deferred: [] });
  });

  it("announces again to a different hub, and sends nothing without one", async () => {
    await notifyChangedFeeds(notifier(), ["home"], NOW);
    expect(take()).toEqual(feedUrls("/"));
    const other = "https://other-hub.example/";
    const otherSite = { ...site, websubHub: other };
    const seen: string[] = [];
    await notifyChangedFeeds(
      notifier([], {
        site: otherSite,
        fetch: async (url, init) => {
          seen.push(`${url} ${new URLSearchParams(String(init.body)).get("hub.topic")}`);
          return new Response(null, { status: 202 });
        },
      }),
      ["home"],
      NOW,
    );
    expect(seen.sort()).toEqual(feedUrls("/").map((feed) => `${other} ${feed}`));

    const { websubHub: _none, ...noHub } = site;
    expect(await notifyChangedFeeds(notifier([], { site: noHub }), ["home"], NOW)).toEqual({
      notified: [],
      failed: [],
      deferred: [],
      unchanged: [],
      waiting: [],
    });
    expect(vi.mocked(globalThis.fetch)).toHaveBeenCalledTimes(3);
  });
});
