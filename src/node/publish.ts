// `npm run publish`: checks the content folder as `npm run check` does, then sends the worker's publish API what
// differs from what it stores (images, registries, articles, then deletions), and says what changed.
import { createHash } from "node:crypto";
import { watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { loadContent } from "../core/content.ts";
import { ConfigError, type ContentIssue, formatIssue } from "../core/errors.ts";
import { measureImage } from "../core/images.ts";
import { MANIFEST_PAGE, type ManifestEntry, PUBLISHABLE_IMAGE_TYPES, REGISTRY_NAMES, type RegistryName } from "../core/publishing.ts";
import type { SiteSettings } from "../core/settings.ts";
import { hashSource } from "../sources/publication.ts";
import { createDirectorySource } from "./directory-source.ts";
import { parseOptions, readSettings, SITE_OPTIONS_USAGE } from "./options.ts";
import { warningsFromAnswer } from "./publish-warnings.ts";

const USAGE = `usage: npm run publish -- [options]

Checks the content folder (as npm run check does; nothing is sent if it fails), then publishes what changed to the
worker's publish API: images, then authors.yaml and partners.yaml, then new and changed articles (a renamed file
replaces its old name), then removes files no longer in the folder. The token is PUBLISH_TOKEN from the environment,
else from .dev.vars beside the wrangler config.

options:
  --to URL           the worker (default: http://127.0.0.1:8787, the local dev server)
${SITE_OPTIONS_USAGE}  --dry-run          print what would change; send nothing
  --all              send every article, even those whose text is unchanged (after changing SITE_URL or other settings)
  --watch            publish again whenever a file in the folder changes (Ctrl-C stops)
`;

export const DEFAULT_TARGET = "http://127.0.0.1:8787";
/** The longest a single request may take: a large image over a slow link, or an author change re-publishing many articles. */
const REQUEST_TIMEOUT_MS = 120_000;

/** A problem that stops the run before or while talking to the worker (no token, unreachable, refused token). */
export class PublishClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PublishClientError";
  }
}

type Write = (text: string) => void;

export interface PublishRunOptions {
  to: string;
  dir: string;
  token: string;
  site: SiteSettings;
  dryRun?: boolean;
  all?: boolean;
  out: Write;
  err: Write;
}

/** What one run did, for the exit code and the tests. */
export interface PublishReport {
  /** The local check failed: nothing was sent. */
  checkFailed: boolean;
  /** Files the worker refused. */
  rejected: string[];
  /** Count of each kind of change made (or, in a dry run, that would be). */
  counts: Record<string, number>;
}

type Operation =
  | { kind: "image"; path: string; bytes: Uint8Array }
  | { kind: "registry"; path: RegistryName; bytes: Uint8Array }
  | { kind: "article"; path: string; bytes: Uint8Array; replaces?: string; draft: boolean }
  | { kind: "delete-article"; path: string }
  | { kind: "delete-image"; path: string };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** One publish run over the folder. Never throws for content problems: they are printed and counted. */
