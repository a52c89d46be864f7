// What a publish run decides before it sends anything, table-driven over small folders and manifests: which files go
// (and in which group), which are refused by the check and which of those keep a published version, what is held back
// because a file it depends on is refused, what each upload needs, the removals, and the deletion guard.
import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/core/content.ts";
import type { ManifestEntry } from "../../src/core/publishing.ts";
import { allowedRemovals, checkRemovals } from "../../src/node/deletion-guard.ts";
import { describeFile } from "../../src/node/folder-snapshot.ts";
import { claimsOf, type LocalFile, type Plan, planEarlyImages, planPublish } from "../../src/node/publish-plan.ts";
import { createMemorySource, type MemoryFiles } from "../../src/sources/memory.ts";
import { png } from "../support/image-bytes.ts";
import { site } from "../support/site.ts";

const article = (title: string, extra = "", body = "Body.") => `---\ntitle: ${title}\ndate: 2025-05-01 10:00\n${extra}---\n${body}\n`;

/** A small newsroom: a registered author, a free-form one, a lead image, and a partners file. */
const BASE: MemoryFiles = {
  "authors.yaml": "sara:\n  name: Sara Ahmadi\n",
  "images/a.png": png(4, 3),
  "images/unused.png": png(2, 2),
  "2025/a.md": article("A", "author: sara\nimage: /images/a.png\n"),
  "2025/b.md": article("B", "author: Reuters\n"),
  "2025/c.md": article("C"),
};

/** A folder's files as the plan sees them. */
function describeAll(files: MemoryFiles): Map<string, LocalFile> {
  const encoder = new TextEncoder();
  const local = new Map<string, LocalFile>();
  for (const [path, value] of Object.entries(files)) {
    const described = describeFile(path, typeof value === "string" ? encoder.encode(value) : value);
    if (described) local.set(path, described);
  }
  return local;
}

/** The manifest a worker holding exactly `files` would answer. */
async function manifestOf(files: MemoryFiles): Promise<ManifestEntry[]> {
  const content = await loadContent(createMemorySource(files), site);
  const local = describeAll(files);
  const entries: ManifestEntry[] = [];
  for (const r of content.records) {
    entries.push({
      path: r.file,
      kind: "article",
      hash: local.get(r.file)!.hash!,
      slug: r.slug,
      id: r.id,
      published: r.published.toISOString(),
    });
  }
  for (const r of content.drafts) entries.push({ path: r.file, kind: "draft", hash: local.get(r.file)!.hash!, slug: r.slug });
  for (const [path, file] of local) {
    if (path.startsWith("images/") && file.publishableType) entries.push({ path, kind: "image", hash: file.hash! });
    if (path === "authors.yaml" || path === "partners.yaml") entries.push({ path, kind: "registry", hash: file.hash! });
  }
  return entries;
}

async function plan(folder: MemoryFiles, stored: MemoryFiles | ManifestEntry[], all = false): Promise<Plan> {
  const content = await loadContent(createMemorySource(folder), site);
  const manifest = Array.isArray(stored) ? stored : await manifestOf(stored);
  const claims = new Map<string, Set<string>>();
  for (const file of new Set(content.issues.map((i) => i.file))) {
    const value = folder[file];
    if (file.endsWith(".md") && typeof value === "string") claims.set(file, claimsOf(file, value, site));
  }
  return planPublish({ content, local: describeAll(folder), stored: manifest, site, all, claims });
}

/** The plan in a few words: each group's paths, and each refusal as `path → kept` or `path: held back …`. */
function summary(p: Plan) {
  return {
    images: p.images.map((u) => `${u.path} ${u.change}`),
    registries: p.registries.map((u) => `${u.path} ${u.change}`),
    changed: p.changed.map((u) => u.path),
    renames: p.renames.map((u) => `${u.replaces} → ${u.path}`),
    added: p.added.map((u) => u.path),
    removals: p.removals.map((r) => `${r.kind} ${r.path}`),
    refusals: p.refusals.map((r) => `${r.path}${r.kept ? ` keeps ${r.kept}` : ""}${r.heldBack ? `: ${r.heldBack}` : ""}`),
  };
}

const none = { images: [], registries: [], changed: [], renames: [], added: [], removals: [], refusals: [] };

/** `files` with some paths removed and others added. */
const edit = (files: MemoryFiles, remove: readonly string[], add: MemoryFiles = {}): MemoryFiles => ({
  ...Object.fromEntries(Object.entries(files).filter(([path]) => !remove.includes(path))),
  ...add,
});

