// The core and the app inside workerd with content the tests control: bad files are skipped, good ones served.
import { describe, expect, it } from "vitest";
import { parseSettings } from "../../src/core/settings.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { appOver } from "../support/app.ts";

const site = parseSettings({
  SITE_URL: "https://news.example.com",
  SITE_TITLE: "Test",
  SITE_DESCRIPTION: "Test feeds",
  SITE_LANGUAGE: "en",
  SITE_TIMEZONE: "Asia/Baku",
});

const files = {
  "good.md": "---\ntitle: Good <one> & fine\ndate: 2025-04-28 14:10\n---\nBody with <script>x()</script> and [a link](/x).\n",
  "bad-date.md": "---\ntitle: Bad\ndate: 2025-02-30\n---\nx\n",
  "bad-yaml.md": '---\ntitle: "open\ndate: 2025-01-01\n---\nx\n',
  "latin1.md": new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0x0a, 0x2d, 0x2d, 0x2d, 0x0a]),
};

describe("app in workerd", () => {
  it("serves the good article, escaped and sanitised, and logs the bad ones", async () => {
    const logged: string[] = [];
    const app = appOver({
      source: createMemorySource(files),
      site,
      now: () => new Date("2026-01-01T00:00:00Z"),
      log: (m) => logged.push(m),
    });
    const res = await app.request("/rss.xml");
    expect(res.status).toBe(200);
    const rss = await res.text();
    expect(rss).toContain("<title>Good &lt;one&gt; &amp; fine</title>");
    expect(rss).toContain("<pubDate>Mon, 28 Apr 2025 10:10:00 GMT</pubDate>");
    expect(rss).toContain('<a href="https://news.example.com/x">a link</a>');
    expect(rss).not.toContain("<script>");
    expect(logged.join("\n")).toMatch(/bad-date\.md.*not a real calendar date/);
    expect(logged.join("\n")).toMatch(/bad-yaml\.md.*malformed YAML/);
    expect(logged.join("\n")).toMatch(/latin1\.md.*not valid UTF-8/);
  });
});
