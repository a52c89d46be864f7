// Golden files: the site's three feeds as /rss.xml, /atom.xml and /feed.json serve them for the fixture articles, byte
// for byte. `UPDATE_GOLDEN=1 npm test` rewrites them.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FORMATS } from "../../src/formats/index.ts";
import { served } from "../support/feeds.ts";
import { GOLDEN_DIR } from "../support/site.ts";

describe("golden feeds", () => {
  it.each(FORMATS.map((f) => [f.file, f] as const))("/%s matches test/golden", async (file) => {
    const actual = await served(`/${file}`);
    const path = join(GOLDEN_DIR, file);
    if (process.env.UPDATE_GOLDEN === "1") await writeFile(path, actual);
    expect(actual).toBe(await readFile(path, "utf8"));
  });

  it.each(FORMATS.map((f) => [f.file, f] as const))("/%s is deterministic: a fresh app serves the same bytes", async (file) => {
    expect(await served(`/${file}`)).toBe(await served(`/${file}`));
  });
});
