// `npm run export` writes byte for byte what /rss.xml, /atom.xml and /feed.json serve at the same instant: one plan,
// one set of renderers, for files and for HTTP alike.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { FORMATS } from "../../src/formats/index.ts";
import { served } from "../support/feeds.ts";
import { FIXTURE_DIR, GOLDEN_DIR, NOW, SITE_INPUT } from "../support/site.ts";

const run = promisify(execFile);
const out = await mkdtemp(join(tmpdir(), "edge-feeds-export-"));
afterAll(() => rm(out, { recursive: true, force: true }));

describe("npm run export", () => {
  it("writes the served feeds, which are the goldens", async () => {
    const vars = Object.entries(SITE_INPUT).flatMap(([key, value]) => ["--var", `${key}=${value}`]);
    const { stdout } = await run("node", [
      "src/node/cli.ts",
      "export",
      "--dir",
      FIXTURE_DIR,
      ...vars,
      "--now",
      NOW.toISOString(),
      "--out",
      out,
    ]);
    expect(stdout).toMatch(/wrote rss\.xml, atom\.xml, feed\.json \(5 items\)/);
    for (const format of FORMATS) {
      const exported = await readFile(join(out, format.file), "utf8");
      expect(exported, format.file).toBe(await served(`/${format.file}`));
      expect(exported, format.file).toBe(await readFile(join(GOLDEN_DIR, format.file), "utf8"));
    }
  });
});