describe("planPublish", () => {
  it.each<{ name: string; folder: MemoryFiles; stored: MemoryFiles; expected: Partial<ReturnType<typeof summary>> }>([
    {
      name: "a first publish: images, then the registry, then every article",
      folder: BASE,
      stored: {},
      expected: {
        images: ["images/a.png new", "images/unused.png new"],
        registries: ["authors.yaml new"],
        added: ["2025/a.md", "2025/b.md", "2025/c.md"],
      },
    },
    { name: "nothing changed", folder: BASE, stored: BASE, expected: {} },
    {
      name: "an edit, a new file, a removed file and a removed image",
      folder: {
        ...BASE,
        "2025/b.md": article("B, edited", "author: Reuters\n"),
        "2025/d.md": article("D"),
        "2025/c.md": undefined!,
        "images/unused.png": undefined!,
      },
      stored: BASE,
      expected: { changed: ["2025/b.md"], added: ["2025/d.md"], removals: ["article 2025/c.md", "image images/unused.png"] },
    },
    {
      name: "a published file broken now: refused, its published version kept, never removed",
      folder: { ...BASE, "2025/c.md": "---\ndate: 2025-05-01\n---\nNo title.\n" },
      stored: BASE,
      expected: { refusals: ["2025/c.md keeps 2025/c.md"] },
    },
    {
      name: "a new file broken: refused, nothing kept",
      folder: { ...BASE, "2025/new.md": "---\ntitle: [unclosed\n---\n" },
      stored: BASE,
      expected: { refusals: ["2025/new.md"] },
    },
    {
      name: "a renamed file (same slug from slug:), sent as a rename",
      folder: { ...BASE, "2025/c.md": undefined!, "2026/moved.md": article("C", "slug: c\n") },
      stored: BASE,
      expected: { renames: ["2025/c.md → 2026/moved.md"] },
    },
    {
      name: "a file moved as it is, its new name giving another slug: sent as a rename (recognised by its text)",
      folder: { ...BASE, "2025/c.md": undefined!, "2026/c-moved.md": article("C") },
      stored: BASE,
      expected: { renames: ["2025/c.md → 2026/c-moved.md"] },
    },
    {
      name: "a file moved and edited, its new name giving another slug: a new article beside a removal",
      folder: { ...BASE, "2025/c.md": undefined!, "2026/c-moved.md": article("C, edited") },
      stored: BASE,
      expected: { added: ["2026/c-moved.md"], removals: ["article 2025/c.md"] },
    },
    {
      name: "a renamed file that is broken: the stored article it renames is kept, not removed",
      folder: { ...BASE, "2025/c.md": undefined!, "2026/c.md": "---\ndate: not a date\ntitle: C\n---\n" },
      stored: BASE,
      expected: { refusals: ["2026/c.md keeps 2025/c.md"] },
    },
    {
      name: "a renamed file whose front matter cannot be read but whose slug: line can",
      folder: { ...BASE, "2025/c.md": undefined!, "2026/other-name.md": "---\nslug: c\ntitle: [broken\n---\n" },
      stored: BASE,
      expected: { refusals: ["2026/other-name.md"], removals: ["article 2025/c.md"] },
    },
    {
      name: "authors.yaml broken: it is kept, and the changed article naming its author waits; the others go",
      folder: {
        ...BASE,
        "authors.yaml": "sara:\n  name: Sara Ahmadi\n  email: not-an-email\n",
        "2025/a.md": article("A, edited", "author: sara\nimage: /images/a.png\n"),
        "2025/b.md": article("B, edited", "author: Reuters\n"),
      },
      stored: BASE,
      expected: {
        changed: ["2025/b.md"],
        refusals: ["authors.yaml keeps authors.yaml", `2025/a.md keeps 2025/a.md: it names "sara" of authors.yaml, which is refused`],
      },
    },
    {
      name: "authors.yaml unreadable: every changed article that names an author waits",
      folder: {
        ...BASE,
        "authors.yaml": "sara: [unclosed\n",
        "2025/b.md": article("B, edited", "author: Reuters\n"),
        "2025/c.md": article("C, edited"),
      },
      stored: BASE,
      expected: {
        changed: ["2025/c.md"],
        refusals: ["authors.yaml keeps authors.yaml", `2025/b.md keeps 2025/b.md: it names "Reuters" of authors.yaml, which is refused`],
      },
    },
    {
      name: "a new article naming an author of a broken authors.yaml that was never stored",
      folder: { ...BASE, "authors.yaml": "sara:\n  url: no name here\n" },
      stored: { ...BASE, "authors.yaml": undefined!, "2025/a.md": undefined! },
      expected: { refusals: ["authors.yaml", "2025/a.md: it names an author of authors.yaml, which is refused"] },
    },
    {
      name: "authors.yaml removed from the folder: published empty",
      folder: { ...BASE, "authors.yaml": undefined!, "2025/a.md": article("A", "image: /images/a.png\n") },
      stored: BASE,
      expected: { registries: ["authors.yaml emptied"], changed: ["2025/a.md"] },
    },
  ])("$name", async ({ folder, stored, expected }) => {
    const clean = (files: MemoryFiles) => Object.fromEntries(Object.entries(files).filter(([, v]) => v !== undefined));
    expect(summary(await plan(clean(folder), clean(stored)))).toEqual({ ...none, ...expected });
  });

  it("says what each upload needs: the images it shows, and authors.yaml when it names one of its authors", async () => {
    const p = await plan(
      { ...BASE, "images/avatar.png": png(8, 8), "authors.yaml": "sara:\n  name: Sara Ahmadi\n  avatar: /images/avatar.png\n" },
      {},
    );
    expect(Object.fromEntries([...p.registries, ...p.added].map((u) => [u.path, u.needs]))).toEqual({
      "authors.yaml": ["images/avatar.png"],
      "2025/a.md": ["images/a.png", "authors.yaml"],
      "2025/b.md": [],
      "2025/c.md": [],
    });
  });

  it("marks drafts, unpublishing, and a public URL that moves", async () => {
    const stored = await manifestOf({ ...BASE, "2025/draft.md": article("Draft", "draft: true\n") });
    // An article stored under an older slug rule (a file name with a space gave "my story"; it now gives "my-story").
    stored.push({ path: "2025/my story.md", kind: "article", hash: "old", slug: "my story", id: `${site.url}/articles/my%20story` });
    const p = await plan(
      {
        ...BASE,
        "2025/c.md": article("C", "draft: true\n"),
        "2025/draft.md": article("Draft, now out"),
        "2025/my story.md": article("Spaced"),
      },
      stored,
    );
    expect(p.changed.map((u) => ({ path: u.path, draft: u.draft, wasDraft: u.wasDraft, slugMove: u.slugMove }))).toEqual([
      { path: "2025/c.md", draft: true, wasDraft: false, slugMove: undefined },
      { path: "2025/draft.md", draft: false, wasDraft: true, slugMove: undefined },
      { path: "2025/my story.md", draft: false, wasDraft: false, slugMove: { from: "my story", to: "my-story" } },
    ]);
  });

  it("names a new file and a removed article of one date as perhaps one article moved and edited, only when they are alone", async () => {
    const moved = await plan(edit(BASE, ["2025/c.md"], { "2026/c-moved.md": article("C, edited") }), BASE);
    expect(moved.renames[0]?.slugMove).toBeUndefined();
    expect(moved.lookAlikes).toEqual([{ added: "2026/c-moved.md", removed: "2025/c.md", slug: "c" }]);
    // Two new files of that date: neither is named.
    const two = await plan(edit(BASE, ["2025/c.md"], { "2026/x.md": article("X"), "2026/y.md": article("Y") }), BASE);
    expect(two.lookAlikes).toEqual([]);
    // Another date: nothing.
    const other = await plan(
      edit(BASE, ["2025/c.md"], { "2026/x.md": article("X").replace("2025-05-01 10:00", "2025-05-02 10:00") }),
      BASE,
    );
    expect(other.lookAlikes).toEqual([]);
  });

  it("marks the public URL a rename moves", async () => {
    const p = await plan(edit(BASE, ["2025/c.md"], { "2026/c-moved.md": article("C") }), BASE);
    expect(p.renames.map((u) => u.slugMove)).toEqual([{ from: "c", to: "c-moved" }]);
  });

  it("ignores kinds of stored files it does not know (a newer worker's), in the plan and the guard", async () => {
    const stored = [...(await manifestOf(BASE)), { path: "/2024/05/old", kind: "redirect", hash: "x" } as unknown as ManifestEntry];
    const p = await plan(BASE, stored);
    expect(summary(p)).toEqual(none);
    expect(p.stored).toEqual({ files: 6, articles: 3 });
    expect((await plan({}, stored)).removals.map((r) => r.path)).not.toContain("/2024/05/old");
  });

  it("--all sends every article, unchanged or not, and no image or registry that is unchanged", async () => {
    const p = await plan(BASE, BASE, true);
    expect(summary(p)).toEqual({ ...none, changed: ["2025/a.md", "2025/b.md", "2025/c.md"] });
  });

  it("counts what is stored, for the guard", async () => {
    const p = await plan({}, BASE);
    expect(p.stored).toEqual({ files: 6, articles: 3 });
    expect(p.removals.map((r) => r.path)).toEqual(["2025/a.md", "2025/b.md", "2025/c.md", "images/a.png", "images/unused.png"]);
    expect(p.registries.map((r) => `${r.path} ${r.change}`)).toEqual(["authors.yaml emptied"]);
  });
});

