// Images go while the articles are still being checked, so the worker stores them in the meantime: only when nothing
// the check finds can change what the run removes, never past the deletion guard, never in a dry run or an
// --all-or-nothing run, and each image once. The client runs in process against a worker that only records requests.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BATCH_CONTROL, type ManifestEntry } from "../../src/core/publishing.ts";
import { PublishClientError, publishFolder } from "../../src/node/publish.ts";
import { png } from "../support/image-bytes.ts";
import { site } from "../support/site.ts";

const article = (title: string, extra = "") => `---\ntitle: ${title}\ndate: 2025-05-01 10:00\n${extra}---\nBody.\n`;

let dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  dirs = [];
});

async function folder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "early-images-"));
  dirs.push(dir);
  for (const [path, value] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), value);
  }
  return dir;
}

/** A worker that stores nothing: it answers the manifest given and takes every file; each batch's paths are kept. */
function recorder(manifest: ManifestEntry[]) {
  const batches: string[][] = [];
  const fetch = (async (url: string | URL, init?: RequestInit) => {
    const { pathname } = new URL(String(url));
    if (pathname === "/api/manifest") return Response.json({ entries: manifest, next: null });
    const paths = [...(init!.body as FormData).keys()].filter((k) => k !== BATCH_CONTROL);
    batches.push(paths);
    return Response.json({ results: paths.map((path) => ({ path, status: 201, result: "created" })) });
  }) as typeof globalThis.fetch;
  return { fetch, batches };
}

async function run(dir: string, manifest: ManifestEntry[], extra: { dryRun?: boolean; allOrNothing?: boolean } = {}) {
  const worker = recorder(manifest);
  const lines: string[] = [];
  const write = (text: string) => void lines.push(text);
  const outcome = publishFolder({
    to: "http://worker.test",
    dir,
    token: "t",
    site,
    ...extra,
    out: write,
    err: write,
    api: { fetch: worker.fetch, sleep: async () => {} },
  });
  return { outcome, batches: worker.batches, output: () => lines.join("") };
}

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
