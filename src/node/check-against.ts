// `npm run check --against URL`: the folder compared with what a worker stores, for the public URLs a publish of it
// would move or remove (loaded only with --against, so a plain check stays as quick to start as it was).
import { dirname, join } from "node:path";
import type { LoadedContent } from "../core/content.ts";
import type { ManifestEntry } from "../core/publishing.ts";
import type { SiteSettings } from "../core/settings.ts";
import type { FolderSnapshot } from "./folder-snapshot.ts";
import { readPublishToken } from "./publish.ts";
import { planPublish } from "./publish-plan.ts";
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
): Promise<{ ok: true; lines: string[] } | { ok: false; problem: string }> {
  let manifest: ManifestEntry[];
  try {
    manifest = await stored;
  } catch (error) {
    if (!(error instanceof PublishClientError)) throw error;
    return { ok: false, problem: `--against: ${error.message}` };
  }
  const plan = planPublish({ content, local: await snapshot.describe(), stored: manifest, site, all: false });
  const lines = urlMoveWarnings(plan, pagesOf(content));
  const slugOf = new Map(manifest.map((e) => [e.path, e.slug]));
  const removed = plan.removals.filter((r) => r.kind === "article");
  for (const r of removed.slice(0, REMOVALS_LISTED)) {
    lines.push(
      `warning: ${r.path} is published and gone from the folder: publishing would remove it, and /articles/${slugOf.get(r.path)} would answer 410 Gone`,
    );
  }
  if (removed.length > REMOVALS_LISTED) {
    lines.push(`warning: and ${removed.length - REMOVALS_LISTED} more published article(s) gone from the folder`);
  }
  return { ok: true, lines };
}
