// The whole worker inside workerd: the bundled sample articles served as feeds and images.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const BASE = "http://localhost:8787";

describe("worker in workerd", () => {
  it.each([
    ["/rss.xml", "application/rss+xml; charset=utf-8", "<rss version=\"2.0\""],
    ["/atom.xml", "application/atom+xml; charset=utf-8", "<feed xmlns=\"http://www.w3.org/2005/Atom\""],
    ["/feed.json", "application/feed+json; charset=utf-8", "\"version\": \"https://jsonfeed.org/version/1.1\""],
  ])("serves %s", async (path, type, marker) => {
    const res = await exports.default.fetch(BASE + path);
    const body = await res.text();
    expect(res.status, body).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    expect(body).toContain(marker);
    expect(body).toContain("Iran, Azerbaijan chart path to de-escalation as Pezeshkian visits Baku");
    expect(body).not.toContain("DRAFT: summit preview");
  });
});
