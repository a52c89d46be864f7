// Issue 20's "done when", for the importer: a generated WordPress export of a few hundred posts with real exports'
// quirks imports, passes `npm run check`, is published through the publish API into a local worker (workerd, local D1
// and R2), and every served feed page carries the WordPress guids. (Old permalinks answering 301 come later.)
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "../../src/core/content.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { main as importMain } from "../../src/node/import.ts";
import { readSettings } from "../../src/node/options.ts";
import { main as publish } from "../../src/node/publish.ts";
import { generateExport } from "../support/generated-export.ts";
import { snapshot } from "../support/import-run.ts";
import { feedparser } from "../support/judges.ts";
import { type LocalWorker, ROOT, startLocalWorker } from "../support/local-worker.ts";
import { OLD_SITE } from "../support/wxr-builder.ts";

const SIZE = 300;
const generated = generateExport(SIZE);

let root: string;
let out: string;
let wxr: string;
let uploads: string;
let worker: LocalWorker | undefined;

/** The importer as `npm run import` runs it, with the project's own wrangler.toml (the local worker's settings). */
async function runImport(): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await importMain(
    [wxr, "--out", out, "--images", uploads, "--offline", "--timezone", "Asia/Tehran", "--config", join(ROOT, "wrangler.toml")],
    { write: (t: string) => (stdout += t) },
    { write: (t: string) => (stderr += t) },
  );
  return { code, stdout, stderr };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "edge-feeds-import-archive-"));
  out = join(root, "articles");
  wxr = join(root, "export.xml");
  uploads = join(root, "uploads");
  await writeFile(wxr, generated.wxr);
  for (const [path, bytes] of Object.entries(generated.uploads)) {
    await mkdir(dirname(join(uploads, path)), { recursive: true });
    await writeFile(join(uploads, path), bytes);
  }
});
afterAll(async () => {
  await worker?.dispose();
  await rm(root, { recursive: true, force: true });
}, 60_000);

describe(`a generated export of ${SIZE} posts`, () => {
  const posts = generated.posts.filter((p) => (p.type ?? "post") === "post");
  const published = posts.filter((p) => p.status === "publish");
  let first: Awaited<ReturnType<typeof runImport>>;

  it("imports every post, with a warning for each image and shortcode it could not keep", async () => {
    first = await runImport();
    expect(first.code, first.stderr.slice(0, 2000)).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(`1 input\\(s\\), ${posts.length} post\\(s\\): ${posts.length} written, 0 unchanged, 0 kept as they were, 0 not imported`),
    );
    expect(first.stdout).toMatch(/skipped: 1 pages/);
    expect(first.stdout).toMatch(/check: ok/);
    const warnings = first.stderr.split("\n").filter((l) => l.startsWith("warning:"));
    // Every 10th post's featured image is missing from the uploads folder; every 17th names an attachment not exported.
    expect(warnings.filter((l) => /photo-\d+1\.png kept as a remote image: not found locally/.test(l))).toHaveLength(
      posts.filter((_, i) => (i + 1) % 10 === 0).length,
    );
    expect(warnings.filter((l) => /featured image \(attachment 999999\), which is not in the export/.test(l)).length).toBeGreaterThan(0);
    expect(warnings.filter((l) => /\[contact-form-7\] is a WordPress shortcode/.test(l))).toHaveLength(
      posts.filter((_, i) => (i + 1) % 13 === 0).length,
    );
    expect(first.stderr).not.toMatch(/^error:/m);
  }, 120_000);

  it("changes nothing when imported again", async () => {
    const before = await snapshot(out);
    const again = await runImport();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`0 written, ${posts.length} unchanged`));
    expect(await snapshot(out)).toEqual(before);
  }, 120_000);

  it("is one valid archive: every post an article, the drafts and private posts drafts, the old permalinks aliases", async () => {
    const content = await loadContent(createDirectorySource(out), await readSettings(join(ROOT, "wrangler.toml")));
    expect(content.issues).toEqual([]);
    expect(content.fileCount).toBe(posts.length);
    expect(content.drafts.length).toBe(posts.filter((p) => p.status === "draft" || p.status === "private").length);
    const ids = new Set(content.records.map((r) => r.id));
    for (const p of published) expect(ids.has(`${OLD_SITE}/?p=${p.id}`), `post ${p.id}`).toBe(true);
    const aliases = content.records.flatMap((r) => r.aliases ?? []);
    expect(new Set(aliases).size).toBe(aliases.length);
  });

  it("publishes into a local worker, whose feed pages carry each published post's guid exactly once", async () => {
    worker = await startLocalWorker();
    let err = "";
    const code = await publish(["--to", worker.url, "--dir", out], {
      out: () => {},
      err: (t: string) => {
        err += t;
      },
      env: { PUBLISH_TOKEN: worker.token },
    });
    expect(code, err).toBe(0);
    // From the feed back through every archive page (RFC 5005), as a reader catching up would.
    const seen: string[] = [];
    let next: string | undefined = `${worker.url}/rss.xml`;
    for (let pages = 0; next && pages < 50; pages++) {
      const xml: string = await (await fetch(next)).text();
      const parsed = feedparser(xml);
      expect(parsed.bozo, next).toBe(false);
      seen.push(...parsed.entries.map((e) => e.id));
      const prev = parsed.feed.links.find((l) => l.rel === "prev-archive")?.href;
      next = prev ? `${worker.url}${new URL(prev).pathname}` : undefined;
    }
    const archive = [...new Set(seen)].sort();
    expect(archive).toEqual(published.map((p) => `${OLD_SITE}/?p=${p.id}`).sort());
  }, 240_000);
});