describe("the deletion guard", () => {
  it.each([
    [0, 10],
    [3, 10],
    [200, 10],
    [201, 10],
    [1000, 50],
    [1_000_000, 50_000],
  ])("with %i files stored, a run removes up to %i unconfirmed", (stored, allowed) => {
    expect(allowedRemovals(stored)).toBe(allowed);
  });

  it.each<{ name: string; removals: [number, number]; stored: [number, number]; confirmed?: number; refused: RegExp | undefined }>([
    { name: "nothing removed", removals: [0, 0], stored: [100, 90], refused: undefined },
    { name: "one article of a new site of three", removals: [1, 1], stored: [3, 3], refused: undefined },
    { name: "ten files of a small site", removals: [10, 5], stored: [40, 30], refused: undefined },
    {
      name: "eleven files of a small site",
      removals: [11, 5],
      stored: [40, 30],
      refused:
        /^refusing to remove 11 of the 40 stored files, more than 10 \(the most one run removes unconfirmed: 10 files or 5% of those stored\): .* run again with --confirm-deletions 11 \(add --dry-run to list them first\)$/,
    },
    { name: "eleven files, confirmed", removals: [11, 5], stored: [40, 30], confirmed: 11, refused: undefined },
    { name: "eleven files, confirmed too few", removals: [11, 5], stored: [40, 30], confirmed: 10, refused: /--confirm-deletions 11/ },
    { name: "5% of a large archive", removals: [5000, 5000], stored: [100_000, 90_000], refused: undefined },
    {
      name: "just over 5% of a large archive",
      removals: [5001, 5001],
      stored: [100_000, 90_000],
      refused: /refusing to remove 5,001 of the 100,000/,
    },
    { name: "every article of a site of three", removals: [3, 3], stored: [5, 3], refused: /every stored article \(3\)/ },
  ])("$name", ({ removals, stored, confirmed, refused }) => {
    const found = checkRemovals({ files: removals[0], articles: removals[1] }, { files: stored[0], articles: stored[1] }, confirmed);
    if (refused) expect(found).toMatch(refused);
    else expect(found).toBeUndefined();
  });
});