export async function publishFolder(options: PublishRunOptions): Promise<PublishReport> {
  const { out, err } = options;
  const report: PublishReport = { checkFailed: false, rejected: [], counts: {} };
  const source = createDirectorySource(options.dir);
  const content = await loadContent(source, options.site);
  for (const warning of content.warnings) err(`warning: ${formatIssue(warning)}\n`);
  if (content.issues.length) {
    for (const issue of content.issues) err(`error: ${formatIssue(issue)}\n`);
    const files = new Set(content.issues.map((i) => i.file));
    err(`\n${content.issues.length} problem(s) in ${files.size} file(s); nothing was published. Fix them and run it again.\n`);
    report.checkFailed = true;
    return report;
  }

  const api = createApiClient(options.to, options.token);
  const stored = new Map((await api.manifest()).map((entry) => [entry.path, entry]));
  const operations = await planOperations(source, content, stored, options.all === true);
  if (operations.length === 0) {
    out(`up to date: ${stored.size} file(s) stored at ${options.to} match ${options.dir}/\n`);
    return report;
  }
  const count = (what: string) => {
    report.counts[what] = (report.counts[what] ?? 0) + 1;
  };
  for (const op of operations) {
    if (options.dryRun) {
      out(`would ${describe(op)}\n`);
      count(op.kind);
      continue;
    }
    const answer = await api.send(op);
    if (answer.ok) {
      const { result, republished } = answer.body as { result: string; republished?: unknown[] };
      count(result === "unchanged" ? "unchanged" : op.kind === "article" && op.replaces ? "renamed" : `${result}`);
      out(`${doneLine(op, result)}${republished?.length ? ` (${republished.length} article(s) re-published)` : ""}\n`);
      for (const warning of warningsFromAnswer(answer.body, content.warnings)) err(`warning: ${formatIssue(warning)}\n`);
      continue;
    }
    report.rejected.push(op.path);
    const problem = answer.body as { detail?: string; issues?: ContentIssue[] };
    err(`rejected ${op.path} (${answer.status})\n`);
    if (problem.issues?.length) for (const issue of problem.issues) err(`  error: ${formatIssue(issue)}\n`);
    else err(`  ${problem.detail ?? JSON.stringify(answer.body)}\n`);
  }
  const summary = Object.entries(report.counts)
    .map(([what, n]) => `${n} ${what}`)
    .join(", ");
  out(`${options.dryRun ? "dry run, nothing sent" : `published to ${options.to}`}: ${summary}\n`);
  if (report.rejected.length) err(`\n${report.rejected.length} file(s) rejected: ${report.rejected.join(", ")}\n`);
  return report;
}

function describe(op: Operation): string {
  switch (op.kind) {
    case "image":
      return `store ${op.path}`;
    case "registry":
      return `store ${op.path}`;
    case "article":
      return op.replaces ? `rename ${op.replaces} → ${op.path}` : `publish ${op.path}${op.draft ? " (draft)" : ""}`;
    case "delete-article":
    case "delete-image":
      return `delete ${op.path}`;
  }
}

function doneLine(op: Operation, result: string): string {
  if (op.kind === "article" && op.replaces && result !== "unchanged") return `renamed  ${op.replaces} → ${op.path}`;
  const label = op.kind === "article" && op.draft ? `${result} (draft)` : result;
  return `${label.padEnd(8)} ${op.path}`;
}

/**
 * The requests that bring the store to the folder, in an order that never shows a half state: images before the
 * articles that use them, registries before the articles that name their authors, changed articles before new ones
 * (a slug a changed file gives up is free for a new one), renames as one request, then deletions, images last.
 */
async function planOperations(
  source: ReturnType<typeof createDirectorySource>,
  content: Awaited<ReturnType<typeof loadContent>>,
  stored: ReadonlyMap<string, ManifestEntry>,
  all: boolean,
): Promise<Operation[]> {
  const paths = await source.list();
  const local = new Set(paths);
  const operations: Operation[] = [];

  for (const path of paths.filter((p) => p.startsWith("images/"))) {
    const bytes = (await source.read(path))!;
    const facts = measureImage(bytes);
    // Anything else in images/ cannot be used by an article (the check refuses it as an image), so it stays local.
    if (!facts || !PUBLISHABLE_IMAGE_TYPES.includes(facts.type)) continue;
    if (stored.get(path)?.hash !== createHash("sha256").update(bytes).digest("hex")) operations.push({ kind: "image", path, bytes });
  }

  for (const name of REGISTRY_NAMES) {
    const bytes = local.has(name) ? (await source.read(name))! : undefined;
    // A registry removed from the folder is published empty: every author or partner in it goes.
    if (!bytes && !stored.has(name)) continue;
    const text = bytes ? utf8.decode(bytes) : "";
    if (stored.get(name)?.hash !== hashSource(text)) operations.push({ kind: "registry", path: name, bytes: bytes ?? new Uint8Array() });
  }

  const records = new Map([...content.records, ...content.drafts].map((r) => [r.file, r]));
  const gone = [...stored.values()].filter((e) => (e.kind === "article" || e.kind === "draft") && !local.has(e.path));
  const changed: Operation[] = [];
  const added: Operation[] = [];
  for (const [file, record] of [...records].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const bytes = (await source.read(file))!;
    const entry = stored.get(file);
    if (entry && !all && entry.hash === hashSource(utf8.decode(bytes))) continue;
    if (entry) {
      changed.push({ kind: "article", path: file, bytes, draft: record.draft });
      continue;
    }
    // A new file holding the slug or id of a stored article whose file is gone is that article, renamed.
    const old = record.draft ? undefined : gone.find((e) => e.kind === "article" && (e.slug === record.slug || e.id === record.id));
    if (old) gone.splice(gone.indexOf(old), 1);
    added.push({ kind: "article", path: file, bytes, draft: record.draft, ...(old ? { replaces: old.path } : {}) });
  }
  operations.push(...changed, ...added);
  for (const entry of gone) operations.push({ kind: "delete-article", path: entry.path });
  for (const entry of stored.values()) {
    if (entry.kind === "image" && !local.has(entry.path)) operations.push({ kind: "delete-image", path: entry.path });
  }
  return operations;
}

