// `npm run publish` against a real local worker (wrangler's dev server: workerd with local D1 and R2), called in
// process: the first publish serves the sample, edits, removals and renames reach the feeds, and what the check or the
// worker refuses changes nothing and is named while every other file goes. (test/node/publish-e2e.test.ts runs the
// command itself for the per-file outcomes, the deletion guard and retries.)
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main as cli } from "../../src/node/cli.ts";
import { main as publish } from "../../src/node/publish.ts";
import { copySample, countSampleFiles, type LocalWorker, startLocalWorker, writeArticle } from "../support/local-worker.ts";

let worker: LocalWorker;
let dir: string;

beforeAll(async () => {
  worker = await startLocalWorker();
  dir = await copySample(worker.dir);
}, 120_000);

afterAll(async () => {
  await worker?.dispose();
}, 60_000);

/** Collects what is written to it. */
function capture(): { write: (text: string) => void; text: () => string } {
  const parts: string[] = [];
  return { write: (text) => void parts.push(text), text: () => parts.join("") };
}

/** One run of the client over the test's folder; its exit code and what it printed. */
async function run(...extra: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await publish(["--to", worker.url, "--dir", dir, ...extra], {
    out: out.write,
    err: err.write,
    env: { PUBLISH_TOKEN: worker.token },
  });
  return { code, out: out.text(), err: err.text() };
}

/** What readers see, byte for byte. */
async function feeds(): Promise<string[]> {
  return Promise.all(["/rss.xml", "/atom.xml", "/feed.json", "/feeds.opml"].map(async (p) => (await worker.get(p)).text()));
}

const rss = async () => (await worker.get("/rss.xml")).text();

/** What `npm run check` prints to standard error over the test's folder, which must hold a file it refuses. */
async function checkErrors(): Promise<string> {
  const err = capture();
  const stream = (write: (text: string) => void) =>
    ({
      write: (text: string) => {
        write(text);
        return true;
      },
    }) as never;
  expect(
    await cli(
      ["check", "--dir", dir],
      stream(() => {}),
      stream(err.write),
    ),
  ).toBe(1);
  return err.text();
}

