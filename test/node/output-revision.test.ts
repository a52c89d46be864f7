// Guards the ETag promise across deploys: when a golden output changes, OUTPUT_REVISION (part of every ETag) must be
// bumped, or readers holding the old bytes would keep getting 304s for them. A new golden file (a new variant's bytes)
// changes no output readers already hold, so it needs no bump. `UPDATE_GOLDEN=1` records the new state.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { hashText } from "../../src/core/hash.ts";
import { OUTPUT_REVISION } from "../../src/formats/index.ts";
import { GOLDEN_DIR } from "../support/site.ts";

const RECORD = join(GOLDEN_DIR, "..", "output-revision.json");

it("OUTPUT_REVISION is bumped whenever a golden output changes", async () => {
  const files = (await readdir(GOLDEN_DIR)).sort();
  const goldens = Object.fromEntries(await Promise.all(files.map(async (f) => [f, hashText(await readFile(join(GOLDEN_DIR, f), "utf8"))])));
  const recorded = JSON.parse(await readFile(RECORD, "utf8")) as { revision: number; goldens: Record<string, string> };
  // Files recorded before whose bytes changed, or that are gone: outputs readers may hold.
  const changed = Object.keys(recorded.goldens).filter((f) => goldens[f] !== recorded.goldens[f]);
  if (process.env.UPDATE_GOLDEN === "1" && JSON.stringify(goldens) !== JSON.stringify(recorded.goldens)) {
    if (changed.length) {
      expect(OUTPUT_REVISION, `${changed.join(", ")} changed: bump OUTPUT_REVISION in src/formats/index.ts`).toBeGreaterThan(
        recorded.revision,
      );
    }
    await writeFile(RECORD, JSON.stringify({ revision: OUTPUT_REVISION, goldens }, null, 2) + "\n");
    return;
  }
  expect(changed, "golden files changed without recording: run UPDATE_GOLDEN=1 npm test").toEqual([]);
  expect(goldens, "new golden files not recorded: run UPDATE_GOLDEN=1 npm test").toEqual(recorded.goldens);
  expect(OUTPUT_REVISION).toBe(recorded.revision);
});
