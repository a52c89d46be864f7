// Golden files for feeds only the HTTP layer plans: a section feed (with a WebSub hub) and a full archive page, per
// format, byte for byte; and the independent judges' view of them. `UPDATE_GOLDEN=1 npm test` rewrites them.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSettings } from "../../src/core/settings.ts";
import { FORMATS } from "../../src/formats/index.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { appOver } from "../support/app.ts";
import { feedparser, jsonFeedSchemaErrors, xmllint } from "../support/judges.ts";
import { FIXTURE_DIR, GOLDEN_DIR, NOW, SITE_INPUT } from "../support/site.ts";

const site = parseSettings({ ...SITE_INPUT, ARCHIVE_ITEMS: "2", WEBSUB_HUB: "https://hub.example.com/" });
const app = appOver({ source: createDirectorySource(FIXTURE_DIR), site, now: () => NOW, log: () => {} });

const CASES = FORMATS.flatMap((format) => [
  { path: `/sections/news/${format.file}`, golden: `section-news.${format.file}`, format },
  { path: `/archive/2/${format.file}`, golden: `archive-2.${format.file}`, format },
]);

describe("golden HTTP feeds", () => {
  it.each(CASES)("$path matches test/golden/$golden", async ({ path, golden }) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    const actual = await res.text();
    const file = join(GOLDEN_DIR, golden);
    if (process.env.UPDATE_GOLDEN === "1") await writeFile(file, actual);
    expect(actual).toBe(await readFile(file, "utf8"));
  });

  it.each(CASES)("$path satisfies the independent judges", async ({ path, format }) => {
    const body = await (await app.request(path)).text();
    if (format.id === "json") {
      expect(jsonFeedSchemaErrors(JSON.parse(body))).toEqual([]);
      return;
    }
    expect(xmllint(body)).toBe("");
    const parsed = feedparser(body);
    expect(parsed.bozo, parsed.bozo_exception).toBe(false);
    const rels = parsed.feed.links.map((l) => l.rel);
    if (path.startsWith("/archive/")) expect(rels).toEqual(expect.arrayContaining(["self", "current", "prev-archive", "next-archive"]));
    else expect(rels).toEqual(expect.arrayContaining(["self", "hub"]));
    expect(parsed.entries.length).toBeGreaterThan(0);
  });
});
