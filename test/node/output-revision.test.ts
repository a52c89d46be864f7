// Guards the ETag promise across deploys: when the golden outputs change, OUTPUT_REVISION (part of every ETag) must be
// bumped, or readers holding the old bytes would keep getting 304s for them. `UPDATE_GOLDEN=1` records the new state.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { hashText } from "../../src/core/hash.ts";
import { OUTPUT_REVISION } from "../../src/formats/index.ts";
import { GOLDEN_DIR } from "../support/site.ts";

const RECORD = join(GOLDEN_DIR, "..", "output-revision.json");

it("OUTPUT_REVISION is bumped whenever the golden outputs change", async () => {
  const files = (await readdir(GOLDEN_DIR)).sort();
  const hash = hashText((await Promise.all(files.map(async (f) => `${f}\n${await readFile(join(GOLDEN_DIR, f), "utf8")}`))).join("\n"));
  const recorded = JSON.parse(await readFile(RECORD, "utf8")) as { revision: number; goldens: string };
  if (process.env.UPDATE_GOLDEN === "1" && hash !== recorded.goldens) {
    expect(OUTPUT_REVISION, "the goldens changed: bump OUTPUT_REVISION in src/formats/index.ts").toBeGreaterThan(recorded.revision);
    await writeFile(RECORD, JSON.stringify({ revision: OUTPUT_REVISION, goldens: hash }, null, 2) + "\n");
    return;
  }
  expect(recorded.goldens, "golden files changed without recording: run UPDATE_GOLDEN=1 npm test").toBe(hash);
  expect(OUTPUT_REVISION).toBe(recorded.revision);
});
