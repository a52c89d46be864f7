// `npm run check` over broken fixtures: every problem reported at once, each naming file, field, what was found and the fix.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { type LoadedContent, loadContent } from "../../src/core/content.ts";
import { type ContentIssue, formatIssue } from "../../src/core/errors.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { BROKEN_DIR, FIXTURE_DIR, site } from "../support/site.ts";

const run = promisify(execFile);

let catalog: LoadedContent;
beforeAll(async () => {
  catalog = await loadContent(createDirectorySource(BROKEN_DIR), site);
});

const expected: { file: string; field?: string; line?: number; found: RegExp; expected: RegExp }[] = [
  { file: "missing-title.md", field: "title", found: /missing/, expected: /headline/ },
  { file: "impossible-date.md", field: "date", line: 3, found: /"2025-02-30".*not a real calendar date/, expected: /ISO 8601/ },
  { file: "unparseable-date.md", field: "date", line: 3, found: /"next tuesday".*not a date/, expected: /2025-04-28T09:30:00\+04:00/ },
  { file: "updated-before-date.md", field: "updated", line: 4, found: /before `date`/, expected: /not before `date`/ },
  {
    file: "nested/same-name.md",
    field: "slug",
    found: /"same-name", also claimed by same-name\.md, which was published first/,
    expected: /unique/,
  },
  {
    file: "unknown-image.md",
    field: "image",
    line: 4,
    found: /no file articles\/images\/missing\.jpg/,
    expected: /under articles\/images/,
  },
  { file: "not-an-image.md", field: "image.src", found: /fake\.jpg is not an accepted image/, expected: /JPEG, PNG/ },
  { file: "malformed-yaml.md", field: "title", line: 2, found: /malformed YAML/, expected: /valid YAML/ },
  { file: "unclosed-front-matter.md", line: 1, found: /never closed/, expected: /a line '---'/ },
  { file: "no-front-matter.md", line: 1, found: /no front matter/, expected: /start with a line '---'/ },
  { file: "not-utf8.md", found: /not valid UTF-8/, expected: /UTF-8/ },
  { file: "bad-fields.md", field: "lang", line: 4, found: /"not a language!"/, expected: /BCP 47/ },
  { file: "bad-fields.md", field: "canonical", line: 5, found: /"\/relative\/url"/, expected: /absolute/ },
  { file: "bad-fields.md", field: "tags", line: 6, found: /^42$/, expected: /list of tag names/ },
  { file: "authors.yaml", field: "bad-email.email", line: 4, found: /not-an-email/, expected: /valid e-mail/ },
];

describe("content check on broken fixtures", () => {
  it.each(expected)("$file [$field]: $found", (row) => {
    const match = catalog.issues.find(
      (i: ContentIssue) => i.file === row.file && i.field === row.field && row.found.test(i.found) && row.expected.test(i.expected),
    );
    expect(match, catalog.issues.map(formatIssue).join("\n")).toBeDefined();
    if (row.line !== undefined) expect(match!.line).toBe(row.line);
  });

  it("reports nothing it was not asked about, and keeps the good article", () => {
    expect(catalog.issues).toHaveLength(expected.length);
    expect(catalog.records.map((a) => a.file).sort()).toEqual(["good.md", "same-name.md"]);
  });

  it("warns about unknown fields without failing the file", () => {
    expect(catalog.warnings).toEqual([expect.objectContaining({ file: "bad-fields.md", field: "summery", line: 7 })]);
  });
});

describe("npm run check (the CLI)", () => {
  const cli = (dir: string) => run("node", ["src/node/cli.ts", "check", "--dir", dir]);

  it("exits 1 and prints every problem with its file", async () => {
    const error = await cli(BROKEN_DIR).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(1);
    for (const row of expected) expect(error?.stderr).toContain(row.file);
    expect(error?.stderr).toContain(`${expected.length} problem(s)`);
  });

  it("names a missing --dir in one line, exit 2, no stack trace", async () => {
    const error = await cli("/nonexistent/edge-feeds-content").then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(2);
    expect(error?.stderr).toBe("error: --dir /nonexistent/edge-feeds-content: no such folder\n");
  });

  it.each([
    { command: ["src/node/cli.ts", "check", "--dir"], line: "error: Option '--dir <value>' argument missing (--help lists the options)\n" },
    { command: ["src/node/cli.ts", "check", "--dirr", "articles"], line: "error: Unknown option '--dirr' (--help lists the options)\n" },
    {
      command: ["src/node/backup.ts", "backup", "--out"],
      line: "error: Option '--out <value>' argument missing (--help lists the options)\n",
    },
  ])("names a mistyped command line in one line, exit 2: $command", async ({ command, line }) => {
    const error = await run("node", command).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(2);
    expect(error?.stderr).toBe(line);
  });

  it("exits 0 on good content", async () => {
    const { stdout } = await cli(FIXTURE_DIR);
    expect(stdout).toMatch(/^ok: 7 article file\(s\), 6 publishable/);
  });
});

