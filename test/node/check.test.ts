// `npm run check` over broken fixtures: every problem reported at once, each naming file, field, what was found and the fix.
import { execFile } from "node:child_process";
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

  it("exits 0 on good content", async () => {
    const { stdout } = await cli(FIXTURE_DIR);
    expect(stdout).toMatch(/^ok: 7 article file\(s\), 6 publishable/);
  });
});
