// Issue 20's "done when", end to end through the commands a newsroom runs: a generated WordPress export of a few
// hundred posts with real exports' quirks (several authors, a scheduled post, drafts and private posts, non-Latin text
// and percent-encoded slugs, images, shortcodes and embeds) goes through `npm run import`, passes `npm run check`, and
// `npm run publish` sends it to a local worker (workerd, local D1 and R2) whose SITE_URL is the old site's domain, as
// when a newsroom moves in keeping its address. Then, against that one worker: every feed page (RSS, Atom, JSON Feed,
// walked back through the archive) carries the WordPress guids, as feedparser and gofeed read them; every published
// post's old permalink (with and without its trailing slash, its percent-escapes as WordPress wrote them and
// upper-cased) and every old slug answers 301 to the new page; a draft's (a private post's) and the scheduled post's
// old permalinks answer exactly as an unknown path; WordPress's plain permalinks (/?p=ID) answer 301 likewise, a draft's
// or the scheduled post's the home page as an unknown post id's; and no alias appears in a feed, a sitemap or a page.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aliasKey, normaliseAliasPath } from "../../src/core/aliases.ts";
import { type LoadedContent, loadContent } from "../../src/core/content.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { readSettings } from "../../src/node/options.ts";
import { generateExport } from "../support/generated-export.ts";
import { snapshot } from "../support/import-run.ts";
import { feedparser } from "../support/judges.ts";
import { type LocalWorker, ROOT, startLocalWorker } from "../support/local-worker.ts";
import { READERS, type ReaderFormat } from "../support/readers.ts";
import { OLD_SITE, permalink, type WxrPost } from "../support/wxr-builder.ts";

const SIZE = 300;
const generated = generateExport(SIZE);
/** The site keeps its old domain: SITE_URL is the WordPress site's, for the import, the check, the publish and the worker. */
const SITE = ["--var", `SITE_URL=${OLD_SITE}`];
const gofeed = READERS.find((r) => r.id === "gofeed")!;

