// `npm run backup` and `npm run restore` end to end on local D1 and R2 (wrangler's dev server, its own state folder):
// the sample published, an article deleted (its id retired) and a release clock set; exported; the state wiped;
// restored; and a worker on the restored state serves the same feeds, pages and images byte for byte, with every row of
// D1 as it was (what a git-plus-republish restore would lose: docs/backup-and-restore.md).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backup, restore } from "../../src/node/backup.ts";
import { main as publish } from "../../src/node/publish.ts";
import { copySample, type LocalWorker, OFFLINE_ENV, ROOT, startLocalWorker } from "../support/local-worker.ts";

const WRANGLER_JS = join(dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");
const CLOCK = "1767225600000";

/** What readers and crawlers see, byte for byte (documents whose bytes depend on the content only, never on the clock). */
const PATHS = [
  "/rss.xml",
  "/atom.xml",
  "/feed.json",
  "/feeds.opml",
  "/sections/news/rss.xml",
  "/archive/1/atom.xml",
  "/sitemap.xml",
  "/sitemaps/articles-1.xml",
  "/articles/caspian-corridor-analysis",
  "/images/caspian-port.jpg",
  "/images/tehran-metro-line-6.webp",
];

let worker: LocalWorker | undefined;
let dir: string;
let state: string;
const silent = () => {};

async function snapshot(w: LocalWorker): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of PATHS) {
    const res = await w.get(path);
    expect(res.status, path).toBe(200);
    out[path] = Buffer.from(await res.arrayBuffer()).toString("base64");
  }
  return out;
}

/** Every row of every table, as `wrangler d1 export` writes them (the same SQL for the same data). */
async function exported(label: string): Promise<string> {
  const out = join(dir, `export-${label}`);
  await backup(["--out", out, "--local", "--persist-to", state], silent);
  return readFile(join(out, "d1", "DB.sql"), "utf8");
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-feeds-backup-"));
  state = join(dir, "state");
  worker = await startLocalWorker({ dir, state });
  const articles = await copySample(dir);
  const sent = await publish(["--to", worker.url, "--dir", articles], { out: silent, err: silent, env: { PUBLISH_TOKEN: worker.token } });
  expect(sent).toBe(0);
  // A deleted article's id is retired: only D1 remembers it.
  const deleted = await worker.get("/api/articles/2025/05/baku-energy-week.md", {
    method: "DELETE",
    headers: { Authorization: `Bearer ${worker.token}` },
  });
  expect(deleted.status).toBe(200);
  await worker.dispose();
  // The scheduled run's clock, as a run leaves it (wrangler dev runs no cron by itself): only D1 remembers it too.
  await promisify(execFile)(
    process.execPath,
    [
      WRANGLER_JS,
      "d1",
      "execute",
      "DB",
      "--local",
      "--persist-to",
      state,
      "--command",
      `INSERT INTO state (key, value) VALUES ('releases:until', '${CLOCK}')`,
    ],
    { cwd: ROOT, env: { ...process.env, ...OFFLINE_ENV } },
  );
  worker = await startLocalWorker({ dir, state, migrate: false });
}, 180_000);

afterAll(async () => {
  await worker?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe("backup and restore", () => {
  it("export, wipe, restore: the same feeds, pages and images byte for byte, and every D1 row", async () => {
    const before = await snapshot(worker!);
    await worker!.dispose();
    worker = undefined;
    const rowsBefore = await exported("before");
    expect(rowsBefore).toContain('INSERT INTO "retired_ids"');
    expect(rowsBefore).toContain(`INSERT INTO "state" ("key","value") VALUES('releases:until','${CLOCK}');`);

    const lines: string[] = [];
    const manifest = await backup(["--out", join(dir, "backup"), "--local", "--persist-to", state], (l) => lines.push(l));
    expect(manifest.databases).toEqual([{ binding: "DB", file: "d1/DB.sql" }]);
    expect(manifest.images.map((i) => i.path)).toEqual([
      "images/baku-energy-week.jpg",
      "images/caspian-port.jpg",
      "images/pezeshkian-aliyev-baku.jpg",
      "images/tehran-metro-line-6.webp",
    ]);
    expect(lines.at(-1)).toBe(`[backup] done: ${join(dir, "backup")}`);

    await rm(state, { recursive: true, force: true }); // the wipe
    await restore(["--from", join(dir, "backup"), "--local", "--persist-to", state], silent);

    expect(await exported("after")).toBe(rowsBefore);
    worker = await startLocalWorker({ dir, state, migrate: false });
    expect(await snapshot(worker)).toEqual(before);
    expect((await worker.get("/healthz")).status).toBe(200);
  }, 300_000);

  it("refuses a damaged backup before touching anything", async () => {
    const damaged = join(dir, "backup");
    const manifest = JSON.parse(await readFile(join(damaged, "manifest.json"), "utf8")) as { images: { file: string }[] };
    await writeFile(join(damaged, manifest.images[0]!.file), "not the image");
    await expect(restore(["--from", damaged, "--local", "--persist-to", join(dir, "elsewhere")], silent)).rejects.toThrow(/is damaged/);
  });
});
