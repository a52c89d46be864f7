// The Node entry: check content, export feeds to files. Run through `npm run …`.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { HOME } from "../core/catalog.ts";
import { loadContent } from "../core/content.ts";
import { formatIssue } from "../core/errors.ts";
import { planFeed } from "../core/feed-plan.ts";
import { createMemoryCatalog } from "../core/memory-catalog.ts";
import { FORMATS, renderPlan } from "../formats/index.ts";
import { runCommand } from "./exit-codes.ts";
import { checkFolder, snapshotFolder } from "./folder-snapshot.ts";
import { parseOptions, readNow, readSettings, SITE_OPTIONS_USAGE } from "./options.ts";

const USAGE = `usage: node src/node/cli.ts <command> [options]

commands:
  check              validate every article and authors.yaml; exit 1 if anything is wrong; with --against or --since,
                     also warn of every public URL the folder would move or remove against what a worker stores or
                     what git held
  export             write rss.xml, atom.xml and feed.json to --out

options:
${SITE_OPTIONS_USAGE}  --against URL      check: compare with the worker's stored manifest (PUBLISH_TOKEN, as npm run publish reads it)
  --since REF        check: compare with the folder as git holds it at REF (a commit or branch: CI without a token)
  --out PATH         export: folder (default: dist/feeds)
  --now TIME         export: the clock, as an ISO 8601 time (default: the current time)
`;

export async function main(argv: readonly string[], out = process.stdout, err = process.stderr): Promise<number> {
  const { positionals, values } = parseOptions(argv, {
    out: { type: "string" },
    now: { type: "string" },
    against: { type: "string" },
    since: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  const command = positionals[0];
  if (values.help || !command) {
    out.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const folderProblem = await checkFolder(values.dir);
  if (folderProblem) {
    err.write(`error: ${folderProblem}\n`);
    return 2;
  }
  const snapshot = snapshotFolder(values.dir);
  const source = snapshot.source;

  const site = await readSettings(values.config, values.env, values.var);
  if (values.against && values.since) {
    err.write("error: --against and --since each give what to compare with: give one\n");
    return 2;
  }
  // The manifest is read while the folder is checked.
  const compare = values.against || values.since ? await import("./check-against.ts") : undefined;
  const stored = compare && values.against ? await compare.readStored(values.against, values.config) : undefined;
  if (stored && !stored.ok) {
    err.write(`error: ${stored.problem}\n`);
    return 2;
  }
  const content = await loadContent(source, site);

  if (command === "check") {
    const problems = content.issues;
    for (const w of content.warnings) err.write(`warning: ${formatIssue(w)}\n`);
    if (compare) {
      const base = values.since ? await compare.readCommitted(values.dir, values.since, content, site) : stored!;
      if (!base.ok) {
        err.write(`error: ${base.problem}\n`);
        return 2;
      }
      const where = values.since ? `in git at ${values.since}` : `published at ${values.against}`;
      const moved = await compare.movedUrls(content, snapshot, base.read, site, where);
      if (!moved.ok) {
        err.write(`error: ${moved.problem}\n`);
        return 2;
      }
      for (const line of moved.lines) err.write(`${line}\n`);
    }
    for (const issue of problems) err.write(`error: ${formatIssue(issue)}\n`);
    const files = new Set(problems.map((i) => i.file));
    if (problems.length) {
      err.write(`\n${problems.length} problem(s) in ${files.size} file(s); fix them before deploying.\n`);
      return 1;
    }
    out.write(`ok: ${content.fileCount} article file(s), ${content.records.length} publishable, ${content.authors.size} author(s)\n`);
    return 0;
  }

  if (command === "export") {
    const now = readNow(values.now);
    const folder = resolve(values.out ?? "dist/feeds");
    await mkdir(folder, { recursive: true });
    // The same plan and renderers as the routes: the files are byte for byte what /rss.xml, /atom.xml and /feed.json
    // serve at the same instant.
    const catalog = createMemoryCatalog(content, source);
    const plan = (await planFeed(catalog, site, now, { scope: HOME }))!;
    for (const format of FORMATS) await writeFile(join(folder, format.file), await renderPlan(catalog, plan, format));
    for (const issue of content.issues) err.write(`skipped: ${formatIssue(issue)}\n`);
    out.write(`wrote ${FORMATS.map((f) => f.file).join(", ")} (${plan.entries.length} items) to ${folder}\n`);
    return 0;
  }

  err.write(`unknown command "${command}"\n\n${USAGE}`);
  return 2;
}

if (import.meta.main) runCommand(main);
