// `npm run publish` itself (the command, its output and exit code) against a real local worker (wrangler's dev server:
// workerd with local D1 and R2): per-file outcomes (every good file served, each bad one named, a published file that
// is broken now kept at its last good version, dependants of a refused authors.yaml held back, a broken rename target
// keeping the old article), retries through a proxy that answers 503, the rendered-size budget at the API, a rename
// keeping its guid with a 301 from its old URL, a deleted article's 410, a publish whose base changed underneath it
// answered 412 and named, and the deletion guard (an empty folder refused with the count, then confirmed).
import { execFile } from "node:child_process";
import { copyFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedparser } from "../support/judges.ts";
import { copySample, countSampleFiles, type LocalWorker, ROOT, startLocalWorker } from "../support/local-worker.ts";

let worker: LocalWorker;
let dir: string;

beforeAll(async () => {
  worker = await startLocalWorker();
  dir = await copySample(worker.dir);
}, 120_000);

afterAll(async () => {
  await worker?.dispose();
}, 60_000);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run publish -- --dir DIR --to URL …` as a newsroom runs it (no terminal: the concise output). */
function npmPublish(args: readonly string[], to = worker.url, folder = dir): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      "npm",
      ["run", "--silent", "publish", "--", "--to", to, "--dir", folder, ...args],
      { cwd: ROOT, env: { ...process.env, PUBLISH_TOKEN: worker.token }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const write = (path: string, text: string) => writeFile(join(dir, path), text);
const text = async (path: string) => (await worker.get(path)).text();
const article = (title: string, extra = "") => `---\ntitle: ${title}\ndate: 2025-05-20 10:00\n${extra}---\nA body.\n`;

describe("npm run publish, file by file", () => {
  it("publishes the sample", async () => {
    const run = await npmPublish([]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`published to ${worker.url}: ${await countSampleFiles()} created in [\\d.]+ s\\n$`));
    expect((await text("/rss.xml")).match(/<item>/g)).toHaveLength(4);
  }, 60_000);

  it("publishes every good file, names each bad one, keeps what was published, and exits 1", async () => {
    const analysis = "2025/05/caspian-corridor-analysis.md";
    const original = await readFile(join(dir, analysis), "utf8");
    const oldTitle = /^title: "?(.*?)"?$/m.exec(original)![1]!;
    // A published file broken now (its title gone), a new good file, a new bad one, and a published file moved to a
    // new name where it is broken (an impossible date): the old name must stay served.
    await write(analysis, original.replace(/^title: .*\n/m, ""));
    await write("2025/05/good-news.md", article("Good news beside broken files"));
    await write("2025/05/bad-news.md", article("Bad news", "updated: 2020-01-01\n"));
    await mkdir(join(dir, "2026"), { recursive: true });
    const moved = await readFile(join(dir, "2025/04/iran-azerbaijan-de-escalation.md"), "utf8");
    await rm(join(dir, "2025/04/iran-azerbaijan-de-escalation.md"));
    await write("2026/iran-azerbaijan-de-escalation.md", moved.replace(/^date: .*$/m, "date: 2025-02-30"));

    const run = await npmPublish([]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("created  2025/05/good-news.md\n");
    expect(run.stdout).toMatch(/^published to .*: 1 created in [\d.]+ s$/m);
    // Each bad file named with its problems, as npm run check prints them.
    expect(run.stderr).toMatch(new RegExp(`^error: ${analysis} \\[title\\]: nothing \\(the field is missing\\)`, "m"));
    expect(run.stderr).toMatch(/^error: 2025\/05\/bad-news\.md:4 \[updated\]: a time before `date`/m);
    expect(run.stderr).toMatch(/^error: 2026\/iran-azerbaijan-de-escalation\.md:3 \[date\]: "2025-02-30"/m);
    const outcomes = run.stderr.split("\n").filter((l) => /^(kept|not published)/.test(l));
    expect(outcomes.sort()).toEqual(
      [
        `kept the published version of ${analysis}: refused by the check (its problems are listed above)`,
        "not published: 2025/05/bad-news.md: refused by the check (its problems are listed above)",
        "not published: 2026/iran-azerbaijan-de-escalation.md: refused by the check (its problems are listed above); " +
          "kept the published version of 2025/04/iran-azerbaijan-de-escalation.md, which it renames",
      ].sort(),
    );
    expect(run.stderr).toContain("3 file(s) not published as they are in the folder: fix them and publish again.\n");

    const feed = await text("/rss.xml");
    expect(feed).toContain("Good news beside broken files");
    expect(feed).toContain(oldTitle);
    expect(feed).not.toContain("Bad news");
    expect((await worker.get("/articles/iran-azerbaijan-de-escalation")).status).toBe(200);

    // Fixed: everything goes, and the moved file is one article renamed.
    await write(analysis, original);
    await rm(join(dir, "2025/05/bad-news.md"));
    await write("2026/iran-azerbaijan-de-escalation.md", moved);
    const fixed = await npmPublish([]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain("renamed  2025/04/iran-azerbaijan-de-escalation.md → 2026/iran-azerbaijan-de-escalation.md\n");
    // The analysis as the folder has it again is what stayed published: nothing to send.
    expect(fixed.stdout).not.toContain("caspian-corridor-analysis");
  }, 60_000);

  it("keeps a broken authors.yaml and holds back the changed articles that name its authors; the rest go", async () => {
    const authors = await readFile(join(dir, "authors.yaml"), "utf8");
    await write("authors.yaml", authors.replace("sara.ahmadi@example.com", "not-an-email"));
    await write("2025/05/by-sara.md", article("By Sara, while authors.yaml is broken", "author: sara-ahmadi\n"));
    await write("2025/05/by-wire.md", article("From the wire, while authors.yaml is broken", "author: Wire Service\n"));
    const run = await npmPublish([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: authors\.yaml:\d+ \[sara-ahmadi\.email\]: "not-an-email"/m);
    expect(run.stderr).toContain("kept the published version of authors.yaml: refused by the check (its problems are listed above)\n");
    expect(run.stderr).toContain(
      `not published: 2025/05/by-sara.md: held back, as it names "sara-ahmadi" of authors.yaml, which is refused\n`,
    );
    expect(run.stdout).toContain("created  2025/05/by-wire.md\n");
    const feed = await text("/rss.xml");
    expect(feed).toContain("From the wire");
    expect(feed).not.toContain("By Sara, while");

    await write("authors.yaml", authors);
    const fixed = await npmPublish([]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain("created  2025/05/by-sara.md\n");
    await rm(join(dir, "2025/05/by-sara.md"));
    await rm(join(dir, "2025/05/by-wire.md"));
    expect((await npmPublish([])).code).toBe(0);
  }, 60_000);

  it("retries a batch the worker answers 503 (Retry-After honoured), then publishes", async () => {
    const proxy = await startProxy(worker.url, 2);
    try {
      await write("2025/05/through-a-flaky-link.md", article("Through a flaky link"));
      const run = await npmPublish([], proxy.url);
      expect(run.code, run.stderr).toBe(0);
      expect(proxy.failed).toBe(2);
      expect(run.stderr).toMatch(/^retrying 2025\/05\/through-a-flaky-link\.md in 0\.0 s \(attempt 2\): 503 D1 is busy \(a test proxy\)$/m);
      expect(run.stderr).toMatch(/^retrying 2025\/05\/through-a-flaky-link\.md in 0\.0 s \(attempt 3\): 503/m);
      expect(run.stdout).toContain("created  2025/05/through-a-flaky-link.md\n");
      expect(await text("/rss.xml")).toContain("Through a flaky link");
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it("names the files it could not send when the worker keeps failing, and exits 1", async () => {
    const proxy = await startProxy(worker.url, Number.POSITIVE_INFINITY);
    try {
      await write("2025/05/never-arrives.md", article("Never arrives"));
      const run = await npmPublish([], proxy.url);
      expect(run.code).toBe(1);
      expect(proxy.failed).toBe(5);
      expect(run.stderr).toContain("not published: 2025/05/never-arrives.md: not sent: 503 D1 is busy (a test proxy) (after 5 attempts)\n");
      expect(await text("/rss.xml")).not.toContain("Never arrives");
    } finally {
      await proxy.close();
      await rm(join(dir, "2025/05/never-arrives.md"));
    }
  }, 60_000);

  it("refuses the issue's 200 KB repeated-footnote body at the API with the check's message (422, not 500)", async () => {
    const body = `---\ntitle: Notes\ndate: 2025-05-01\n---\n\nIntro.\n\nText${"[^1]".repeat(50_000)}\n\n[^1]: The note.\n`;
    const res = await worker.get("/api/articles/2025/05/footnotes.md", {
      method: "PUT",
      headers: { Authorization: `Bearer ${worker.token}` },
      body,
    });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { issues: { line: number; field: string; found: string }[] };
    expect(problem.issues).toEqual([
      expect.objectContaining({
        line: 8,
        field: "body",
        found: expect.stringMatching(/^markdown that renders to more than 1 MiB of HTML; this line alone/),
      }),
    ]);
  }, 60_000);

  it("publishes a file whose name is not ASCII, at the slug its NFC name gives", async () => {
    await write("2025/05/caf\u0065\u0301-society.md", article("The café society"));
    const run = await npmPublish([]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("created  2025/05/cafe\u0301-society.md\n");
    expect((await worker.get(`/articles/${encodeURIComponent("caf\u00e9-society")}`)).status).toBe(200);
    await rm(join(dir, "2025/05/caf\u0065\u0301-society.md"));
    expect((await npmPublish([])).code).toBe(0);
  }, 60_000);

  it("renames a moved file: readers see the same guid (feedparser), and its old URL answers 301 to the new one", async () => {
    await write("2025/05/a-story-that-moves.md", article("A story that moves"));
    expect((await npmPublish([])).code).toBe(0);
    const guidOf = async () => feedparser(await text("/rss.xml")).entries.find((e) => e.title === "A story that moves")?.id;
    const before = await guidOf();
    expect(before).toBe("http://localhost:8787/articles/a-story-that-moves");

    // Moved to a new folder and a new name (the name gives the slug): the same text tells the same article.
    await mkdir(join(dir, "2026"), { recursive: true });
    await rename(join(dir, "2025/05/a-story-that-moves.md"), join(dir, "2026/the-story-moved.md"));
    const dry = await npmPublish(["--dry-run"]);
    // Warned of before anything would be sent, in a dry run too.
    expect(dry.stderr).toContain(
      "warning: 2026/the-story-moved.md: its public URL moves from /articles/a-story-that-moves to /articles/the-story-moved " +
        "(renamed from 2025/05/a-story-that-moves.md); the old URL answers 301 to the new one",
    );
    expect(dry.stdout).toContain(
      "would rename 2025/05/a-story-that-moves.md → 2026/the-story-moved.md (its URL moves: /articles/a-story-that-moves → /articles/the-story-moved)\n",
    );
    const moved = await npmPublish([]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toContain(
      "renamed  2025/05/a-story-that-moves.md → 2026/the-story-moved.md (its URL moves: /articles/a-story-that-moves → /articles/the-story-moved)\n",
    );
    expect(await guidOf()).toBe(before);
    expect(feedparser(await text("/rss.xml")).entries.filter((e) => e.title === "A story that moves")).toHaveLength(1);
    const old = await worker.get("/articles/a-story-that-moves", { redirect: "manual" });
    expect(old.status).toBe(301);
    expect(old.headers.get("Location")).toBe("http://localhost:8787/articles/the-story-moved");
    expect((await worker.get("/articles/the-story-moved")).status).toBe(200);

    // Deleted: its URL, and the one it had before, are gone for good.
    await rm(join(dir, "2026/the-story-moved.md"));
    const deleted = await npmPublish([]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain("deleted  2026/the-story-moved.md\n");
    for (const path of ["/articles/the-story-moved", "/articles/a-story-that-moves"]) {
      const res = await worker.get(path, { redirect: "manual" });
      expect(res.status, path).toBe(410);
      expect(res.headers.get("Content-Type"), path).toBe("application/problem+json");
    }
  }, 120_000);

  it("warns, in npm run check --against and in npm run publish, of every change that moves or removes a public URL", async () => {
    const check = (args: readonly string[] = ["--against", worker.url]) =>
      new Promise<Run>((resolve) => {
        execFile(
          "npm",
          ["run", "--silent", "check", "--", "--dir", dir, ...args],
          { cwd: ROOT, env: { ...process.env, PUBLISH_TOKEN: worker.token } },
          (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const urlLines = (text: string) => text.split("\n").filter((l) => /public URL|gone from the folder|is new and/.test(l));
    await write("2025/05/re-slugged.md", article("Re-slugged"));
    await write("2025/05/moved-as-is.md", article("Moved as it is"));
    await write("2025/05/leaving.md", article("Leaving"));
    await write("2025/05/moved-and-edited.md", `---\ntitle: Moved and edited\ndate: 2025-05-21 08:00\n---\nFirst text.\n`);
    expect((await npmPublish([])).code).toBe(0);
    const quiet = await check();
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(urlLines(quiet.stderr)).toEqual([]);

    // A re-slug, a file renamed without slug or id (its name gives the slug), a deletion, a file moved and edited.
    await write("2025/05/re-slugged.md", article("Re-slugged", "slug: a-new-slug\n"));
    await rename(join(dir, "2025/05/moved-as-is.md"), join(dir, "2025/05/now-elsewhere.md"));
    await rm(join(dir, "2025/05/leaving.md"));
    await rm(join(dir, "2025/05/moved-and-edited.md"));
    await write("2025/05/edited-elsewhere.md", `---\ntitle: Moved and edited\ndate: 2025-05-21 08:00\n---\nSecond text.\n`);
    const expected = [
      "warning: 2025/05/now-elsewhere.md: its public URL moves from /articles/moved-as-is to /articles/now-elsewhere (renamed from " +
        "2025/05/moved-as-is.md); the old URL answers 301 to the new one and readers keep its id, but links and search results " +
        "point at the old one: to keep its URL, give it `slug: moved-as-is`",
      "warning: 2025/05/re-slugged.md: its public URL moves from /articles/re-slugged to /articles/a-new-slug; the old URL " +
        "answers 301 to the new one and readers keep its id, but links and search results point at the old one: to keep its " +
        "URL, give it `slug: re-slugged`",
      "warning: 2025/05/edited-elsewhere.md is new and 2025/05/moved-and-edited.md is removed, both of the same date: if it is " +
        "that article moved and edited, it becomes a new article (readers see it again) and /articles/moved-and-edited answers " +
        "410 Gone; to keep its id and old URL, publish the move first with its text unchanged, or give it `slug: moved-and-edited`",
    ];
    const warned = await check();
    expect(warned.code, warned.stderr).toBe(0);
    expect(urlLines(warned.stderr).sort()).toEqual(
      [
        ...expected,
        `warning: 2025/05/leaving.md is gone from the folder (published at ${worker.url}): publishing would remove it, and /articles/leaving would answer 410 Gone`,
        `warning: 2025/05/moved-and-edited.md is gone from the folder (published at ${worker.url}): publishing would remove it, and /articles/moved-and-edited would answer 410 Gone`,
      ].sort(),
    );
    // Without --against the check has nothing to compare with; without a token it says what it needs.
    expect(urlLines((await check([])).stderr)).toEqual([]);
    await copyFile(join(ROOT, "wrangler.toml"), join(worker.dir, "wrangler.toml"));
    const tokenless = await new Promise<Run>((resolve) => {
      const env = { ...process.env };
      delete env.PUBLISH_TOKEN;
      execFile(
        "npm",
        ["run", "--silent", "check", "--", "--dir", dir, "--against", worker.url, "--config", join(worker.dir, "wrangler.toml")],
        { cwd: ROOT, env },
        (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(tokenless.code).toBe(2);
    expect(tokenless.stderr).toBe(
      "error: --against needs PUBLISH_TOKEN (the environment, or .dev.vars beside the wrangler config) to read the manifest\n",
    );

    // The publish warns of the same moves (the removals it lists as it makes them), and the old URLs answer as warned.
    const run = await npmPublish([]);
    expect(run.code, run.stderr).toBe(0);
    expect(urlLines(run.stderr).sort()).toEqual([...expected].sort());
    for (const [from, to] of [
      ["/articles/re-slugged", "/articles/a-new-slug"],
      ["/articles/moved-as-is", "/articles/now-elsewhere"],
    ]) {
      const res = await worker.get(from!, { redirect: "manual" });
      expect(res.status, from).toBe(301);
      expect(res.headers.get("Location"), from).toBe(`http://localhost:8787${to}`);
    }
    for (const gone of ["/articles/leaving", "/articles/moved-and-edited"]) expect((await worker.get(gone)).status, gone).toBe(410);
    expect(urlLines((await check()).stderr)).toEqual([]);
    for (const file of ["re-slugged", "now-elsewhere", "edited-elsewhere"]) await rm(join(dir, `2025/05/${file}.md`));
    expect((await npmPublish([])).code).toBe(0);
  }, 120_000);

  it("answers a publish whose base changed underneath it 412, and names the file; running it again publishes it", async () => {
    await write("2025/05/contested.md", article("Contested, first"));
    expect((await npmPublish([])).code).toBe(0);
    await write("2025/05/contested.md", article("Contested, my edit"));
    // Another publish lands between this run's reading of the manifest and its batch.
    const proxy = await startProxy(worker.url, 0, async () => {
      const res = await worker.get("/api/articles/2025/05/contested.md", {
        method: "PUT",
        headers: { Authorization: `Bearer ${worker.token}` },
        body: article("Contested, their edit"),
      });
      expect(res.status).toBe(200);
    });
    try {
      const run = await npmPublish([], proxy.url);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        "refused 2025/05/contested.md (412): 2025/05/contested.md changed on the worker since this run read what is stored (another publish got there first)\n",
      );
      expect(run.stderr).toContain(
        "kept the published version of 2025/05/contested.md: 2025/05/contested.md changed on the worker while this run was publishing; " +
          "nothing of it was changed: run npm run publish again to compare the folder with what is stored now\n",
      );
      expect(await text("/rss.xml")).toContain("Contested, their edit");
    } finally {
      await proxy.close();
    }
    const again = await npmPublish([]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("updated  2025/05/contested.md\n");
    expect(await text("/rss.xml")).toContain("Contested, my edit");
    await rm(join(dir, "2025/05/contested.md"));
    expect((await npmPublish([])).code).toBe(0);
  }, 120_000);

  it("refuses a folder that is missing, or empty, in one line; an empty one goes with the count confirmed", async () => {
    const missing = await npmPublish([], worker.url, join(worker.dir, "no-such-folder"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`error: --dir ${join(worker.dir, "no-such-folder")}: no such folder\n`);

    const empty = join(worker.dir, "empty");
    await mkdir(empty);
    const manifest = await (await worker.get("/api/manifest", { headers: { Authorization: `Bearer ${worker.token}` } })).json();
    const stored = (manifest as { entries: unknown[] }).entries.length;
    const before = await text("/rss.xml");
    const refused = await npmPublish([], worker.url, empty);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `error: ${empty} holds no articles, images or registries: publishing it would remove all ${stored} stored files; ` +
        `if that is meant, run again with --confirm-deletions ${stored}\n`,
    );
    expect(await text("/rss.xml")).toBe(before);

    // A folder with most of the site gone: the guard names the count and the flag.
    const half = join(worker.dir, "half");
    await mkdir(half);
    await writeFile(join(half, "only.md"), article("The only article left"));
    const guarded = await npmPublish([], worker.url, half);
    expect(guarded.code).toBe(2);
    expect(guarded.stderr).toMatch(
      new RegExp(
        `^error: refusing to remove ${stored} of the ${stored} stored files, every stored article \\(\\d+\\): .* --confirm-deletions ${stored} \\(add --dry-run to list them first\\)\\n$`,
        "m",
      ),
    );
    expect(await text("/rss.xml")).toBe(before);

    const confirmed = await npmPublish(["--confirm-deletions", String(stored)], worker.url, empty);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toMatch(/deleted {2}2025\/05\/baku-energy-week\.md/);
    expect((await text("/rss.xml")).match(/<item>/g)).toBeNull();
    const after = await (await worker.get("/api/manifest", { headers: { Authorization: `Bearer ${worker.token}` } })).json();
    expect((after as { entries: { path: string; hash: string }[] }).entries.map((e) => e.path)).toEqual(["authors.yaml"]);
  }, 120_000);
});

/**
 * A proxy in front of the worker that answers the first `failures` batch requests 503 (Retry-After: 0), and runs
 * `beforeFirstBatch` (another publish, say) before it forwards the first batch.
 */
async function startProxy(
  target: string,
  failures: number,
  beforeFirstBatch?: () => Promise<void>,
): Promise<{ url: string; failed: number; close(): Promise<void> }> {
  const state = { failed: 0, batches: 0 };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === "POST" && req.url === "/api/batch" && state.failed < failures) {
      state.failed++;
      res.writeHead(503, { "Content-Type": "application/problem+json", "Retry-After": "0" });
      res.end(JSON.stringify({ status: 503, detail: "D1 is busy (a test proxy)" }));
      return;
    }
    if (req.method === "POST" && req.url === "/api/batch" && state.batches++ === 0) await beforeFirstBatch?.();
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string" && name !== "host") headers.set(name, value);
    const answer = await fetch(target + req.url, {
      method: req.method,
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    // fetch has decoded the body: its encoding and length no longer apply.
    const forwarded = Object.fromEntries([...answer.headers].filter(([name]) => name !== "content-encoding" && name !== "content-length"));
    res.writeHead(answer.status, forwarded);
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    get failed() {
      return state.failed;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
