// The documentation's cross-references hold: every relative link in README.md, BENCHMARKS.md and docs/ leads to a
// file, and to a heading of it when it names one (GitHub's anchors); every comment or page that names a section of the
// README or of a docs/ page in words (`README, "Settings"`, `docs/feeds.md, "Feed options"`) names one that is there;
// and the README's Layout names every folder and module (by file name: two modules of one name are one entry to it).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/local-worker.ts";
import { anchorsOf, githubAnchor, type LinkProblem, linkProblems, referenceProblems, type Tree } from "../support/markdown-links.ts";

/**
 * The repository's files under `dir` whose names pass `keep`, by posix path from the root. Hidden and dependency
 * folders are not the repository's (git ignores them: `bench/.data` holds the bench's archives and whatever scratch
 * scripts someone left there).
 */
function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const path = join(abs, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith(".") && entry.name !== "node_modules") walk(path);
      } else if (keep(path)) out.push(relative(ROOT, path).split(sep).join("/"));
    }
  };
  walk(join(ROOT, dir));
  return out;
}

const read = (paths: readonly string[]): Tree => new Map(paths.map((p) => [p, readFileSync(join(ROOT, p), "utf8")]));
const has = (path: string) => existsSync(join(ROOT, path));

const MARKDOWN = ["README.md", "BENCHMARKS.md", ...filesUnder("docs", (p) => p.endsWith(".md"))];
/** This test and its rules hold broken references on purpose (the cases below). */
const SELF = new Set(["test/node/docs-links.test.ts", "test/support/markdown-links.ts"]);
const CODE = [
  ...["src", "test", "bench"].flatMap((dir) =>
    filesUnder(dir, (p) => /\.(ts|js|css|py|go|pl|sql)$/.test(p) && !/[/\\](golden|fixtures|results)[/\\]/.test(p)),
  ),
  ...filesUnder("migrations", () => true),
  ...filesUnder("migrations-parts", () => true),
  "wrangler.toml",
  ".ci/run",
  "package.json",
].filter((p) => !SELF.has(p));
// The README, the docs pages and the code; BENCHMARKS.md is checked for links only: it is the record of each run, and
// its words quote the README as it was then.
const REFERRING = ["README.md", ...MARKDOWN.filter((p) => p.startsWith("docs/")), ...CODE];

const describeProblems = (problems: readonly LinkProblem[]) => problems.map((p) => `${p.file}: ${p.problem}`);

describe("GitHub's heading anchors", () => {
  it.each([
    ["Two commands", "two-commands"],
    ["Content: the front-matter contract", "content-the-front-matter-contract"],
    ["Capacity: more than one database", "capacity-more-than-one-database"],
    ["An article's identity", "an-articles-identity"],
    ["`partners.yaml`", "partnersyaml"],
    ["`?limit=N`", "limitn"],
    ["`npm run publish`", "npm-run-publish"],
    ["Choices, and why", "choices-and-why"],
    ["Publish → visible", "publish--visible"],
    ["Fa: فارسی", "fa-فارسی"],
  ])("%s → #%s", (heading, anchor) => {
    expect(githubAnchor(heading)).toBe(anchor);
  });

  it("numbers repeated headings and ignores headings in fenced code", () => {
    const anchors = anchorsOf("# Logs\n\n## Logs\n\n```sh\n# not a heading\n```\n\n### Logs\n");
    expect([...anchors]).toEqual(["logs", "logs-1", "logs-2"]);
  });
});