describe("images sent while the articles are checked (planEarlyImages)", () => {
  const folderWithout = (...paths: string[]): MemoryFiles => Object.fromEntries(Object.entries(BASE).filter(([p]) => !paths.includes(p)));
  it.each<{ name: string; folder: MemoryFiles; stored: MemoryFiles; early: boolean }>([
    { name: "a first publish: every image", folder: BASE, stored: {}, early: true },
    { name: "a changed image, nothing gone", folder: { ...BASE, "images/a.png": png(5, 3) }, stored: BASE, early: true },
    {
      name: "an image and authors.yaml gone: removals the paths tell",
      folder: folderWithout("images/unused.png", "authors.yaml", "2025/a.md"),
      stored: folderWithout("2025/a.md"),
      early: true,
    },
    {
      name: "an article gone (perhaps renamed): the run waits for the check",
      folder: { ...folderWithout("2025/c.md"), "images/new.png": png(3, 3) },
      stored: BASE,
      early: false,
    },
    {
      name: "a draft gone: likewise",
      folder: { ...BASE, "images/new.png": png(3, 3) },
      stored: { ...BASE, "2025/d.md": article("D", "draft: true\n") },
      early: false,
    },
  ])("$name", async ({ folder, stored, early }) => {
    const manifest = await manifestOf(stored);
    // Only the images need describing: every other path is only seen to be there.
    const local = new Map([...describeAll(folder)].map(([path, file]) => [path, path.startsWith("images/") ? file : { size: 0 }]));
    const found = planEarlyImages(local, manifest);
    if (!early) {
      expect(found).toBeUndefined();
      return;
    }
    // What is sent early and what the guard weighs are what the whole plan decides.
    const whole = await plan(folder, manifest);
    expect(found!.images).toEqual(whole.images);
    const removed = whole.removals.length + whole.registries.filter((r) => r.change === "emptied").length;
    expect(found!.removals).toEqual({ files: removed, articles: 0 });
    expect(found!.stored).toEqual(whole.stored);
  });
});