let root: string;
let out: string;
let wxr: string;
let uploads: string;
let worker: LocalWorker | undefined;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run SCRIPT -- ARGS…` from the project's root, as a newsroom runs it (no terminal). */
function npm(script: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      "npm",
      ["run", "--silent", script, "--", ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const runImport = () => npm("import", [wxr, "--out", out, "--images", uploads, "--offline", "--timezone", "Asia/Tehran", ...SITE]);

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

/** Runs `task` over `items`, `limit` at a time (the local worker is one process on two shared cores). */
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]!);
      }
    }),
  );
  return results;
}

/** A path of the worker's from a URL it served (its links name SITE_URL, the old domain). */
const local = (url: string): string => {
  const u = new URL(url);
  return u.pathname + u.search;
};

const guidOf = (p: WxrPost) => `${OLD_SITE}/?p=${p.id}`;

describe(`a generated export of ${SIZE} posts`, () => {
  const posts = generated.posts.filter((p) => (p.type ?? "post") === "post");
  const published = posts.filter((p) => p.status === "publish");
  let content: LoadedContent;
  /** Each published post's page, by its guid, as the feeds link it. */
  const links = new Map<string, string>();
  /** What the worker served, by path: every feed page the walks read, then the sitemaps and pages. */
  const bodies = new Map<string, string>();

  it("imports every post with npm run import, with a warning for each image and shortcode it could not keep", async () => {
    const first = await runImport();
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

  it("passes npm run check, and is one valid archive: every post an article, the drafts and private posts drafts", async () => {
    const check = await npm("check", ["--dir", out, ...SITE]);
    expect(check.code, check.stderr.slice(0, 2000)).toBe(0);
    expect(check.stdout).toBe(
      `ok: ${posts.length} article file(s), ${posts.length - posts.filter((p) => p.status === "draft" || p.status === "private").length} publishable, 6 author(s)\n`,
    );

    content = await loadContent(
      createDirectorySource(out),
      await readSettings(join(ROOT, "wrangler.toml"), undefined, [`SITE_URL=${OLD_SITE}`]),
    );
    expect(content.issues).toEqual([]);
    expect(content.fileCount).toBe(posts.length);
    expect(content.drafts.length).toBe(posts.filter((p) => p.status === "draft" || p.status === "private").length);
    const ids = new Set(content.records.map((r) => r.id));
    for (const p of published) expect(ids.has(guidOf(p)), `post ${p.id}`).toBe(true);
    // On the old domain, the old permalinks are paths of this site; each post also keeps WordPress's plain one (/?p=ID).
    const aliases = content.records.flatMap((r) => r.aliases ?? []);
    expect(new Set(aliases).size).toBe(aliases.length);
    const pretty = aliases.filter((a) => !a.startsWith("/?p="));
    expect(
      pretty.every((a) => /^\/\d{4}\/\d{2}\/[^/]+\/$/.test(a)),
      pretty.slice(0, 3).join(" "),
    ).toBe(true);
    expect(aliases.length - pretty.length).toBe(content.records.length);
  });

  it("publishes with npm run publish into a local worker", async () => {
    worker = await startLocalWorker({ vars: { SITE_URL: OLD_SITE } });
    const run = await npm("publish", ["--to", worker.url, "--dir", out, ...SITE], { PUBLISH_TOKEN: worker.token });
    expect(run.code, run.stderr.slice(0, 2000)).toBe(0);
    // Every file the import wrote (articles and drafts, authors.yaml, the images it copied) is created.
    const files = (await snapshot(out)).size;
    expect(files).toBeGreaterThan(posts.length + 1);
    expect(run.stdout).toMatch(new RegExp(`^published to ${worker.url}: ${files} created in [\\d.]+ s`, "m"));
  }, 240_000);

  /** Each format's feed from its first page back through every archive page (RFC 5005), as a reader catching up would. */
  async function walk(format: ReaderFormat): Promise<{ feedparser: string[]; gofeed: string[]; links: Map<string, string> }> {
    const start = { rss: "/rss.xml", atom: "/atom.xml", json: "/feed.json" }[format];
    const seen = { feedparser: [] as string[], gofeed: [] as string[], links: new Map<string, string>() };
    let next: string | undefined = start;
    for (let pages = 0; next && pages < 50; pages++) {
      const res = await worker!.get(next);
      expect(res.status, next).toBe(200);
      const body = await res.text();
      bodies.set(next, body);
      const items = await gofeed.read(body, format);
      // The newest archive page and the subscription feed may share items (RFC 5005 §4): once a page, though.
      expect(new Set(items.map((i) => i.id)).size, next).toBe(items.length);
      for (const item of items) {
        seen.gofeed.push(item.id!);
        seen.links.set(item.id!, item.link!);
      }
      if (format === "json") {
        const doc = JSON.parse(body) as { next_url?: string };
        next = doc.next_url ? local(doc.next_url) : undefined;
        continue;
      }
      const parsed = feedparser(body);
      expect(parsed.bozo, `${next}: ${parsed.bozo_exception}`).toBe(false);
      seen.feedparser.push(...parsed.entries.map((e) => e.id));
      const prev = parsed.feed.links.find((l) => l.rel === "prev-archive")?.href;
      next = prev ? local(prev) : undefined;
    }
    return seen;
  }

  it("serves feeds whose guids and ids are the WordPress guids, each published post's once (feedparser and gofeed)", async () => {
    const expected = published.map(guidOf).sort();
    for (const format of ["rss", "atom", "json"] as const) {
      const seen = await walk(format);
      expect([...new Set(seen.gofeed)].sort(), `${format}, gofeed`).toEqual(expected);
      if (format !== "json") expect([...new Set(seen.feedparser)].sort(), `${format}, feedparser`).toEqual(expected);
      for (const [id, link] of seen.links) links.set(id, link);
    }
    expect(links.size).toBe(published.length);
  }, 120_000);

  it("answers every old permalink and old slug 301 to the new page, with or without its slash and in any escape case", async () => {
    // Which article holds each old address: a permalink two posts share (a duplicated slug in one month) is the first's.
    const owner = new Map<string, string>();
    for (const r of content.records) for (const a of r.aliases ?? []) owner.set(aliasKey(a), r.id);
    const requests: { path: string; guid: string }[] = [];
    // Every old address as WordPress wrote it; for one post in four (a deterministic sample, to keep the test's cost
    // down), also without its trailing slash and with its escapes upper-cased, as a browser or a link elsewhere has them.
    const add = (url: string, guid: string, all: boolean) => {
      const path = new URL(url).pathname;
      const variants = new Set([path]);
      if (all) {
        variants.add(path.replace(/\/$/, ""));
        for (const v of [...variants]) variants.add(v.replace(/%[0-9a-f]{2}/g, (e) => e.toUpperCase()));
      }
      for (const v of variants) requests.push({ path: v, guid });
    };
    let nonLatin = 0;
    for (const p of published) {
      const url = permalink(p);
      const held = owner.get(aliasKey(normaliseAliasPath(new URL(url).pathname)));
      // Shared permalinks go to one of the posts sharing them (the import warned about the other).
      expect(held, url).toBeDefined();
      if (held !== guidOf(p))
        expect(
          published.some((q) => guidOf(q) === held && permalink(q) === url),
          url,
        ).toBe(true);
      const sampled = (p.id / 10) % 4 === 0;
      add(url, held!, sampled);
      if (/%[0-9a-f]{2}/.test(url)) nonLatin++;
      for (const old of (p.name && p.oldSlugs) || []) add(url.replace(`/${p.name}/`, `/${old}/`), guidOf(p), sampled);
      // WordPress's plain permalink, bare (and, for some, as a campaign link carries it).
      requests.push({ path: `/?p=${p.id}`, guid: guidOf(p) });
      if (p.id % 100 === 0) requests.push({ path: `/?utm_source=feed&p=${p.id}`, guid: guidOf(p) });
    }
    expect(nonLatin).toBeGreaterThan(10);
    const answers = await pool(requests, 8, async ({ path, guid }) => {
      const res = await worker!.get(path, { redirect: "manual" });
      await res.arrayBuffer();
      return { path, status: res.status, location: res.headers.get("Location"), expected: links.get(guid) };
    });
    const wrong = answers.filter((a) => a.status !== 301 || a.location !== a.expected);
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(answers.length).toBeGreaterThan(published.length * 2);
    // The sample holds non-Latin permalinks in every form.
    expect(answers.filter((a) => /%D8/.test(a.path) && !a.path.endsWith("/")).length).toBeGreaterThan(5);
    expect(answers.filter((a) => /%d8/.test(a.path) && !a.path.endsWith("/")).length).toBeGreaterThan(5);
    // Each page it leads to is served.
    const target = answers.find((a) => /%D8/.test(a.path))!;
    expect((await worker!.get(local(target.location!))).status).toBe(200);
  }, 120_000);

  it("answers a draft's and the scheduled post's plain permalink /?p=ID with the home page, as a post id nobody has", async () => {
    const hidden = posts.filter((p) => p.status !== "publish");
    expect(new Set(hidden.map((p) => p.status))).toEqual(new Set(["draft", "private", "future"]));
    const home = await (await worker!.get("/?p=999999999")).text();
    expect(home).toContain("<h1>");
    for (const p of hidden) {
      const res = await worker!.get(`/?p=${p.id}`, { redirect: "manual" });
      expect(res.status, `post ${p.id}`).toBe(200);
      expect(await res.text(), `post ${p.id}`).toBe(home);
    }
  }, 60_000);

  it("answers a draft's (a private post's) and the scheduled post's old permalinks exactly as an unknown path", async () => {
    const publishedPermalinks = new Set(published.map((p) => permalink(p)));
    const hidden = posts.filter((p) => (p.status === "private" || p.status === "future") && !publishedPermalinks.has(permalink(p)));
    expect(hidden.some((p) => p.status === "future")).toBe(true);
    expect(hidden.filter((p) => p.status === "private").length).toBeGreaterThan(1);
    // The importer kept them as aliases of the draft and the embargoed article: the worker must not answer them.
    const aliasesOfHidden = [
      ...content.drafts.flatMap((d) => d.aliases ?? []),
      ...content.records.filter((r) => r.published.getTime() > Date.now()).flatMap((r) => r.aliases ?? []),
    ];
    for (const p of hidden) {
      expect(aliasesOfHidden.map(aliasKey), permalink(p)).toContain(aliasKey(normaliseAliasPath(new URL(permalink(p)).pathname)));
    }

    const answer = async (path: string) => {
      const res = await worker!.get(path, { redirect: "manual" });
      const body = (await res.text()).replaceAll(path, "PATH");
      return { status: res.status, type: res.headers.get("Content-Type"), location: res.headers.get("Location"), body };
    };
    for (const p of hidden) {
      const path = new URL(permalink(p)).pathname;
      const unknown = await answer(`${path.slice(0, 9)}no-such-story-${p.id}/`);
      expect(unknown.status).toBe(404);
      for (const variant of [path, path.replace(/\/$/, "")]) {
        expect({ ...(await answer(variant)), body: "" }, variant).toEqual({ ...unknown, body: "" });
        expect((await answer(variant)).body.replaceAll(variant, "PATH")).toBe(
          unknown.body.replace(`${path.slice(0, 9)}no-such-story-${p.id}/`, "PATH"),
        );
      }
    }
  }, 60_000);

  it("lists no alias in any feed, sitemap or page", async () => {
    // The plain permalinks (/?p=ID) are left out: the WordPress guids, kept as ids, are those very URLs.
    const aliases = content.records
      .flatMap((r) => r.aliases ?? [])
      .filter((a) => !a.startsWith("/?p="))
      .map(aliasKey);
    const decoded = aliases.map((a) => decodeURIComponent(a));
    const forms = [...new Set([...aliases, ...decoded, ...aliases.map((a) => a.toLowerCase())])];
    // An alias without its slash is a prefix of others (/2023/01/story-1 of /2023/01/story-10): only a whole one counts.
    const found = (text: string): string | undefined => {
      for (const form of forms) {
        for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
          if (!/[\p{L}\p{N}%_-]/u.test(text[at + form.length] ?? "")) return form;
        }
      }
      return undefined;
    };
    const paths = ["/", "/feeds.opml", "/sitemap.xml", "/sitemap-news.xml", "/robots.txt"];
    for (const format of ["/rss.xml", "/atom.xml", "/feed.json"]) paths.push(format);
    const index = await (await worker!.get("/sitemap.xml")).text();
    paths.push(...[...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => local(m[1]!)));
    paths.push(...[...links.values()].map(local));
    expect(paths.length).toBeGreaterThan(published.length);
    await pool(paths, 8, async (path) => {
      const res = await worker!.get(path);
      expect(res.status, path).toBe(200);
      bodies.set(path, await res.text());
    });
    // Every feed page the walks read, and the rest.
    expect([...bodies.keys()].filter((p) => /^\/archive\//.test(p)).length).toBeGreaterThan(3);
    for (const [path, body] of bodies) expect(found(body), path).toBeUndefined();
    // The search finds a whole alias where there is one, and only a whole one.
    expect(found(`<a href="${OLD_SITE}${aliases[0]}/">`)).toBe(aliases[0]);
    expect(found(`<a href="${OLD_SITE}${aliases[0]}0/">`)).toBeUndefined();
  }, 120_000);
});