describe("the checks find what is broken", () => {
  const readme = "# edge-feeds\n\n## Settings\n\n**Caching.** Feeds are cached.\n\n## Documentation\n";
  const feeds = "# Feeds\n\nBack to the [README](../README.md).\n\n## Feed options\n\n## `partners.yaml`\n";
  it.each<{ name: string; files: Record<string, string>; problems: string[] }>([
    {
      name: "links that resolve",
      files: { "docs/x.md": "[a](feeds.md#feed-options), [b](../README.md#settings), [c](feeds.md#partnersyaml), [d](#x)\n\n# X\n" },
      problems: [],
    },
    {
      name: "a link to a missing file",
      files: { "docs/x.md": "See [capacity](capacity.md).\n" },
      problems: ["docs/x.md: links to capacity.md, but there is no docs/capacity.md"],
    },
    {
      name: "a link to a missing heading",
      files: { "README.md": `${readme}\n[Feed options](docs/feeds.md#feed-option)\n` },
      problems: ["README.md: links to docs/feeds.md#feed-option, but docs/feeds.md has no heading with the anchor #feed-option"],
    },
    {
      name: "a link out of the repository, and one to a missing anchor of the same page",
      files: { "docs/x.md": "[up](../../elsewhere.md) [here](#nowhere)\n" },
      problems: [
        "docs/x.md: links to ../../elsewhere.md, but there is no ../elsewhere.md",
        "docs/x.md: links to #nowhere, but docs/x.md has no heading with the anchor #nowhere",
      ],
    },
    { name: "links inside code are not links", files: { "docs/x.md": "`[a](missing.md)`\n\n```md\n[b](missing.md)\n```\n" }, problems: [] },
    {
      name: "a comment naming a README section that is gone",
      files: { "src/a.ts": '// The limits (README, "Bad input"): bounded.\n' },
      problems: ['src/a.ts: names the section "Bad input" of README.md, which has no such section'],
    },
    {
      name: "a comment wrapped over two lines, naming a docs section that is gone",
      files: { "src/a.ts": '// Moves parts (docs/feeds.md, "Feed\n  // choices"): step by step.\n' },
      problems: ['src/a.ts: names the section "Feed choices" of docs/feeds.md, which has no such section'],
    },
    {
      name: "an SQL comment wrapped over two lines, naming a README section that is gone",
      files: { "migrations/0009_x.sql": '-- Room for a copy (README, "Capacity: more than one\n-- database").\n' },
      problems: ['migrations/0009_x.sql: names the section "Capacity: more than one database" of README.md, which has no such section'],
    },
    {
      name: "a comment naming a docs page that does not exist",
      files: { "wrangler.toml": "# Past 10 GB (docs/capacity.md): parts databases.\n" },
      problems: ["wrangler.toml: names docs/capacity.md, which does not exist"],
    },
    {
      name: "sections that are there: a heading, a bold lead-in, a heading with code",
      files: {
        "src/a.ts": '// (README, "Settings"); (README, "Caching"); (docs/feeds.md, "`partners.yaml`"); (docs/feeds.md, "feed options")\n',
      },
      problems: [],
    },
  ])("$name", ({ files, problems }) => {
    const tree: Tree = new Map([["README.md", readme], ["docs/feeds.md", feeds], ...Object.entries(files)]);
    expect(describeProblems([...linkProblems(tree), ...referenceProblems(tree)])).toEqual(problems);
  });
});

describe("the repository's documentation", () => {
  it("has no relative link to a missing file or heading", () => {
    expect(describeProblems(linkProblems(read(MARKDOWN), has))).toEqual([]);
  });

  it("names no section of the README or of docs/ that is not there", () => {
    expect(describeProblems(referenceProblems(read(REFERRING), has))).toEqual([]);
  });

  it("links every docs page from the README's Documentation list, and back to the README from each", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const list = readme.slice(readme.indexOf("## Documentation"));
    for (const page of MARKDOWN.filter((p) => p.startsWith("docs/"))) {
      expect(list, page).toContain(`](${page})`);
      expect(readFileSync(join(ROOT, page), "utf8").split("\n").slice(0, 6).join("\n"), page).toContain("](../README.md");
    }
  });
});

describe("the README's Layout", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const layout = readme.slice(readme.indexOf("## Layout"), readme.indexOf("## Content"));
  const source = (p: string) => !p.split("/").some((segment) => segment.startsWith("."));
  const escaped = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  /** A file named on its own (not as the start of a longer name); a folder as `name/`, alone or at the start of a path. */
  const named = (name: string) => new RegExp(`(^|[\\s(,;:/])${escaped(name)}(?=$|[\\s),;:*])`, "m").test(layout);
  const namedFolder = (name: string) => new RegExp(`(^|[\\s(,;:/])${escaped(name)}/`, "m").test(layout);

  it("names every folder of src, test, bench, migrations and docs (fixture trees' own folders aside)", () => {
    const folders = new Set(
      ["src", "test", "bench", "docs", "migrations", "migrations-parts"]
        .flatMap((dir) => filesUnder(dir, source))
        .map((p) => p.slice(0, p.lastIndexOf("/")))
        .filter((dir) => !/^test\/fixtures\/[^/]+\//.test(dir)),
    );
    const unnamed = [...folders].filter((dir) => !namedFolder(dir.slice(dir.lastIndexOf("/") + 1)));
    expect(unnamed).toEqual([]);
  });

  it("names every module of src and bench, every migration and every docs page", () => {
    const files = [
      ...filesUnder("src", source),
      ...filesUnder("bench", (p) => p.endsWith(".ts")),
      ...filesUnder("migrations", source),
      ...filesUnder("migrations-parts", source),
      ...filesUnder("docs", source),
    ];
    const unnamed = files.filter((p) => !named(p.slice(p.lastIndexOf("/") + 1)));
    expect(unnamed).toEqual([]);
  });
});
