// Tells the WebSub hub (W3C WebSub §7, publishing) which feeds changed since the last notification. Run after every
// deploy, and after an embargo lifts: `npm run notify-hub -- --env production`.
import { readFile, rename, writeFile } from "node:fs/promises";
import type { Catalog } from "../core/catalog.ts";
import { loadContent } from "../core/content.ts";
import { ConfigError } from "../core/errors.ts";
import { planFeed, publicScopes, scopePath } from "../core/feed-plan.ts";
import { createMemoryCatalog } from "../core/memory-catalog.ts";
import type { SiteSettings } from "../core/settings.ts";
import { OUTPUT_REVISION } from "../formats/index.ts";
import { createDirectorySource } from "./directory-source.ts";
import { parseOptions, readNow, readSettings, SITE_OPTIONS_USAGE } from "./options.ts";

/** What was last announced: each subscription feed (by path) and the content version the hub was told about. */
export interface HubState {
  hub: string;
  feeds: Record<string, string>;
}

export interface NotifyOptions {
  site: SiteSettings;
  catalog: Catalog;
  now: Date;
  /** JSON file holding the HubState between runs. */
  statePath: string;
  fetch?: typeof fetch;
  dryRun?: boolean;
  log?: (line: string) => void;
}

export interface NotifyResult {
  /** Feed URLs the hub accepted a publish notification for. */
  notified: string[];
  /** Feed URLs whose notification failed (they are retried next time). */
  failed: string[];
  /** Feeds whose content had not changed. */
  unchanged: number;
}

async function readState(path: string, hub: string): Promise<HubState> {
  try {
    const state = JSON.parse(await readFile(path, "utf8")) as HubState;
    // Another hub has never heard of these feeds.
    return state.hub === hub && state.feeds && typeof state.feeds === "object" ? state : { hub, feeds: {} };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { hub, feeds: {} };
    throw new ConfigError("--state", `${path} is not a readable state file (${String(error)}); delete it to notify every feed`);
  }
}

/**
 * Sends `hub.mode=publish` for every feed URL (each format) of each subscription feed whose content version differs
 * from the one recorded at the last successful notification, then records the new versions.
 */
export async function notifyHub(options: NotifyOptions): Promise<NotifyResult> {
  const { site, catalog, now, statePath, dryRun = false, log = () => {} } = options;
  const send = options.fetch ?? fetch;
  const hub = site.websubHub;
  if (!hub) throw new ConfigError("WEBSUB_HUB", "is not set; there is no hub to notify");
  const state = await readState(statePath, hub);
  const next: HubState = { hub, feeds: {} };
  const result: NotifyResult = { notified: [], failed: [], unchanged: 0 };

  for (const scope of await publicScopes(catalog, now)) {
    const key = `/${scopePath(scope)}`;
    const plan = (await planFeed(catalog, site, now, { scope }))!;
    // The output revision is part of the bytes' name: a deploy that changes the renderers changes every feed.
    const version = `${OUTPUT_REVISION}-${plan.version}`;
    if (state.feeds[key] === version) {
      next.feeds[key] = version;
      result.unchanged++;
      continue;
    }
    let ok = true;
    for (const url of Object.values(plan.head.self)) {
      if (dryRun) {
        log(`would notify ${url}`);
        continue;
      }
      const body = new URLSearchParams({ "hub.mode": "publish", "hub.url": url });
      try {
        const response = await send(hub, { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
        await response.body?.cancel();
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        result.notified.push(url);
        log(`notified ${url}`);
      } catch (error) {
        ok = false;
        result.failed.push(url);
        log(`failed ${url}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // A feed is recorded only once the hub took every format of it; otherwise the old version stays and it is retried.
    if (ok && !dryRun) next.feeds[key] = version;
    else if (state.feeds[key] !== undefined) next.feeds[key] = state.feeds[key];
  }
  if (!dryRun) {
    await writeFile(statePath + ".tmp", JSON.stringify(next, null, 2) + "\n");
    await rename(statePath + ".tmp", statePath);
  }
  return result;
}

const USAGE = `usage: npm run notify-hub -- [--env production] [--state FILE] [--dry-run]

Tells WEBSUB_HUB about every feed whose content changed since the last run (state in --state).
options:
${SITE_OPTIONS_USAGE}  --state FILE       where the last notified versions are kept (default .websub-state.json)
  --now ISO-TIME     the clock (default: the current time)
  --dry-run          print, send nothing, keep the state
`;

export async function main(argv: readonly string[], out = process.stdout): Promise<number> {
  const { values } = parseOptions(argv, {
    state: { type: "string", default: ".websub-state.json" },
    now: { type: "string" },
    "dry-run": { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    out.write(USAGE);
    return 0;
  }
  const site = await readSettings(values.config, values.env, values.var);
  const now = readNow(values.now);
  const source = createDirectorySource(values.dir);
  const catalog = createMemoryCatalog(await loadContent(source, site), source);
  const result = await notifyHub({
    site,
    catalog,
    now,
    statePath: values.state,
    dryRun: values["dry-run"],
    log: (line) => out.write(line + "\n"),
  });
  out.write(`${result.notified.length} feed URL(s) notified, ${result.failed.length} failed, ${result.unchanged} feed(s) unchanged\n`);
  return result.failed.length ? 1 : 0;
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(error instanceof ConfigError ? 2 : 70);
    },
  );
}
