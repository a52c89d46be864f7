// `npm run import` over a realistic WordPress export: every article checked field by field, authors merged, images
// copied, warnings named, a second import changing nothing, `npm run check` passing, and the served feeds keeping the guids.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "../../src/core/content.ts";
import { splitFrontMatter } from "../../src/core/front-matter.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { main } from "../../src/node/import.ts";
import { appOver } from "../support/app.ts";
import { runImport, snapshot, VARS } from "../support/import-run.ts";
import { feedparser } from "../support/judges.ts";
import { POSTS, UPLOADS, writeNewsroomExport } from "../support/newsroom-export.ts";
import { NOW, site } from "../support/site.ts";
import { OLD_SITE } from "../support/wxr-builder.ts";

const run = promisify(execFile);

const EXISTING_AUTHORS = `# The newsroom's registry: kept as written by the import.
sara-ahmadi:
  name: Sara Ahmadi
  url: https://sara-ahmadi.example.com/
`;

let root: string;
let out: string;
let first: Awaited<ReturnType<typeof runImport>>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "edge-feeds-import-"));
  out = join(root, "articles");
  await mkdir(out, { recursive: true });
  await writeFile(join(out, "authors.yaml"), EXISTING_AUTHORS);
  const { wxr, uploads } = await writeNewsroomExport(join(root, "export"));
  first = await runImport([wxr, "--out", out, "--images", uploads, "--offline", "--timezone", "Asia/Tehran"]);
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function frontMatter(file: string): Promise<{ data: Record<string, unknown>; body: string }> {
  const split = splitFrontMatter(file, await readFile(join(out, file), "utf8"));
  if (!split.ok) throw new Error(`${file}: ${split.issue.found}`);
  return { data: split.data, body: split.body };
}

