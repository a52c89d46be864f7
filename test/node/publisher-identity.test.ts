// Publisher identity (SITE_ICON, SITE_LOGO, SITE_RIGHTS): validated at start, written in every format, read back by
// independent parsers, and absent when unset.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { parseSettings } from "../../src/core/settings.ts";
import { served } from "../support/feeds.ts";
import { feedparser, jsonFeedSchemaErrors, xmllint } from "../support/judges.ts";
import { SITE_INPUT } from "../support/site.ts";

const identity = parseSettings({
  ...SITE_INPUT,
  SITE_ICON: "/images/icon-512.png",
  SITE_LOGO: "https://cdn.example.com/brand/logo.png",
  SITE_RIGHTS: "© 2026 The New Region. All rights reserved.",
});

describe("publisher identity settings", () => {
  it.each([
    { input: "/images/icon.png", url: "https://news.example.com/images/icon.png" },
    { input: "https://cdn.example.com/icon.png", url: "https://cdn.example.com/icon.png" },
    { input: "  ", url: undefined },
  ])("SITE_ICON $input → $url", ({ input, url }) => {
    expect(parseSettings({ ...SITE_INPUT, SITE_ICON: input }).icon).toBe(url);
  });

  it("resolves root-relative paths under a base path", () => {
    const site = parseSettings({ ...SITE_INPUT, SITE_URL: "https://news.example.com/edition", SITE_LOGO: "/logo.png" });
    expect(site.logo).toBe("https://news.example.com/edition/logo.png");
  });

  it.each([
    ["SITE_ICON", "icon.png"],
    ["SITE_ICON", "//cdn.example.com/icon.png"],
    ["SITE_LOGO", "javascript:alert(1)"],
    ["SITE_LOGO", "ftp://example.com/logo.png"],
  ])("%s = %s is refused, naming the setting", (key, value) => {
    const attempt = () => parseSettings({ ...SITE_INPUT, [key]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(key));
  });
});

describe("publisher identity in the feeds", () => {
  it("RSS has image (title and link of the channel) and copyright, read by feedparser and valid XML", async () => {
    const body = await served("/rss.xml", identity);
    expect(xmllint(body)).toBe("");
    const parsed = feedparser(body);
    expect(parsed.bozo, parsed.bozo_exception).toBe(false);
    expect(parsed.feed.image).toBe("https://cdn.example.com/brand/logo.png");
    expect(parsed.feed.rights).toBe(identity.rights);
    expect(body).toContain("<title>The New Region</title>\n      <link>https://news.example.com/</link>\n    </image>");
  });

  it("Atom has icon, logo and rights, read by feedparser", async () => {
    const parsed = feedparser(await served("/atom.xml", identity));
    expect(parsed.bozo, parsed.bozo_exception).toBe(false);
    expect(parsed.feed.icon).toBe("https://news.example.com/images/icon-512.png");
    expect(parsed.feed.logo).toBe("https://cdn.example.com/brand/logo.png");
    expect(parsed.feed.rights).toBe(identity.rights);
  });

  it("JSON Feed has icon and favicon and still passes the 1.1 schema", async () => {
    const doc = JSON.parse(await served("/feed.json", identity));
    expect(jsonFeedSchemaErrors(doc)).toEqual([]);
    expect(doc.icon).toBe("https://news.example.com/images/icon-512.png");
    expect(doc.favicon).toBe("https://news.example.com/images/icon-512.png");
  });

  it("is left out entirely when unset", async () => {
    const rss = await served("/rss.xml");
    const atom = await served("/atom.xml");
    const json = JSON.parse(await served("/feed.json"));
    expect(rss).not.toMatch(/<image>|<copyright>/);
    expect(atom).not.toMatch(/<icon>|<logo>|<rights/);
    expect(json).not.toHaveProperty("icon");
    expect(json).not.toHaveProperty("favicon");
  });

  it("changes the ETag when set (it shapes the bytes)", async () => {
    const { fixtureApp } = await import("../support/feeds.ts");
    const tag = async (settings?: typeof identity) =>
      (await fixtureApp(settings).request("https://news.example.com/rss.xml")).headers.get("etag");
    expect(await tag(identity)).not.toBe(await tag());
  });
});