interface ApiAnswer {
  ok: boolean;
  status: number;
  body: unknown;
}

function createApiClient(to: string, token: string) {
  const base = to.replace(/\/+$/, "");
  const call = async (method: string, path: string, body?: Uint8Array): Promise<ApiAnswer> => {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/octet-stream" } : {}) },
        ...(body ? { body: body as Uint8Array<ArrayBuffer> } : {}),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new PublishClientError(`cannot reach ${base} (${(error as Error).cause ?? (error as Error).message}); is the worker running?`);
    }
    if (res.status === 401 || res.status === 403) {
      throw new PublishClientError(`${base} refused the token (${res.status}): PUBLISH_TOKEN must be the worker's (locally, .dev.vars)`);
    }
    if (res.status === 404 && path.startsWith("/api/manifest")) {
      throw new PublishClientError(`${base} has no publish API: the worker needs PUBLISH_TOKEN set and its DB and IMAGES bindings`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { detail: text.slice(0, 400) };
    }
    if (res.status >= 500) throw new PublishClientError(`${base}${path}: ${res.status} ${(parsed as { detail?: string }).detail ?? ""}`);
    return { ok: res.ok, status: res.status, body: parsed };
  };
  const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");
  return {
    async manifest(): Promise<ManifestEntry[]> {
      const entries: ManifestEntry[] = [];
      let after = "";
      for (;;) {
        const answer = await call("GET", `/api/manifest?limit=${MANIFEST_PAGE.max}&after=${encodeURIComponent(after)}`);
        if (!answer.ok) throw new PublishClientError(`${base}/api/manifest: ${answer.status}`);
        const page = answer.body as { entries: ManifestEntry[]; next: string | null };
        entries.push(...page.entries);
        if (page.next === null) return entries;
        after = page.next;
      }
    },
    send(op: Operation): Promise<ApiAnswer> {
      switch (op.kind) {
        case "image":
          return call("PUT", `/api/${encodePath(op.path)}`, op.bytes);
        case "registry":
          return call("PUT", `/api/registries/${op.path}`, op.bytes);
        case "article":
          return call(
            "PUT",
            `/api/articles/${encodePath(op.path)}${op.replaces ? `?replaces=${encodeURIComponent(op.replaces)}` : ""}`,
            op.bytes,
          );
        case "delete-article":
          return call("DELETE", `/api/articles/${encodePath(op.path)}`);
        case "delete-image":
          return call("DELETE", `/api/${encodePath(op.path)}`);
      }
    },
  };
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
}

/** The command line: 0 when everything was published, 1 when the check failed or a file was rejected, 2 otherwise. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const out = options.out ?? ((t) => process.stdout.write(t));
  const err = options.err ?? ((t) => process.stderr.write(t));
  const { values, positionals } = parseOptions(argv, {
    to: { type: "string", default: DEFAULT_TARGET },
    "dry-run": { type: "boolean", default: false },
    all: { type: "boolean", default: false },
    watch: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  });
  if (values.help || positionals.length) {
    (values.help ? out : err)(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    const site = await readSettings(values.config, values.env, values.var);
    const token = await readPublishToken(options.env ?? process.env, join(dirname(values.config), ".dev.vars"));
    if (!token) {
      throw new PublishClientError(
        "no PUBLISH_TOKEN: set it in the environment, or in .dev.vars for the local server (npm start writes one)",
      );
    }
    const run = () => publishFolder({ to: values.to, dir: values.dir, token, site, dryRun: values["dry-run"], all: values.all, out, err });
    const report = await run();
    if (!values.watch) return report.checkFailed || report.rejected.length ? 1 : 0;
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

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(70);
    },
  );
}
