// `npm run check --against URL` or `--since REF`: the folder compared with what a worker stores, or with what git held
// at a commit, for the public URLs a publish of it would move or remove (loaded only then, so a plain check stays as
// quick to start as it was).
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { parseArticle } from "../core/article.ts";
import { isArticleFile, type LoadedContent } from "../core/content.ts";
import { hashSource } from "../core/publish/publication.ts";
import type { ManifestEntry } from "../core/publishing.ts";
import type { SiteSettings } from "../core/settings.ts";
import type { FolderSnapshot } from "./folder-snapshot.ts";
import { readPublishToken } from "./publish.ts";
import { type LocalFile, planPublish } from "./publish-plan.ts";
import { PublishApi, PublishClientError } from "./publish-transport.ts";
import { pagesOf, urlMoveWarnings } from "./url-moves.ts";

/** Removed articles listed one by one before the rest are counted. */
const REMOVALS_LISTED = 20;

export type StoredRead = { ok: true; read: Promise<ManifestEntry[]> } | { ok: false; problem: string };

/** Starts reading the worker's manifest (with PUBLISH_TOKEN as `npm run publish` finds it), or says what is missing. */
export async function readStored(to: string, configPath: string): Promise<StoredRead> {
  const token = await readPublishToken(process.env, join(dirname(configPath), ".dev.vars"));
  if (!token)
    return {
      ok: false,
      problem: "--against needs PUBLISH_TOKEN (the environment, or .dev.vars beside the wrangler config) to read the manifest",
    };
  const read = new PublishApi({ to, token }).manifest();
  read.catch(() => {});
  return { ok: true, read };
}

/**
 * The warnings of what publishing the folder would do to public URLs, against what the worker stores: each URL that
 * moves (worded as `npm run publish` warns of it), and each published article gone from the folder, whose URL would
 * answer 410; or the problem reading the manifest.
 */
export async function movedUrls(
  content: LoadedContent,
  snapshot: FolderSnapshot,
  stored: Promise<ManifestEntry[]>,
  site: SiteSettings,
  where: string,
): Promise<{ ok: true; lines: string[] } | { ok: false; problem: string }> {
  let manifest: ManifestEntry[];
  try {
    manifest = await stored;
  } catch (error) {
    if (!(error instanceof PublishClientError)) throw error;
    return { ok: false, problem: `--against: ${error.message}` };
  }
  return { ok: true, lines: describeMoves(content, await snapshot.describe(), manifest, site, where) };
}

/** The warnings of what publishing the folder would do to public URLs, against a stored state. */
export function describeMoves(
  content: LoadedContent,
  local: Map<string, LocalFile>,
  manifest: readonly ManifestEntry[],
  site: SiteSettings,
  where: string,
): string[] {
  const plan = planPublish({ content, local, stored: manifest, site, all: false });
  const lines = urlMoveWarnings(plan, pagesOf(content));
  const slugOf = new Map(manifest.map((e) => [e.path, e.slug]));
  const removed = plan.removals.filter((r) => r.kind === "article");
  for (const r of removed.slice(0, REMOVALS_LISTED)) {
    lines.push(
      `warning: ${r.path} is gone from the folder (${where}): publishing would remove it, and /articles/${slugOf.get(r.path)} would answer 410 Gone`,
    );
  }
  if (removed.length > REMOVALS_LISTED) {
    lines.push(`warning: and ${removed.length - REMOVALS_LISTED} more article(s) gone from the folder (${where})`);
  }
  return lines;
}

/** Article files read from git for `--since` at most: beyond it the comparison is refused (a bounded cost). */
export const SINCE_MAX_FILES = 200_000;

/**
 * The folder's articles as git holds them at `ref` (a commit, a branch, `HEAD`), as a manifest: what publishing that
 * state stored, for a check in CI that has no token (a pull request from a fork). Each file is parsed with the rules
 * of the current folder's authors, any image taken as present (only its slug, id, date and draft state are needed).
 */
export async function readCommitted(dir: string, ref: string, content: LoadedContent, site: SiteSettings): Promise<StoredRead> {
  const git = (args: readonly string[], input?: string) =>
    new Promise<Buffer>((resolve, reject) => {
      const child = execFile("git", args, { cwd: dir, encoding: "buffer", maxBuffer: 1 << 30 }, (error, stdout, stderr) =>
        error ? reject(new Error(stderr.toString("utf8").trim().split("\n")[0] || error.message)) : resolve(stdout),
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  let paths: string[];
  try {
    if (ref.startsWith("-")) throw new Error(`"${ref}" is not a commit`);
    paths = (await git(["ls-tree", "-r", "-z", "--name-only", `${ref}^{commit}`, "--", "."]))
      .toString("utf8")
      .split("\0")
      .filter((p) => isArticleFile(p));
  } catch (error) {
    return { ok: false, problem: `--since ${ref}: ${(error as Error).message}` };
  }
  if (paths.length > SINCE_MAX_FILES) return { ok: false, problem: `--since ${ref}: more than ${SINCE_MAX_FILES} article files` };
  // One `git cat-file --batch` for every file: each answer is a header line, the bytes and a newline.
  let out: Buffer;
  try {
    out = paths.length ? await git(["cat-file", "--batch"], paths.map((p) => `${ref}:./${p}\n`).join("")) : Buffer.alloc(0);
  } catch (error) {
    return { ok: false, problem: `--since ${ref}: ${(error as Error).message}` };
  }
  const entries: ManifestEntry[] = [];
  let at = 0;
  for (const path of paths) {
    const end = out.indexOf(10, at);
    const header = out.subarray(at, end).toString("utf8");
    const size = Number(/ blob (\d+)$/.exec(header)?.[1] ?? Number.NaN);
    if (!Number.isFinite(size)) break;
    const bytes = out.subarray(end + 1, end + 1 + size);
    at = end + 1 + size + 1;
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      continue;
    }
    const parsed = parseArticle(path, text, {
      site,
      authors: content.authors,
      image: () => ({ type: "image/png", width: 1, height: 1, length: 1 }),
      exists: () => true,
    });
    // A file the check refused then was never published.
    if (!parsed.ok) continue;
    const { record } = parsed;
    entries.push({
      path,
      kind: record.draft ? "draft" : "article",
      hash: hashSource(text),
      slug: record.slug,
      id: record.id,
      published: record.published.toISOString(),
    });
  }
  return { ok: true, read: Promise.resolve(entries) };
}
