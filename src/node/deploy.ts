// `npm run deploy`: production, in an order that never runs code against a schema it does not know (docs/deploying.md).
// The content check, then the D1 migrations applied to the production catalog and to each parts database the
// environment binds (`wrangler d1 migrations apply BINDING --remote --env production`, as Cloudflare's D1 template does
// before deploying), then `wrangler deploy --env production`, which builds the static assets first (wrangler.toml
// [build]). The first step that fails stops the rest.
//
//   npm run deploy                      everything, for [env.production]
//   npm run deploy -- --env staging     another environment of wrangler.toml
//   npm run deploy -- --dry-run         the check, the migrations it would apply (listed, not applied), and
//                                       `wrangler deploy --dry-run`: no account needed
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArguments } from "./options.ts";
import { partsBindings } from "./start.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** wrangler's own entry, run on this Node (22): the `.bin` shim would pick the system's. */
const WRANGLER = join(dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");

/** One step of a deploy: what it is, and the command (this Node and its arguments). */
export interface DeployStep {
  name: string;
  args: string[];
  /** Run in a dry run too (it needs no account and changes nothing remote). */
  offline: boolean;
}

/** The steps of a deploy of `env` with the config at `config`, in order. */
export async function deploySteps(options: { env: string; config: string; dryRun: boolean }): Promise<DeployStep[]> {
  const { env, config, dryRun } = options;
  const shared = ["-c", config, "--env", env];
  const databases = ["DB", ...partsBindings(await readFile(config, "utf8"), env)];
  return [
    { name: "content check", args: [join(ROOT, "src/node/cli.ts"), "check"], offline: true },
    ...databases.map((binding) => ({
      name: `migrations of ${binding}`,
      args: [WRANGLER, "d1", "migrations", "apply", binding, "--remote", ...shared],
      offline: false,
    })),
    {
      name: "deploy",
      args: [WRANGLER, "deploy", ...shared, ...(dryRun ? ["--dry-run", "--outdir", join(ROOT, "dist")] : [])],
      offline: true,
    },
  ];
}

function run(args: readonly string[]): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
    child.once("exit", (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

/** Runs the steps; answers the exit status (the failing step's). */
export async function deploy(
  argv: readonly string[],
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const { values } = parseArguments({
    args: [...argv],
    options: {
      env: { type: "string", default: "production" },
      config: { type: "string", default: "wrangler.toml" },
      "dry-run": { type: "boolean" },
    },
  });
  const dryRun = values["dry-run"] === true;
  const steps = await deploySteps({ env: values.env, config: resolve(ROOT, values.config), dryRun });
  for (const step of steps) {
    const shown = step.args.map((a) => a.replace(WRANGLER, "wrangler").replace(`${ROOT}/`, "")).join(" ");
    if (dryRun && !step.offline) {
      log(`[deploy] ${step.name}: would run ${shown}`);
      continue;
    }
    log(`[deploy] ${step.name}: ${shown}`);
    const status = await run(step.args);
    if (status !== 0) {
      log(`[deploy] ${step.name} failed (exit ${status}); nothing after it ran`);
      return status;
    }
  }
  log(dryRun ? "[deploy] dry run done: nothing was applied or uploaded" : `[deploy] done: ${values.env} is live`);
  return 0;
}

if (import.meta.main) process.exitCode = await deploy(process.argv.slice(2));
