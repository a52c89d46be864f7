// Golden files: the three feeds of the fixture articles, byte for byte. `UPDATE_GOLDEN=1 npm test` rewrites them.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Feed } from "../../src/core/model.ts";
import { FORMATS } from "../../src/formats/index.ts";
import { fixtureFeed } from "../support/feeds.ts";
import { GOLDEN_DIR } from "../support/site.ts";

let feed: Feed;
beforeAll(async () => {
  feed = await fixtureFeed();
});

describe("golden feeds", () => {
  it.each(FORMATS.map((f) => [f.file, f] as const))("%s matches test/golden", async (file, format) => {
    const actual = format.render(feed);
    const path = join(GOLDEN_DIR, file);
    if (process.env.UPDATE_GOLDEN === "1") await writeFile(path, actual);
    expect(actual).toBe(await readFile(path, "utf8"));
  });

  it.each(FORMATS.map((f) => [f.file, f] as const))("%s is deterministic: same input, same bytes", async (_file, format) => {
    const again = await fixtureFeed();
    expect(format.render(again)).toBe(format.render(feed));
  });
});
