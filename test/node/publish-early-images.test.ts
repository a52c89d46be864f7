// Images go while the articles are still being checked, so the worker stores them in the meantime: only when nothing
// the check finds can change what the run removes, never past the deletion guard, never in a dry run or an
// --all-or-nothing run, and each image once. The client runs in process against a worker that only records requests.
import { describe, expect, it } from "vitest";
import type { ManifestEntry } from "../../src/core/publishing.ts";
import { PublishClientError } from "../../src/node/publish.ts";
import { folder, run } from "../support/fake-publish-worker.ts";
import { png } from "../support/image-bytes.ts";
import { site } from "../support/site.ts";

const article = (title: string, extra = "") => `---\ntitle: ${title}\ndate: 2025-05-01 10:00\n${extra}---\nBody.\n`;

const storedImages = (n: number): ManifestEntry[] =>
  Array.from({ length: n }, (_, i) => ({ path: `images/old-${i}.png`, kind: "image", hash: `h${i}` }));

describe("images sent while the articles are checked", () => {
  it("sends every image once, before any article", async () => {
    const dir = await folder({
      "images/a.png": png(4, 3),
      "images/b.png": png(2, 2),
      "2025/a.md": article("A", "image: /images/a.png\n"),
      "2025/b.md": article("B"),
    });
    const { outcome, batches } = await run(dir, []);
    const report = await outcome;
    expect(report.refused).toEqual([]);
    const sent = batches.flat();
    expect(sent.filter((p) => p.startsWith("images/")).sort()).toEqual(["images/a.png", "images/b.png"]);
    expect(sent.sort()).toEqual(["2025/a.md", "2025/b.md", "images/a.png", "images/b.png"]);
    const firstArticle = batches.findIndex((b) => b.some((p) => p.endsWith(".md")));
    const lastImage = batches.findLastIndex((b) => b.some((p) => p.startsWith("images/")));
    expect(lastImage).toBeLessThan(firstArticle);
  });

  it("sends nothing when the deletion guard refuses the run", async () => {
    const dir = await folder({ "images/new.png": png(4, 3), "2025/a.md": article("A", "image: /images/new.png\n") });
    const { outcome, batches } = await run(dir, storedImages(30));
    await expect(outcome).rejects.toThrow(PublishClientError);
    await expect(outcome).rejects.toThrow(/refusing to remove 30 of the 30 stored files/);
    expect(batches).toEqual([]);
  });

  it.each([
    { name: "a dry run", extra: { dryRun: true } },
    { name: "an --all-or-nothing run the check refuses", extra: { allOrNothing: true } },
  ])("sends nothing in $name", async ({ extra }) => {
    const dir = await folder({
      "images/new.png": png(4, 3),
      "2025/a.md": article("A"),
      "2025/broken.md": "---\ndate: 2025-05-01\n---\nx\n",
    });
    const { outcome, batches, output } = await run(dir, [], extra);
    const report = await outcome;
    expect(batches).toEqual([]);
    expect(output()).toMatch(extra.dryRun ? /would .*1 /s : /nothing was published \(--all-or-nothing\)/);
    expect(report.refused).toContain("2025/broken.md");
  });

  it("waits for the check when a stored article is gone (it may be renamed), then sends the image once", async () => {
    const dir = await folder({ "images/new.png": png(4, 3), "2025/renamed.md": article("A", "slug: a\n") });
    const manifest: ManifestEntry[] = [
      { path: "2025/a.md", kind: "article", hash: "old", slug: "a", id: `${site.url}/articles/a`, published: "2025-05-01T10:00:00.000Z" },
    ];
    const { outcome, batches } = await run(dir, manifest);
    expect((await outcome).refused).toEqual([]);
    expect(batches.flat().filter((p) => p === "images/new.png")).toHaveLength(1);
    expect(batches.flat()).toContain("2025/renamed.md");
  });
});
