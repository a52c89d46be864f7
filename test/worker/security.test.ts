// Security probes against the whole worker inside workerd, over the bundled sample articles (a draft among them): a
// smaller set than test/node/security.test.ts, to show the deployed entry behaves the same. In-process requests only.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { publishSample } from "./sample.ts";

const BASE = "http://localhost:8787";
const get = (path: string, init: RequestInit = {}) => exports.default.fetch(BASE + path, init);
const DRAFT = ["DRAFT: summit preview", "embargoed-summit-preview", "Embargoed preview of the regional summit"];

beforeAll(publishSample, 120_000);

describe("security probes in workerd", { timeout: 60_000 }, () => {
  // The first request parses the whole archive in a cold isolate; on a busy 2-core machine that can pass 5 s.
  beforeAll(async () => {
    await (await get("/rss.xml")).arrayBuffer();
  }, 60_000);

  it("shows the draft through no feed, list, page or embed", async () => {
    for (const path of [
      "/rss.xml",
      "/atom.xml?limit=100",
      "/feed.json",
      "/sections/news/rss.xml",
      "/tags/diplomacy/atom.xml",
      "/archive/1/feed.json",
      "/feeds.opml",
      "/",
      "/headlines.json?limit=10",
      "/embed/headlines?limit=10",
    ]) {
      const res = await get(path);
      const text = `${[...res.headers].join("\n")}\n${await res.text()}`;
      expect(res.status, path).toBe(200);
      for (const secret of DRAFT) expect(text.includes(secret), `${path} shows ${secret}`).toBe(false);
    }
  });

  it("ignores a preview token in the query string", async () => {
    const res = await get("/preview/embargoed-summit-preview?token=anything-at-all-0123456789");
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("DRAFT");
  });

  it("serves images inert", async () => {
    const res = await get("/images/pezeshkian-aliyev-baku.jpg");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it.each(["/images/..%2fauthors.yaml", "/images/%2e%2e/2025/05/embargoed-summit-preview.md", "/images/%2fetc%2fpasswd"])(
    "keeps %s out of reach",
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toMatch(/^---|name: The New Region/m);
    },
  );

  it("refuses a preflight for an unknown partner key instead of echoing the Origin", async () => {
    const res = await get("/headlines.json?key=nope", {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "GET" },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("keeps ?title= off the iframe page without a partner key", async () => {
    const body = await (await get("/embed/headlines?title=We%20have%20been%20hacked")).text();
    expect(body).not.toContain("hacked");
  });

  it("lets a malformed If-None-Match turn If-Modified-Since off", async () => {
    const res = await get("/rss.xml", { headers: { "If-None-Match": "unquoted", "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT" } });
    expect(res.status).toBe(200);
  });

  it("refuses other methods and bad limits, and injects no header", async () => {
    expect((await get("/rss.xml", { method: "POST", body: "x" })).status).toBe(405);
    const bad = await get(`/rss.xml?limit=${"9".repeat(20_000)}`);
    expect(bad.status).toBe(400);
    expect((await bad.text()).length).toBeLessThan(1000);
    const redirect = await get("/sections/NEWS/rss.xml?x=%0d%0aSet-Cookie:%20injected=1", { redirect: "manual" });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).not.toMatch(/[\r\n]/);
    expect(redirect.headers.get("set-cookie")).toBeNull();
  });
});