describe("a WordPress export", () => {
  it("imports every post, skips pages and trash, and says so", () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/1 input\(s\), 9 post\(s\): 9 written, 0 unchanged, 0 kept as they were, 0 not imported/);
    expect(first.stdout).toMatch(/images: 4 copied, 0 fetched, 0 already there, 1 kept remote/);
    expect(first.stdout).toMatch(/skipped: 1 pages, 1 trash posts/);
    expect(first.stdout).toMatch(/check: ok/);
  });

  it.each([
    {
      file: "2024/05/baku-tehran-rail-link.md",
      expected: {
        title: "Baku and Tehran agree on a new rail link – a first",
        slug: "baku-tehran-rail-link",
        date: "2024-05-03T09:15:00+03:30",
        updated: "2024-05-04T10:00:00+03:30",
        id: `${OLD_SITE}/?p=1`,
        authors: ["sara-ahmadi"],
        section: "News",
        tags: ["Business", "Iran", "Azerbaijan", "Oil & Gas"],
        summary: "The two capitals signed an agreement on Friday & more.",
        image: { src: "/images/2024/05/baku-port.png", alt: "Cranes at the port of Baku", caption: "The port of Alat, south of Baku." },
        aliases: [`${OLD_SITE}/2024/05/baku-tehran-rail-link/`, `${OLD_SITE}/2024/05/rail-link-draft-title/`, `${OLD_SITE}/?p=1`],
      },
    },
    {
      file: "2024/06/مترو-تهران-گسترش-می-یابد.md",
      expected: {
        title: "مترو تهران گسترش می‌یابد",
        slug: "مترو-تهران-گسترش-می-یابد",
        date: "2024-06-10T18:30:00+03:30",
        id: `${OLD_SITE}/?p=2`,
        authors: ["reza"],
        section: "سیاست",
        tags: ["تهران"],
        lang: "fa",
        aliases: [`${OLD_SITE}/2024/06/${encodeURIComponent("مترو-تهران-گسترش-می-یابد")}/`, `${OLD_SITE}/?p=2`],
      },
    },
    {
      file: "2024/06/bakı-enerji-həftəsi-başlayır.md",
      expected: {
        title: "Bakı Enerji Həftəsi başlayır",
        slug: "bakı-enerji-həftəsi-başlayır",
        date: "2024-06-01T10:00:00+04:00",
        id: `${OLD_SITE}/?p=3`,
        authors: ["leyla-aliyeva"],
        section: "Energetika",
        lang: "az",
        aliases: [`${OLD_SITE}/?p=3`],
      },
    },
    {
      // Scheduled: not a draft; its future date keeps it embargoed until then.
      file: "2030/03/caspian-summit-preview.md",
      expected: {
        title: "Caspian summit: what to expect",
        slug: "caspian-summit-preview",
        date: "2030-03-01T08:00:00+03:30",
        id: `${OLD_SITE}/?p=4`,
        authors: ["sara-ahmadi"],
        section: "Analysis",
        aliases: [`${OLD_SITE}/2030/03/caspian-summit-preview/`, `${OLD_SITE}/?p=4`],
      },
    },
    {
      // A draft has no GMT time in WordPress: its wall-clock time is read in --timezone, and written with the offset.
      file: "2024/07/draft-sanctions-explainer.md",
      expected: {
        title: "Draft: sanctions explainer",
        slug: "draft-sanctions-explainer",
        date: "2024-07-01T12:00:00+03:30",
        id: `${OLD_SITE}/?p=5`,
        authors: ["leyla-aliyeva"],
        // A draft's only address in WordPress is its plain permalink: kept, though nothing serves a draft's alias.
        aliases: [`${OLD_SITE}/?p=5`],
        draft: true,
      },
    },
    {
      file: "2024/07/newsroom-rota.md",
      expected: {
        title: "Staff only: newsroom rota",
        slug: "newsroom-rota",
        date: "2024-07-02T09:00:00+03:30",
        id: `${OLD_SITE}/?p=6`,
        authors: ["sara-ahmadi"],
        aliases: [`${OLD_SITE}/2024/07/newsroom-rota/`, `${OLD_SITE}/?p=6`],
        draft: true,
      },
    },
    {
      // The featured image is not in the uploads folder and --offline forbids fetching: it stays remote.
      file: "2024/05/caspian-coast-photo-essay.md",
      expected: {
        title: "Photo essay: the Caspian coast",
        slug: "caspian-coast-photo-essay",
        date: "2024-05-20T07:00:00+03:30",
        id: `${OLD_SITE}/?p=7`,
        authors: ["leyla-aliyeva"],
        section: "Culture",
        image: { src: `${OLD_SITE}/wp-content/uploads/2024/05/missing-photo.png`, alt: "A photo nobody kept" },
        aliases: [`${OLD_SITE}/2024/05/caspian-coast-photo-essay/`, `${OLD_SITE}/?p=7`],
      },
    },
    {
      file: "2024/05/morning-briefing.md",
      expected: {
        title: "Morning briefing",
        slug: "morning-briefing",
        date: "2024-05-06T07:00:00+03:30",
        id: `${OLD_SITE}/?p=10`,
        authors: ["sara-ahmadi"],
        aliases: [`${OLD_SITE}/2024/05/morning-briefing/`, `${OLD_SITE}/?p=10`],
      },
    },
    {
      // The same post_name twice: the later post takes a slug with a short hash of its guid, and no permalink alias (the
      // first has it), only its plain permalink /?p=11.
      file: "2024/05/morning-briefing-bb68b4.md",
      expected: {
        title: "Morning briefing",
        slug: "morning-briefing-bb68b4",
        date: "2024-05-07T07:00:00+03:30",
        id: `${OLD_SITE}/?p=11`,
        authors: ["sara-ahmadi"],
        aliases: [`${OLD_SITE}/?p=11`],
      },
    },
  ])("$file", async ({ file, expected }) => {
    const { data } = await frontMatter(file);
    expect(data).toEqual(expected);
  });

  it("converts bodies: captions to figures, galleries to images, embeds to links, text kept", async () => {
    const rail = (await frontMatter("2024/05/baku-tehran-rail-link.md")).body;
    expect(rail).toContain(
      '<figure><img alt="Cranes at the port" width="300" height="200" src="/images/2024/05/baku-port-300x200.png"><figcaption>The port of Alat will handle the freight.</figcaption></figure>',
    );
    expect(rail).toContain("Officials said the line would open in **2026**.");
    expect(rail).toContain("[https://www.youtube.com/watch?v=dQw4w9WgXcQ](https://www.youtube.com/watch?v=dQw4w9WgXcQ)");
    expect(rail).toContain("[https://twitter.com/newregion/status/123](https://twitter.com/newregion/status/123)");
    expect(rail).toContain("[https://www.google.com/maps/embed?pb=1](https://www.google.com/maps/embed?pb=1)");
    expect(rail).not.toMatch(/\[contact-form-7|\[caption|\[embed|<iframe/);
    const metro = (await frontMatter("2024/06/مترو-تهران-گسترش-می-یابد.md")).body;
    expect(metro).toContain('<figure><img alt="Tehran metro" src="/images/2024/06/tehran-1.png"></figure>');
    expect(metro).toContain(
      '<figure><img alt="Tehran at night" src="/images/2024/06/tehran-2.png"><figcaption>شب تهران</figcaption></figure>',
    );
    expect(metro).toContain("خط جدید متروی تهران در ماه آینده افتتاح می‌شود.");
    const baku = (await frontMatter("2024/06/bakı-enerji-həftəsi-başlayır.md")).body;
    // A root-relative link of the old site points at the old site.
    expect(baku).toContain(`Bakı Enerji Həftəsi [bu gün](${OLD_SITE}/2024/05/baku-tehran-rail-link/) başlayır.`);
    const essay = (await frontMatter("2024/05/caspian-coast-photo-essay.md")).body;
    expect(essay).toContain(`![Sea](${OLD_SITE}/wp-content/uploads/2024/05/missing-photo.png)`);
  });

  it("names the file and the shortcode or embed in every warning", () => {
    const lines = first.stderr.split("\n").filter((l) => l.startsWith("warning:"));
    const about = (file: string, what: RegExp) => lines.some((l) => l.includes(`→ ${file}:`) && what.test(l));
    expect(about("2024/05/baku-tehran-rail-link.md", /\[contact-form-7\] is a WordPress shortcode with no equivalent here/)).toBe(true);
    expect(
      about("2024/05/baku-tehran-rail-link.md", /\[embed\] of https:\/\/twitter\.com\/newregion\/status\/123 cannot be carried in feeds/),
    ).toBe(true);
    expect(about("2024/05/baku-tehran-rail-link.md", /an embed of https:\/\/www\.youtube\.com\/watch\?v=dQw4w9WgXcQ/)).toBe(true);
    expect(about("2024/05/baku-tehran-rail-link.md", /an <iframe> of https:\/\/www\.google\.com\/maps\/embed\?pb=1/)).toBe(true);
    expect(about("2024/06/bakı-enerji-həftəsi-başlayır.md", /an embed block of https:\/\/www\.youtube\.com\/watch\?v=xyz/)).toBe(true);
    expect(about("2024/05/caspian-coast-photo-essay.md", /missing-photo\.png kept as a remote image: not found locally/)).toBe(true);
    expect(about("2024/07/newsroom-rota.md", /a private post in WordPress: imported as a draft/)).toBe(true);
    expect(about("2024/05/morning-briefing-bb68b4.md", /another article's alias already/)).toBe(true);
    expect(lines.every((l) => / item \d+ \(post \d+\) → \S/.test(l))).toBe(true);
  });

  it("merges authors into the existing authors.yaml without touching what was there, and writes no e-mail", async () => {
    const text = await readFile(join(out, "authors.yaml"), "utf8");
    expect(text.startsWith(EXISTING_AUTHORS)).toBe(true);
    expect(text.slice(EXISTING_AUTHORS.length)).toBe(
      "\n# Added by npm run import\nreza:\n  name: رضا کریمی\nleyla-aliyeva:\n  name: Leyla Aliyeva\n",
    );
    expect(text).not.toContain("@example.com");
  });

  it("copies the images from the uploads folder, byte for byte", async () => {
    for (const path of ["2024/05/baku-port.png", "2024/05/baku-port-300x200.png", "2024/06/tehran-1.png", "2024/06/tehran-2.png"]) {
      expect(new Uint8Array(await readFile(join(out, "images", path))), path).toEqual(UPLOADS[path]);
    }
  });

  it("changes nothing when run again: the same files, byte for byte", async () => {
    const before = await snapshot(out);
    const { wxr, uploads } = await writeNewsroomExport(join(root, "export"));
    const again = await runImport([wxr, "--out", out, "--images", uploads, "--offline", "--timezone", "Asia/Tehran"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/9 post\(s\): 0 written, 9 unchanged/);
    expect(again.stdout).toMatch(/images: 0 copied, 0 fetched, 4 already there, 1 kept remote/);
    expect(await snapshot(out)).toEqual(before);
  });

  it("shows progress on a terminal: done/total and the rate, cleared before any other line", async () => {
    let stderr = "";
    const { wxr, uploads } = await writeNewsroomExport(join(root, "export"));
    const code = await main(
      [wxr, "--out", out, "--images", uploads, "--offline", "--timezone", "Asia/Tehran", "--quiet", ...VARS],
      { write: () => {} },
      {
        isTTY: true,
        write: (t: string) => (stderr += t),
      },
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/\r\x1b\[Kimporting 9\/9 \([\d.]+\/s\)/);
    expect(stderr.endsWith("\r\x1b[K")).toBe(true);
  });

  it("passes npm run check", async () => {
    const { stdout } = await run("node", ["src/node/cli.ts", "check", "--dir", out, ...VARS]);
    expect(stdout).toMatch(/^ok: 9 article file\(s\), 7 publishable, 3 author\(s\)/);
  });

  it("keeps each post's old permalink on its record, and the WordPress guid in every served feed", async () => {
    const content = await loadContent(createDirectorySource(out), site);
    expect(content.issues).toEqual([]);
    expect(content.records.find((r) => r.slug === "baku-tehran-rail-link")?.aliases).toEqual([
      `${OLD_SITE}/2024/05/baku-tehran-rail-link/`,
      `${OLD_SITE}/2024/05/rail-link-draft-title/`,
      `${OLD_SITE}/?p=1`,
    ]);
    const app = appOver({ source: createDirectorySource(out), site, now: () => NOW, log: () => {} });
    // Published posts only: not the scheduled one (2030), the draft or the private post.
    const published = POSTS.filter((p) => p.status === "publish" && (p.type ?? "post") === "post").map((p) => `${OLD_SITE}/?p=${p.id}`);
    for (const path of ["/rss.xml", "/atom.xml"]) {
      const parsed = feedparser(await (await app.request(`${site.url}${path}`)).text());
      expect(parsed.bozo, path).toBe(false);
      expect(parsed.entries.map((e) => e.id).sort(), path).toEqual([...published].sort());
    }
    const json = (await (await app.request(`${site.url}/feed.json`)).json()) as { items: { id: string }[] };
    expect(json.items.map((i) => i.id).sort()).toEqual([...published].sort());
  });
});
