// The benchmark's importer, end to end on a small archive: the deployed bundle under wrangler's Miniflare with local
// D1 and R2 (bench/harness.ts), every file sent through POST /api/batch oldest first, then served. Keeps the bench
// runnable; its figures come from `npm run bench`, never from a test.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { archiveSpec, ensureArchive } from "../../bench/archives.ts";
import { buildWorker, startWorker } from "../../bench/harness.ts";

const root = await mkdtemp(join(tmpdir(), "edge-feeds-bench-"));
afterAll(() => rm(root, { recursive: true, force: true }));

describe("bench importer", () => {
  it("imports an archive through the batch route, oldest first, and the worker serves every article", async () => {
    const built = await buildWorker("import", undefined, join(root, "build"));
    const spec = archiveSpec(75, root);
    const lines: string[] = [];
    const stamp = await ensureArchive(spec, { port: 0, log: (l) => void lines.push(l), built });
    expect(stamp).toMatchObject({ complete: true, importedArticles: 75, importedImages: 19 });
    // Stored and stamped: a second call reuses it without importing.
    expect(await ensureArchive(spec, { port: 0, log: (l) => void lines.push(l), built })).toEqual(stamp);
    expect(lines.filter((l) => l.startsWith("importing"))).toHaveLength(1);
    expect(JSON.parse(await readFile(join(spec.dir, "archive.json"), "utf8"))).toEqual(stamp);

    const worker = await startWorker({ name: "bench-import-test", port: 0, script: built.script, state: spec.dir });
    try {
      const home = await (await fetch(`${worker.url}/rss.xml`)).text();
      expect(home.match(/<item>/g)).toHaveLength(20);
      // Archive page 1 holds the 50 oldest articles; the newest (article 0) opens the home feed.
      const oldest = await (await fetch(`${worker.url}/archive/1/rss.xml`)).text();
      expect(oldest.match(/<item>/g)).toHaveLength(50);
      expect(oldest).toContain("-74</link>");
      expect(home.indexOf("-0</link>")).toBeLessThan(home.indexOf("-1</link>"));
    } finally {
      await worker.stop();
    }
  });
});