describe("npm run publish against a local worker", () => {
  it("publishes the sample: images, authors, articles and the draft, then is up to date", async () => {
    const first = await run();
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    const lines = first.out.trim().split("\n");
    // Images and registries before the articles that use them.
    const order = (path: string) => lines.findIndex((l) => l.endsWith(path));
    expect(order("images/pezeshkian-aliyev-baku.jpg")).toBeLessThan(order("2025/04/iran-azerbaijan-de-escalation.md"));
    expect(order("authors.yaml")).toBeLessThan(order("2025/04/iran-azerbaijan-de-escalation.md"));
    expect(lines).toContain("created  2025/05/caspian-corridor-analysis.md");
    expect(lines).toContain("created (draft) 2025/05/embargoed-summit-preview.md");
    expect(lines.at(-1)).toMatch(new RegExp(`^published to ${worker.url}: ${await countSampleFiles()} created in [\\d.]+ s$`));
    const feed = await rss();
    expect(feed.match(/<item>/g)).toHaveLength(4);
    expect(feed).toContain("Iran, Azerbaijan chart path to de-escalation as Pezeshkian visits Baku");
    expect((await worker.get("/images/pezeshkian-aliyev-baku.jpg")).status).toBe(200);

    const etag = (await worker.get("/rss.xml")).headers.get("ETag");
    const again = await run();
    expect(again.code).toBe(0);
    expect(again.out).toBe(`up to date: ${await countSampleFiles()} file(s) stored at ${worker.url} match ${dir}/\n`);
    expect((await worker.get("/rss.xml")).headers.get("ETag")).toBe(etag);
  });

  it("sends an edit, and the served feed changes without a restart", async () => {
    const file = join(dir, "2025/05/caspian-corridor-analysis.md");
    const { readFile, writeFile } = await import("node:fs/promises");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace(/^title: .*$/m, 'title: "Caspian corridor: the revised analysis"'));
    const { code, out } = await run();
    expect(code).toBe(0);
    expect(out).toContain("updated  2025/05/caspian-corridor-analysis.md\n");
    expect(out).toContain("1 updated");
    expect(await rss()).toContain("Caspian corridor: the revised analysis");
  });

  it("warns when a published article's body changes without `updated:` (only the worker knows what was published)", async () => {
    const file = join(dir, "2025/05/baku-energy-week.md");
    const { readFile, writeFile } = await import("node:fs/promises");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace("Executives and officials expect", "Executives and ministers expect"));
    const corrected = await run();
    expect(corrected.code).toBe(0);
    expect(corrected.err).toMatch(/^warning: 2025\/05\/baku-energy-week\.md \[updated\]: a changed body, but no `updated`/m);
    // With `updated:` the correction is in every format (RSS dc:date), and there is nothing to warn about.
    await writeFile(
      file,
      text
        .replace("Executives and officials expect", "Executives and envoys expect")
        .replace(/^date: .*$/m, "$&\nupdated: 2025-05-04 09:00"),
    );
    const marked = await run();
    expect(marked.code).toBe(0);
    expect(marked.err).toBe("");
    expect(await rss()).toContain("<dc:date>2025-05-04T08:00:00Z</dc:date>");
  });

  it("prints a dry run and sends nothing", async () => {
    await writeArticle(dir, "2025/05/dry.md", "---\ntitle: Dry run\ndate: 2025-05-20 10:00\n---\nNot sent.\n");
    const before = await feeds();
    const { code, out } = await run("--dry-run");
    expect(code).toBe(0);
    expect(out).toContain("would publish 2025/05/dry.md\n");
    expect(out).toContain("dry run, nothing sent: would publish 1\n");
    expect(await feeds()).toEqual(before);
    await rm(join(dir, "2025/05/dry.md"));
  });

  it("renames a moved file as one article (same guid), and removes a deleted file from every feed and page", async () => {
    await mkdir(join(dir, "2026"), { recursive: true });
    await rename(join(dir, "2025/04/tehran-metro-fa.md"), join(dir, "2026/tehran-metro-fa.md"));
    const moved = await run();
    expect(moved.code).toBe(0);
    expect(moved.out).toContain("renamed  2025/04/tehran-metro-fa.md → 2026/tehran-metro-fa.md\n");
    expect((await rss()).match(/<item>/g)).toHaveLength(4);

    await rm(join(dir, "2025/05/baku-energy-week.md"));
    const removed = await run();
    expect(removed.code).toBe(0);
    expect(removed.out).toContain("deleted  2025/05/baku-energy-week.md\n");
    for (const body of await feeds()) expect(body).not.toContain("oil-gas-baku-energy-week");
    // A deleted article's page is gone for good (RFC 9110 §15.5.11), no longer merely not found.
    expect((await worker.get("/articles/oil-gas-baku-energy-week")).status).toBe(410);
  });

  it("publishes every good file and names each file the check refuses with check's messages, exiting 1", async () => {
    const broken = "---\ndate: 2025-05-01\n---\nNo title.\n";
    await writeArticle(dir, "2025/05/broken.md", broken);
    await writeArticle(dir, "2025/05/good-beside-broken.md", "---\ntitle: Good beside a broken file\ndate: 2025-05-19 10:00\n---\nFine.\n");
    const { code, out, err } = await run();
    expect(code).toBe(1);
    const errors = (text: string) => text.split("\n").filter((l) => l.startsWith("error: "));
    expect(errors(err)).toEqual(errors(await checkErrors()));
    expect(errors(err)).toEqual([expect.stringMatching(/^error: 2025\/05\/broken\.md \[title\]: nothing \(the field is missing\)/)]);
    expect(err).toContain("not published: 2025/05/broken.md: refused by the check (its problems are listed above)\n");
    expect(out).toContain("created  2025/05/good-beside-broken.md\n");
    expect(await rss()).toContain("Good beside a broken file");

    // --all-or-nothing: the check's refusal stops the run before anything is sent.
    await writeArticle(dir, "2025/05/good-beside-broken.md", "---\ntitle: Good, edited\ndate: 2025-05-19 10:00\n---\nFine.\n");
    const before = await feeds();
    const strict = await run("--all-or-nothing");
    expect(strict.code).toBe(1);
    expect(strict.err).toContain("1 problem(s) in 1 file(s); nothing was published (--all-or-nothing)");
    expect(strict.out).toBe("");
    expect(await feeds()).toEqual(before);
    await rm(join(dir, "2025/05/broken.md"));
    await rm(join(dir, "2025/05/good-beside-broken.md"));
    expect((await run()).code).toBe(0);
  });

  it("checks each body as its article goes: one over the budget is refused with check's message and what was published stays", async () => {
    // The body check (what the markdown renders to) runs while the worker stores the files before it, not before the
    // run: the outcome is the whole check's, file by file.
    const over = `Text${"[^1]".repeat(50_000)}\n\n[^1]: The note.\n`;
    const stored = join(dir, "2025/05/caspian-corridor-analysis.md");
    const original = await readFile(stored, "utf8");
    await writeFile(stored, `${original}\n${over}`);
    await writeArticle(dir, "2025/05/too-long.md", `---\ntitle: Too long\ndate: 2025-05-20 10:00\n---\n\n${over}`);
    await writeArticle(dir, "2025/05/short-beside.md", "---\ntitle: Short beside the long one\ndate: 2025-05-20 11:00\n---\nFine.\n");
    // Two new files claim one slug; the first published is over the budget, so the second keeps the slug.
    await writeArticle(dir, "2025/05/claim-first.md", `---\ntitle: First claim\ndate: 2025-05-20 12:00\nslug: claimed\n---\n\n${over}`);
    await writeArticle(dir, "2025/05/claim-second.md", "---\ntitle: Second claim\ndate: 2025-05-20 13:00\nslug: claimed\n---\nFine.\n");
    const before = await (await worker.get("/articles/caspian-corridor-analysis")).text();
    const { code, out, err } = await run();
    expect(code).toBe(1);

    const errors = (text: string) =>
      text
        .split("\n")
        .filter((l) => l.startsWith("error: "))
        .sort();
    expect(errors(err)).toEqual(errors(await checkErrors()));
    expect(errors(err)).toEqual([
      expect.stringMatching(/^error: 2025\/05\/caspian-corridor-analysis\.md:\d+ \[body\]: markdown that renders to more than 1 MiB/),
      expect.stringMatching(/^error: 2025\/05\/claim-first\.md:\d+ \[body\]: markdown that renders to more than 1 MiB/),
      expect.stringMatching(/^error: 2025\/05\/too-long\.md:\d+ \[body\]: markdown that renders to more than 1 MiB/),
    ]);
    expect(err).toContain(
      "kept the published version of 2025/05/caspian-corridor-analysis.md: refused by the check (its problems are listed above)\n",
    );
    expect(err).toContain("not published: 2025/05/too-long.md: refused by the check (its problems are listed above)\n");
    expect(err).toContain("not published: 2025/05/claim-first.md: refused by the check (its problems are listed above)\n");
    expect(out).toContain("created  2025/05/short-beside.md\n");
    expect(out).toContain("created  2025/05/claim-second.md\n");
    expect(out).not.toMatch(/too-long|claim-first|caspian-corridor-analysis/);
    expect(await (await worker.get("/articles/caspian-corridor-analysis")).text()).toBe(before);
    expect(await (await worker.get("/articles/claimed")).text()).toContain("Second claim");
    expect((await worker.get("/articles/too-long")).status).toBe(404);

    await writeFile(stored, original);
    for (const file of ["too-long", "short-beside", "claim-first", "claim-second"]) await rm(join(dir, `2025/05/${file}.md`));
    expect((await run()).code).toBe(0);
  });

  it("names every file the worker refuses and exits 1, publishing the rest", async () => {
    // The deleted article's id: the check cannot know it, the worker refuses it (ids are never reused).
    await writeArticle(
      dir,
      "2025/05/reuse.md",
      "---\ntitle: Reuse\ndate: 2025-05-21 10:00\nid: http://localhost:8787/articles/oil-gas-baku-energy-week\n---\nx\n",
    );
    await writeArticle(dir, "2025/05/fine.md", "---\ntitle: A fine new article\ndate: 2025-05-22 10:00\n---\nFine.\n");
    const { code, out, err } = await run();
    expect(code).toBe(1);
    expect(out).toContain("created  2025/05/fine.md\n");
    expect(err).toContain("refused 2025/05/reuse.md (422)\n");
    expect(err).toMatch(
      /error: 2025\/05\/reuse\.md \[id\]: id "http:\/\/localhost:8787\/articles\/oil-gas-baku-energy-week", which belonged to the deleted article/,
    );
    expect(err).toContain("not published: 2025/05/reuse.md: the worker refused it (422; its problems are listed above)\n");
    const feed = await rss();
    expect(feed).toContain("A fine new article");
    expect(feed).not.toContain("Reuse");
    await rm(join(dir, "2025/05/reuse.md"));
  });

  it("publishes a slug one file gives up and another takes in the same run, whatever the order they are sent in", async () => {
    await writeArticle(dir, "2025/05/aa-taker.md", "---\ntitle: Taker\ndate: 2025-05-24 10:00\n---\nT.\n");
    await writeArticle(dir, "2025/05/zz-giver.md", "---\ntitle: Giver\ndate: 2025-05-24 11:00\nslug: wanted\n---\nG.\n");
    expect((await run()).code).toBe(0);
    // aa-taker.md sorts (and is sent) first, while zz-giver.md still holds the slug: refused, then sent once more.
    await writeArticle(dir, "2025/05/aa-taker.md", "---\ntitle: Taker\ndate: 2025-05-24 10:00\nslug: wanted\n---\nT.\n");
    await writeArticle(dir, "2025/05/zz-giver.md", "---\ntitle: Giver\ndate: 2025-05-24 11:00\nslug: given-up\n---\nG.\n");
    const swapped = await run();
    // Both URLs move, and say where their old URLs lead now.
    expect(swapped.err).toBe(
      "warning: 2025/05/aa-taker.md: its public URL moves from /articles/aa-taker to /articles/wanted; the old URL answers 301 " +
        "to the new one and readers keep its id, but links and search results point at the old one: to keep its URL, give it `slug: aa-taker`\n" +
        "warning: 2025/05/zz-giver.md: its public URL moves from /articles/wanted to /articles/given-up; the old URL becomes the " +
        "page of 2025/05/aa-taker.md: links and search results that point at it lead there\n",
    );
    expect(swapped.code).toBe(0);
    expect(swapped.out).toMatch(
      /^updated {2}2025\/05\/zz-giver\.md \(its URL moves: \/articles\/wanted → \/articles\/given-up\)\nupdated {2}2025\/05\/aa-taker\.md \(its URL moves: \/articles\/aa-taker → \/articles\/wanted\)$/m,
    );
    expect(await (await worker.get("/articles/wanted")).text()).toContain("Taker");
    await rm(join(dir, "2025/05/aa-taker.md"));
    await rm(join(dir, "2025/05/zz-giver.md"));
    expect((await run()).code).toBe(0);
  });

  it("stops with exit 2 when the token is wrong or the worker is not there", async () => {
    const wrongErr = capture();
    const wrong = await publish(["--to", worker.url, "--dir", dir], {
      out: () => {},
      err: wrongErr.write,
      env: { PUBLISH_TOKEN: "w".repeat(40) },
    });
    expect(wrong).toBe(2);
    expect(wrongErr.text()).toContain("refused the token (403)");
    const noneErr = capture();
    const none = await publish(["--to", "http://127.0.0.1:9", "--dir", dir], {
      out: () => {},
      err: noneErr.write,
      env: { PUBLISH_TOKEN: "x" },
    });
    expect(none).toBe(2);
    expect(noneErr.text()).toContain("cannot reach http://127.0.0.1:9");
  });

  it("--watch publishes again when a file changes", async () => {
    const controller = new AbortController();
    const out = capture();
    const watching = publish(["--to", worker.url, "--dir", dir, "--watch"], {
      out: out.write,
      err: () => {},
      env: { PUBLISH_TOKEN: worker.token },
      signal: controller.signal,
    });
    // Bounded waits (time-outs, not timing assertions): the first run, then the change.
    await expect.poll(out.text, { timeout: 30_000, interval: 100 }).toContain("watching");
    await writeArticle(dir, "2025/05/watched.md", "---\ntitle: Written while watching\ndate: 2025-05-23 10:00\n---\nSeen.\n");
    await expect.poll(rss, { timeout: 30_000, interval: 200 }).toContain("Written while watching");
    controller.abort();
    expect(await watching).toBe(0);
  });
});
