// Release hints: Cache-Control is cut at the site's next release, on coarse step boundaries, the same for every feed,
// so the headers reveal neither which feed gets the next embargoed article nor the second it comes out.
import { describe, expect, it } from "vitest";
import { capLifetimesAtRelease, type Lifetimes, RELEASE_STEP_SECONDS, releaseBoundary } from "../../src/http/release-hint.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { appOver } from "../support/app.ts";
import { articleText, NEWSROOM, testSite } from "../support/http-fixtures.ts";

const CONFIGURED: Lifetimes = { maxAge: 300, sMaxAge: 300, staleWhileRevalidate: 600 };
const at = (iso: string) => new Date(iso);

describe("releaseBoundary", () => {
  it.each([
    { release: "2026-01-10T18:00:00.000Z", step: 60, expected: "2026-01-10T18:00:00.000Z" },
    { release: "2026-01-10T18:00:37.000Z", step: 60, expected: "2026-01-10T18:00:00.000Z" },
    { release: "2026-01-10T18:00:59.999Z", step: 60, expected: "2026-01-10T18:00:00.000Z" },
    { release: "2026-01-10T18:07:12.000Z", step: 300, expected: "2026-01-10T18:05:00.000Z" },
    { release: "2026-01-10T18:07:12.345Z", step: 1, expected: "2026-01-10T18:07:12.000Z" },
  ])("$release on a $step s grid is $expected", ({ release, step, expected }) => {
    expect(releaseBoundary(at(release), step).toISOString()).toBe(expected);
  });

  it.each([0, -60, 1.5, Number.NaN])("refuses a step of %s", (step) => {
    expect(() => releaseBoundary(at("2026-01-10T18:00:00Z"), step)).toThrow(RangeError);
  });
});

describe("capLifetimesAtRelease", () => {
  it.each<{ case: string; now: string; release?: string; expected: Lifetimes }>([
    { case: "nothing embargoed", now: "2026-01-10T12:00:00Z", expected: CONFIGURED },
    { case: "release far away", now: "2026-01-10T12:00:00Z", release: "2026-01-10T18:00:00Z", expected: CONFIGURED },
    {
      case: "ten minutes before: only stale-while-revalidate is shortened",
      now: "2026-01-10T17:50:00Z",
      release: "2026-01-10T18:00:00Z",
      expected: { maxAge: 300, sMaxAge: 300, staleWhileRevalidate: 300 },
    },
    {
      case: "two minutes before a release on the boundary",
      now: "2026-01-10T17:58:00Z",
      release: "2026-01-10T18:00:00Z",
      expected: { maxAge: 120, sMaxAge: 120, staleWhileRevalidate: 0 },
    },
    {
      case: "a release at :37 is cut at the minute before it",
      now: "2026-01-10T17:58:00Z",
      release: "2026-01-10T18:00:37Z",
      expected: { maxAge: 120, sMaxAge: 120, staleWhileRevalidate: 0 },
    },
    {
      case: "between the boundary and the release nothing is cached",
      now: "2026-01-10T18:00:10Z",
      release: "2026-01-10T18:00:37Z",
      expected: { maxAge: 0, sMaxAge: 0, staleWhileRevalidate: 0 },
    },
    {
      case: "a fraction of a second is rounded towards expiring earlier",
      now: "2026-01-10T17:59:00.400Z",
      release: "2026-01-10T18:00:30Z",
      expected: { maxAge: 59, sMaxAge: 59, staleWhileRevalidate: 0 },
    },
  ])("$case", ({ now, release, expected }) => {
    expect(capLifetimesAtRelease(CONFIGURED, release ? at(release) : undefined, at(now))).toEqual(expected);
  });

  it("never lets a cache serve past the release, and depends on the release only through its step", () => {
    const minute = Date.parse("2026-01-10T18:00:00Z");
    // Every release second within one step, seen at every second of the ten minutes before the earliest of them.
    for (let offset = 0; offset < RELEASE_STEP_SECONDS; offset += 7) {
      const release = new Date(minute + offset * 1000);
      for (let t = minute - 600_000; t < minute; t += 1000) {
        const now = new Date(t);
        const hint = capLifetimesAtRelease(CONFIGURED, release, now);
        const reference = capLifetimesAtRelease(CONFIGURED, new Date(minute), now);
        expect(hint).toEqual(reference); // nothing finer than the step can be read, at any time before it
        const lastServed = t + 1000 * (Math.max(hint.maxAge, hint.sMaxAge) + hint.staleWhileRevalidate);
        expect(lastServed).toBeLessThanOrEqual(release.getTime());
      }
    }
  });
});

// The fixture newsroom with its embargoed article moved to `release`: section Diplomacy, tags Summit and Baku.
function appReleasing(release: string, now: () => Date) {
  const files = {
    ...NEWSROOM,
    "2026/summit.md": articleText({
      title: "Summit preview",
      date: release,
      section: "Diplomacy",
      tags: ["Summit", "Baku"],
      author: "ana-lima",
    }),
  };
  return appOver({ source: createMemorySource(files), site: testSite(), now, log: () => {} });
}

const FEEDS = [
  "/rss.xml", // holds the embargoed article once out
  "/tags/baku/atom.xml", // holds it too
  "/authors/ana-lima/feed.json", // holds it too
  "/sections/business/rss.xml", // does not
  "/sections/city/feed.json", // does not
  "/authors/ben-ode/atom.xml", // does not
  "/feeds.opml",
];

describe("release hints over HTTP", () => {
  it("gives every feed, whatever its scope, the same Cache-Control", async () => {
    const now = at("2026-01-10T17:58:30Z");
    const app = appReleasing("2026-01-10T18:00:00Z", () => now);
    const hints = new Set<string | null>();
    for (const path of FEEDS) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      hints.add(res.headers.get("cache-control"));
    }
    expect([...hints]).toEqual(["public, max-age=90, s-maxage=90, stale-while-revalidate=0"]);
  });

  it("answers the same headers for two releases within one step, so the second cannot be recovered", async () => {
    let now = at("2026-01-10T17:50:00Z");
    const early = appReleasing("2026-01-10T18:00:05Z", () => now);
    const late = appReleasing("2026-01-10T18:00:55Z", () => now);
    // Polled every 13 s up to the earlier release, on a feed that has the article and one that does not, and on a 404.
    for (let t = now.getTime(); t < Date.parse("2026-01-10T18:00:05Z"); t += 13_000) {
      now = new Date(t);
      for (const path of ["/rss.xml", "/sections/business/atom.xml", "/articles/summit", "/sections/diplomacy/rss.xml"]) {
        const a = await early.request(path);
        const b = await late.request(path);
        expect(a.status, path).toBe(b.status);
        expect(a.headers.get("cache-control"), `${path} at ${now.toISOString()}`).toBe(b.headers.get("cache-control"));
        expect(a.headers.get("etag")).toBe(b.headers.get("etag"));
      }
    }
  });

  it("cuts a 404's lifetime at the step boundary before the release", async () => {
    const cacheControl = async (now: string) => {
      const res = await appReleasing("2026-01-10T18:00:37Z", () => at(now)).request("/articles/summit");
      expect(res.status).toBe(404);
      return res.headers.get("cache-control");
    };
    expect(await cacheControl("2026-01-10T17:00:00Z")).toBe("public, max-age=60");
    expect(await cacheControl("2026-01-10T17:59:50Z")).toBe("public, max-age=10");
    expect(await cacheControl("2026-01-10T18:00:20Z")).toBe("public, max-age=0");
  });
});
