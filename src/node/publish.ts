// `npm run publish`: checks the content folder as `npm run check` does and sends the worker's publish API what
// differs from what it stores, file by file: every good file goes, each bad one is refused and named (a published
// version of it stays live), a run that would remove much of the site is refused, and large runs go in batches. The
// check and the sending overlap, so the worker is busy while the client reads: images go while the articles are
// checked, and each article's body check (what its markdown renders to) runs as the article goes.
import { watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { isArticleFile, loadContent } from "../core/content.ts";
import { ConfigError, formatIssue } from "../core/errors.ts";
import { SHAPING_STEP } from "../core/publish/shaping.ts";
import type { SiteSettings } from "../core/settings.ts";
import { checkRemovals } from "./deletion-guard.ts";
import { createDirectorySource } from "./directory-source.ts";
import { runCommand } from "./exit-codes.ts";
import { checkFolder, describeFile, isPublishablePath, snapshotFolder } from "./folder-snapshot.ts";
import { parseOptions, readSettings, SITE_OPTIONS_USAGE } from "./options.ts";
import { describeDone, describePlanned, formatDuration, LISTED_PER_KIND, plannedVerb, RunOutput, type Write } from "./publish-output.ts";
import { claimsOf, type LocalFile, type Plan, planEarlyImages, planPublish, type Upload } from "./publish-plan.ts";
import { type ApiOptions, CLIENT_LIMITS, PublishApi, PublishClientError } from "./publish-transport.ts";

export { makeBatches } from "./publish-sender.ts";
export { PublishClientError } from "./publish-transport.ts";

import { type NotPublished, REFUSED_BY_CHECK, RunSender } from "./publish-sender.ts";
import { pagesOf, urlMoveSubjects, urlMoveWarnings } from "./url-moves.ts";

const USAGE = `usage: npm run publish -- [options]

Checks the content folder as npm run check does and publishes what changed to the worker's publish API: images,
then authors.yaml and partners.yaml, then changed and new articles (a renamed file replaces its old name), then
removes files no longer in the folder. Every good file is published; a file the check refuses is named with its
problems and not sent, and if it was published before, its published version stays live. The run exits 1 if any file
was refused. To keep the worker busy, images go while the articles are checked (unless a stored article is gone from
the folder: it may be renamed), and each article's body is checked as it goes. The token is PUBLISH_TOKEN from the
environment, else from .dev.vars beside the wrangler config.

options:
  --to URL                  the worker (default: http://127.0.0.1:8787, the local dev server)
${SITE_OPTIONS_USAGE}  --dry-run                 print what would change; send nothing
  --all                     send every article, even those whose text is unchanged (the worker brings articles up
                            to date with new settings by itself, 200 a minute; this does it at once)
  --all-or-nothing          send nothing if the check refuses any file
  --confirm-deletions N     allow this run to remove up to N stored files (a run removing more than 10 files and
                            more than 5% of those stored, or every article, is refused without it)
  --parallel N              requests in flight at once, 1 to ${CLIENT_LIMITS.maxParallel} (default ${CLIENT_LIMITS.parallel})
  --verbose                 list every file changed (by default ${LISTED_PER_KIND} of each kind, then a count)
  --watch                   publish again whenever a file in the folder changes (Ctrl-C stops)
`;

export const DEFAULT_TARGET = "http://127.0.0.1:8787";

/** Lines saying a request is retried, before the rest are only counted. */
const RETRY_LINES = 10;

export interface PublishRunOptions {
  to: string;
  dir: string;
  token: string;
  site: SiteSettings;
  dryRun?: boolean;
  all?: boolean;
  allOrNothing?: boolean;
  /** Removals this run may make beyond the guard's allowance (`--confirm-deletions`). */
  confirmDeletions?: number;
  parallel?: number;
  verbose?: boolean;
  /** Standard error is a terminal: draw the progress line. */
  tty?: boolean;
  out: Write;
  err: Write;
  /** The clock that decides what is embargoed (the tests fix it). */
  now?: () => Date;
  /** The transport's fetch, waits and jitter (the tests replace them). */
  api?: Pick<ApiOptions, "fetch" | "sleep" | "random" | "attempts">;
}

/** What one run did, for the exit code and the tests. */
export interface PublishReport {
  /** Files not published as the folder has them: refused by the check or the worker, held back, or not sent. */
  refused: string[];
  /** Stored files whose published version stays live although the folder's differs (or is gone, for a removal refused). */
  kept: string[];
  /** Count of each kind of change made (or, in a dry run, that would be). */
  counts: Record<string, number>;
  /** Nothing was sent because the check refused a file and `--all-or-nothing` was given. */
  stopped?: "all-or-nothing";
  /** Stored articles and registries rendered under other settings that this run leaves to the worker's catch-up. */
  stale?: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * One publish run over the folder. Never throws for content problems (they are printed and counted); throws
 * PublishClientError when the run cannot go ahead (folder missing or empty, deletion guard, token, worker unreachable).
 */
export async function publishFolder(options: PublishRunOptions): Promise<PublishReport> {
  const { site } = options;
  const report: PublishReport = { refused: [], kept: [], counts: {} };
  const now = options.now?.() ?? new Date();
  const output = new RunOutput({ out: options.out, err: options.err, tty: options.tty ?? false, verbose: options.verbose ?? false });
  const folderProblem = await checkFolder(options.dir);
  if (folderProblem) throw new PublishClientError(folderProblem);

  let retries = 0;
  const api = new PublishApi({
    to: options.to,
    token: options.token,
    ...options.api,
    onRetry(what, attempt, delayMs, reason) {
      retries++;
      if (retries <= RETRY_LINES) output.warn(`retrying ${what} in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1}): ${reason}`);
      else if (retries === RETRY_LINES + 1) output.warn("retrying more requests (not listed)");
    },
  });
  const snapshot = snapshotFolder(options.dir);
  // The manifest is read while the folder is checked.
  const manifest = api.manifest();
  manifest.catch(() => {});

  const parallel = Math.max(1, Math.min(options.parallel ?? CLIENT_LIMITS.parallel, CLIENT_LIMITS.maxParallel));
  /** The folder read directly, past the snapshot: for sending, and for what the check does not describe. */
  const folder = createDirectorySource(options.dir);
  const count = (kind: string) => {
    report.counts[kind] = (report.counts[kind] ?? 0) + 1;
  };
  const sender = new RunSender({
    api,
    output,
    folder,
    parallel,
    describe: (item, result) => describeDone(item, result, now, site.timeZone),
    count,
  });

  // Images depend on no other file: when nothing the check finds can change what the run removes, they are sent while
  // the articles are checked, so the worker stores them while the client reads and checks the rest.
  const sendImagesEarly = async (): Promise<Map<string, string> | undefined> => {
    const [stored, paths] = await Promise.all([manifest, snapshot.source.list()]);
    const local = new Map<string, LocalFile>();
    for (const path of paths) if (isPublishablePath(path)) local.set(path, { size: 0 });
    if (local.size === 0) return undefined;
    // Read past the snapshot, which would describe each image a second time: the check's own read describes it again,
    // and an image that changes meanwhile is sent once more (`sentEarly` below).
    for (const path of local.keys()) {
      if (!path.startsWith("images/")) continue;
      const bytes = await folder.read(path);
      const described = bytes ? describeFile(path, bytes) : undefined;
      if (described) local.set(path, described);
    }
    const plan = planEarlyImages(local, stored);
    if (!plan?.images.length) return undefined;
    if (checkRemovals(plan.removals, plan.stored, options.confirmDeletions ?? 0, `${options.dir}/`)) return undefined;
    sender.learn(stored);
    output.begin(plan.images.length);
    await sender.send(plan.images);
    return new Map(plan.images.map((i) => [i.path, local.get(i.path)!.hash!]));
  };
  const early = options.dryRun || options.allOrNothing ? Promise.resolve(undefined) : sendImagesEarly();
  early.catch(() => {});

  // In a run that sends what passes, each article's body check (the dearest part) runs as the article goes, while the
  // worker stores the ones before it; a dry run and --all-or-nothing check everything first.
  let content = await loadContent(snapshot.source, site, { deferBodies: !options.dryRun && !options.allOrNothing });
  const printCheck = () => {
    for (const warning of content.warnings) output.warn(`warning: ${formatIssue(warning)}`);
    for (const issue of content.issues) output.warn(`error: ${formatIssue(issue)}`);
  };
  if (content.issues.length && options.allOrNothing) {
    printCheck();
    const badFiles = new Set(content.issues.map((i) => i.file));
    output.warn(
      `\n${content.issues.length} problem(s) in ${badFiles.size} file(s); nothing was published (--all-or-nothing). Fix them and run it again.`,
    );
    return { ...report, refused: [...badFiles], stopped: "all-or-nothing" };
  }
  const [stored, local] = await Promise.all([manifest, snapshot.describe()]);
  sender.learn(stored);
  const storedPaths = new Set(stored.map((e) => e.path));

  const planOf = async (): Promise<Plan> => {
    // A refused new file may be a stored article's new name: what it claims, from whatever of it can be read.
    const claims = new Map<string, Set<string>>();
    for (const file of new Set(content.issues.map((i) => i.file))) {
      if (!isArticleFile(file) || storedPaths.has(file) || local.get(file)?.hash === undefined) continue;
      const bytes = await folder.read(file);
      claims.set(file, claimsOf(file, bytes ? utf8.decode(bytes) : null, site));
    }
    return planPublish({ content, local, stored, site, all: options.all === true, claims });
  };
  sender.useCheck(content.warnings, content.bodyChecks);
  let plan = await planOf();
  // The URL-move warnings name files the run will publish: a file whose URL moves, that takes another's old URL or
  // that looks like a moved one is checked whole now, and if one is refused, the whole check plans the run (rare).
  if (urlMoveSubjects(plan, pagesOf(content)).some((path) => sender.checkBodyNow(path))) {
    content = await loadContent(snapshot.source, site);
    sender.useCheck(content.warnings, undefined);
    plan = await planOf();
  }
  printCheck();
  // Every change that moves a public URL is named, however many changes the run lists.
  for (const line of urlMoveWarnings(plan, pagesOf(content))) output.warn(line);

  // The guard: an empty folder never removes everything unconfirmed; any run is held to the share.
  const removals = plan.removals.length + plan.registries.filter((r) => r.change === "emptied").length;
  const removedArticles = plan.removals.filter((r) => r.kind === "article").length;
  const confirmed = options.confirmDeletions ?? 0;
  let stop: string | undefined;
  if (local.size === 0) {
    if (stored.length === 0) throw new PublishClientError(`${options.dir} holds no articles, images or registries: nothing to publish`);
    if (removals > confirmed) {
      stop =
        `${options.dir} holds no articles, images or registries: publishing it would remove all ${removals.toLocaleString("en")} ` +
        `stored files; if that is meant, run again with --confirm-deletions ${removals}`;
    }
  } else {
    stop = checkRemovals({ files: removals, articles: removedArticles }, plan.stored, confirmed, `${options.dir}/`);
  }

  // An image sent while the check ran is not sent again, unless the file changed since.
  const sentEarly = (await early) ?? new Map<string, string>();
  const images = plan.images.filter((i) => sentEarly.get(i.path) !== local.get(i.path)?.hash);
  const uploads: Upload[] = [...images, ...plan.registries, ...plan.changed, ...plan.renames, ...plan.added];
  const refusals: NotPublished[] = plan.refusals.map((r) => ({
    path: r.path,
    ...(r.kept ? { kept: r.kept } : {}),
    why: r.heldBack && !sender.bodyRefuses(r.path) ? `held back, as ${r.heldBack}` : REFUSED_BY_CHECK,
  }));

  const sent = new Set(uploads.map((u) => u.path));
  const stale = stored.filter((e) => e.stale && local.has(e.path) && !sent.has(e.path)).length;
  if (stale) report.stale = stale;
  const staleNote = () => {
    if (!stale) return;
    output.say(
      `note: ${stale.toLocaleString("en")} stored file(s) were rendered under other settings (SITE_URL, SITE_TITLE, ` +
        `SITE_LANGUAGE or SITE_TIMEZONE changed since); the worker brings them up to date by itself, newest first, ` +
        `${SHAPING_STEP} articles a minute; --all sends them now`,
    );
  };

  if (options.dryRun) {
    for (const item of [...uploads, ...plan.removals]) {
      count(plannedVerb(item));
      output.change(plannedVerb(item), describePlanned(item, now, site.timeZone));
    }
    finish(output, report, refusals, true);
    const counted = Object.entries(report.counts).map(([what, n]) => `${what} ${n}`);
    output.say(`dry run, nothing sent: ${counted.length ? `would ${counted.join(", ")}` : "nothing would change"}${listedNote(output)}`);
    staleNote();
    if (stop) throw new PublishClientError(stop);
    return report;
  }
  if (stop) throw new PublishClientError(stop);
  if (uploads.length === 0 && plan.removals.length === 0 && sentEarly.size === 0) {
    sender.checkTheRest();
    refusals.push(...sender.notSent);
    if (!refusals.length) output.say(`up to date: ${stored.length} file(s) stored at ${api.base} match ${options.dir}/`);
    staleNote();
    finish(output, report, refusals, false);
    return report;
  }

  if (sentEarly.size) output.extend(uploads.length + plan.removals.length);
  else output.begin(uploads.length + plan.removals.length);
  await sender.send(images);
  await sender.send(plan.registries);
  await sender.send(plan.changed);
  await sender.send(plan.renames);
  await sender.send(plan.added);
  await sender.remove(plan.removals.filter((r) => r.kind !== "image"));
  await sender.remove(plan.removals.filter((r) => r.kind === "image"));
  // Another file of this run held the slug or id (a swap, a file renamed after the one that takes its name): once the
  // rest is done, each is sent once more, and refused for good if it still clashes.
  await sender.sendAgain();
  sender.checkTheRest();
  const elapsed = output.elapsed();
  output.end();
  const counted = Object.entries(report.counts).map(([what, n]) => `${n} ${what}`);
  output.say(
    `published to ${api.base}: ${counted.length ? counted.join(", ") : "nothing changed"} in ${formatDuration(elapsed)}${listedNote(output)}`,
  );
  staleNote();
  finish(output, report, [...refusals, ...sender.notSent], false);
  return report;
}

/** The note that some changes went unlisted. */
function listedNote(output: RunOutput): string {
  const hidden = output.unlisted();
  return hidden ? ` (${hidden.toLocaleString("en")} not listed above; --verbose lists every file)` : "";
}

/** The files not published, each on one line, and the report's lists. */
function finish(output: RunOutput, report: PublishReport, notPublished: readonly NotPublished[], dryRun: boolean): void {
  if (!notPublished.length) return;
  output.warn("");
  for (const { path, kept, why } of notPublished) {
    report.refused.push(path);
    if (kept) report.kept.push(kept);
    const keep = dryRun ? "would keep" : "kept";
    if (kept === path) output.warn(`${keep} the published version of ${path}: ${why}`);
    else if (kept)
      output.warn(
        `${dryRun ? "would not publish" : "not published"}: ${path}: ${why}; ${keep} the published version of ${kept}, which it renames`,
      );
    else output.warn(`${dryRun ? "would not publish" : "not published"}: ${path}: ${why}`);
  }
  output.warn(
    dryRun
      ? `${notPublished.length} file(s) would not be published as they are in the folder.`
      : `${notPublished.length} file(s) not published as they are in the folder: fix them and publish again.`,
  );
}

/** PUBLISH_TOKEN from the environment, else from the `.dev.vars` file wrangler dev reads (beside the wrangler config). */
export async function readPublishToken(env: NodeJS.ProcessEnv, devVarsPath: string): Promise<string | undefined> {
  if (env.PUBLISH_TOKEN?.trim()) return env.PUBLISH_TOKEN.trim();
  let text: string;
  try {
    text = await readFile(devVarsPath, "utf8");
  } catch {
    return undefined;
  }
  return readDevVar(text, "PUBLISH_TOKEN");
}

/** One variable of a `.dev.vars` (dotenv) file: `KEY=value`, optionally quoted; `#` starts a comment line. */
export function readDevVar(text: string, key: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || m[1] !== key) continue;
    const value = m[2]!.replace(/^(["'])(.*)\1$/, "$2");
    return value || undefined;
  }
  return undefined;
}

export interface MainOptions {
  out?: Write;
  err?: Write;
  env?: NodeJS.ProcessEnv;
  /** Stops a `--watch` run (the tests; Ctrl-C otherwise). */
  signal?: AbortSignal;
  /** Whether standard error is a terminal (default: asked of the process). */
  tty?: boolean;
}

/**
 * The command line: 0 when everything was published, 1 when a file was refused (by the check or the worker) or not
 * sent, 2 when the run could not go ahead (options, folder, deletion guard, token, worker unreachable).
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const out = options.out ?? ((t) => process.stdout.write(t));
  const err = options.err ?? ((t) => process.stderr.write(t));
  let parsed: ReturnType<typeof parseMainOptions>;
  try {
    parsed = parseMainOptions(argv);
  } catch (error) {
    err(`error: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length) {
    (values.help ? out : err)(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    const confirmDeletions = wholeNumberOption(values["confirm-deletions"], "--confirm-deletions", 0, Number.MAX_SAFE_INTEGER);
    const parallel = wholeNumberOption(values.parallel, "--parallel", 1, CLIENT_LIMITS.maxParallel);
    const site = await readSettings(values.config, values.env, values.var);
    const token = await readPublishToken(options.env ?? process.env, join(dirname(values.config), ".dev.vars"));
    if (!token) {
      throw new PublishClientError(
        "no PUBLISH_TOKEN: set it in the environment, or in .dev.vars for the local server (npm start writes one)",
      );
    }
    const run = () =>
      publishFolder({
        to: values.to,
        dir: values.dir,
        token,
        site,
        dryRun: values["dry-run"],
        all: values.all,
        allOrNothing: values["all-or-nothing"],
        confirmDeletions,
        parallel,
        verbose: values.verbose,
        tty: options.tty ?? process.stderr.isTTY === true,
        out,
        err,
      });
    if (!values.watch) {
      const report = await run();
      return report.refused.length ? 1 : 0;
    }
    await run().catch((error: unknown) => {
      if (!(error instanceof PublishClientError)) throw error;
      err(`error: ${error.message}\n`);
    });
    await watchFolder(values.dir, run, out, err, options.signal);
    return 0;
  } catch (error) {
    if (error instanceof PublishClientError || error instanceof ConfigError) {
      err(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function parseMainOptions(argv: readonly string[]) {
  return parseOptions(argv, {
    to: { type: "string", default: DEFAULT_TARGET },
    "dry-run": { type: "boolean", default: false },
    all: { type: "boolean", default: false },
    "all-or-nothing": { type: "boolean", default: false },
    "confirm-deletions": { type: "string" },
    parallel: { type: "string" },
    verbose: { type: "boolean", default: false },
    watch: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  });
}

/** A whole-number option in [min, max], or undefined when absent. */
function wholeNumberOption(text: string | undefined, name: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) throw new PublishClientError(`${name} takes a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}

/** Runs `run` again a moment after files in `dir` stop changing, one run at a time, until `signal` (or Ctrl-C). */
async function watchFolder(dir: string, run: () => Promise<unknown>, out: Write, err: Write, signal?: AbortSignal): Promise<void> {
  const stop = signal ?? interruptSignal();
  out(`watching ${dir}/ for changes (Ctrl-C to stop)\n`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    clearTimeout(timer);
    // Editors save in several steps (temporary file, rename): wait until the folder is quiet.
    timer = setTimeout(() => {
      running = running.then(() =>
        run().then(
          () => undefined,
          (error: unknown) => err(`error: ${(error as Error).message}\n`),
        ),
      );
    }, 300);
  };
  const watcher = watch(dir, { recursive: true, signal: stop }, schedule);
  await new Promise<void>((resolve) => {
    watcher.on("close", resolve);
    watcher.on("error", () => resolve());
    stop.addEventListener("abort", () => resolve(), { once: true });
  });
  clearTimeout(timer);
  await running;
}

function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  for (const name of ["SIGINT", "SIGTERM"] as const) process.once(name, () => controller.abort());
  return controller.signal;
}

if (import.meta.main) runCommand(main);
