// The whole worker inside workerd (the production runtime): the sample articles, published into local D1 and R2, served
// as feeds and images.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { publishSample } from "./sample.ts";

const BASE = "http://localhost:8787";
const get = (path: string) => exports.default.fetch(BASE + path);

beforeAll(publishSample, 120_000);

describe("worker in workerd", () => {
  it.each([
    ["/rss.xml", "application/rss+xml; charset=utf-8", '<rss version="2.0"'],
    ["/atom.xml", "application/atom+xml; charset=utf-8", '<feed xmlns="http://www.w3.org/2005/Atom"'],
    ["/feed.json", "application/feed+json; charset=utf-8", '"version": "https://jsonfeed.org/version/1.1"'],
  ])("serves %s", async (path, type, marker) => {
    const res = await get(path);
    const body = await res.text();
    expect(res.status, body).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    expect(body).toContain(marker);
    expect(body).toContain("Iran, Azerbaijan chart path to de-escalation as Pezeshkian visits Baku");
    expect(body).not.toContain("DRAFT: summit preview");
  });

  it("carries the lead image with the type and length measured from its bytes", async () => {
    const rss = await (await get("/rss.xml")).text();
    expect(rss).toContain('<enclosure url="http://localhost:8787/images/pezeshkian-aliyev-baku.jpg" length="19279" type="image/jpeg"/>');
    expect(rss).toContain('<enclosure url="http://localhost:8787/images/caspian-port.jpg" length="3668" type="image/webp"/>');
  });

  it.each([
    ["/images/pezeshkian-aliyev-baku.jpg", "image/jpeg", 19279, [0xff, 0xd8]],
    ["/images/caspian-port.jpg", "image/webp", 3668, [0x52, 0x49, 0x46, 0x46]],
  ])("serves %s as %s", async (path, type, length, magic) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.byteLength).toBe(length);
    expect([...bytes.subarray(0, magic.length)]).toEqual(magic);
  });

  it("answers the index page with autodiscovery links", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<link rel="alternate" type="application/rss+xml"');
  });

  it.each(["/authors.yaml", "/2025/04/iran-azerbaijan-de-escalation.md", "/images/nope.jpg"])("%s is 404", async (path) => {
    expect((await get(path)).status).toBe(404);
  });
});