describe("npm run check --since (the folder against what git held)", () => {
  const article = (title: string, date: string, extra = "", body = "A body.") =>
    `---\ntitle: ${title}\ndate: ${date}\n${extra}---\n${body}\n`;
  const check = (dir: string, args: readonly string[]) =>
    run("node", ["src/node/cli.ts", "check", "--dir", dir, ...args]).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  const urlLines = (text: string) => text.split("\n").filter((l) => /public URL|gone from the folder|is new and/.test(l));

  it("warns of each public URL the folder moves or removes since a commit, from a folder below the repository's top", async () => {
    const repo = await mkdtemp(join(tmpdir(), "edge-feeds-check-since-"));
    try {
      const dir = join(repo, "articles");
      await mkdir(join(dir, "2025"), { recursive: true });
      await writeFile(join(dir, "2025/re-slugged.md"), article("Re-slugged", "2025-05-01 09:00"));
      await writeFile(join(dir, "2025/moved-as-is.md"), article("Moved as it is", "2025-05-02 09:00"));
      await writeFile(join(dir, "2025/leaving.md"), article("Leaving", "2025-05-03 09:00"));
      await writeFile(join(dir, "2025/moved-and-edited.md"), article("Moved and edited", "2025-05-04 09:00", "", "First text."));
      await writeFile(join(dir, "2025/a-draft.md"), article("A draft", "2025-05-05 09:00", "draft: true\n"));
      const git = (...args: string[]) => run("git", ["-c", "user.email=t@example.com", "-c", "user.name=T", ...args], { cwd: repo });
      await git("init", "-q");
      await git("add", "-A");
      await git("commit", "-qm", "first");

      const quiet = await check(dir, ["--since", "HEAD"]);
      expect(quiet.code, quiet.stderr).toBe(0);
      expect(urlLines(quiet.stderr)).toEqual([]);

      await writeFile(join(dir, "2025/re-slugged.md"), article("Re-slugged", "2025-05-01 09:00", "slug: a-new-slug\n"));
      await rename(join(dir, "2025/moved-as-is.md"), join(dir, "2025/now-elsewhere.md"));
      await rm(join(dir, "2025/leaving.md"));
      await rm(join(dir, "2025/a-draft.md"));
      await rm(join(dir, "2025/moved-and-edited.md"));
      await writeFile(join(dir, "2025/edited-elsewhere.md"), article("Moved and edited", "2025-05-04 09:00", "", "Second text."));
      const warned = await check(dir, ["--since", "HEAD"]);
      expect(warned.code, warned.stderr).toBe(0);
      expect(urlLines(warned.stderr).sort()).toEqual(
        [
          "warning: 2025/now-elsewhere.md: its public URL moves from /articles/moved-as-is to /articles/now-elsewhere (renamed from " +
            "2025/moved-as-is.md); the old URL answers 301 to the new one and readers keep its id, but links and search results " +
            "point at the old one: to keep its URL, give it `slug: moved-as-is`",
          "warning: 2025/re-slugged.md: its public URL moves from /articles/re-slugged to /articles/a-new-slug; the old URL " +
            "answers 301 to the new one and readers keep its id, but links and search results point at the old one: to keep its " +
            "URL, give it `slug: re-slugged`",
          "warning: 2025/edited-elsewhere.md is new and 2025/moved-and-edited.md is removed, both of the same date: if it is " +
            "that article moved and edited, it becomes a new article (readers see it again) and /articles/moved-and-edited answers " +
            "410 Gone; to keep its id and old URL, publish the move first with its text unchanged, or give it `slug: moved-and-edited`",
          "warning: 2025/leaving.md is gone from the folder (in git at HEAD): publishing would remove it, and /articles/leaving would answer 410 Gone",
          "warning: 2025/moved-and-edited.md is gone from the folder (in git at HEAD): publishing would remove it, and /articles/moved-and-edited would answer 410 Gone",
        ].sort(),
      );
      // Committed, nothing moves any more.
      await git("add", "-A");
      await git("commit", "-qm", "second");
      expect(urlLines((await check(dir, ["--since", "HEAD"])).stderr)).toEqual([]);
      expect(urlLines((await check(dir, ["--since", "HEAD~1"])).stderr)).toHaveLength(5);

      const unknown = await check(dir, ["--since", "no-such-ref"]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/^error: --since no-such-ref: /);
      const option = await check(dir, ["--since=--output=x"]);
      expect(option.code).toBe(2);
      expect(option.stderr).toMatch(/^error: --since --output=x: "--output=x" is not a commit\n$/);
      const both = await check(dir, ["--since", "HEAD", "--against", "http://127.0.0.1:9"]);
      expect(both.code).toBe(2);
      expect(both.stderr).toBe("error: --against and --since each give what to compare with: give one\n");
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  }, 60_000);
});
