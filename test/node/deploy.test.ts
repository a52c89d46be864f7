// `npm run deploy` (src/node/deploy.ts): the content check, then every D1 database's migrations (the catalog's and
// each parts database the environment binds) applied remotely, and only then the deploy; a failing step stops the rest.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploy, deploySteps } from "../../src/node/deploy.ts";
import { ROOT } from "../support/local-worker.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-feeds-deploy-"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const command = (args: string[]) => args.map((a) => a.replace(/^.*\/wrangler\.js$/, "wrangler").replace(/^.*\/src\/node\//, "src/node/"));

describe("npm run deploy", () => {
  it("migrates every database the environment binds before it deploys", async () => {
    // The production section as a newsroom past one database has it (docs/capacity.md): PARTS_1 beside DB.
    const config = join(dir, "wrangler.toml");
    const toml = await readFile(join(ROOT, "wrangler.toml"), "utf8");
    await writeFile(config, `${toml}\n[[env.production.d1_databases]]\nbinding = "PARTS_1"\ndatabase_name = "p1"\ndatabase_id = "x"\n`);
    const steps = await deploySteps({ env: "production", config, dryRun: false });
    expect(steps.map((s) => s.name)).toEqual(["content check", "migrations of DB", "migrations of PARTS_1", "deploy"]);
    expect(steps.map((s) => command(s.args))).toEqual([
      ["src/node/cli.ts", "check"],
      ["wrangler", "d1", "migrations", "apply", "DB", "--remote", "-c", config, "--env", "production"],
      ["wrangler", "d1", "migrations", "apply", "PARTS_1", "--remote", "-c", config, "--env", "production"],
      ["wrangler", "deploy", "-c", config, "--env", "production"],
    ]);
  });

  it("--dry-run checks, lists the migrations without applying them, and builds the bundle without an account", async () => {
    const lines: string[] = [];
    expect(await deploy(["--dry-run"], (line) => lines.push(line))).toBe(0);
    expect(lines).toEqual([
      "[deploy] content check: src/node/cli.ts check",
      "[deploy] migrations of DB: would run wrangler d1 migrations apply DB --remote -c wrangler.toml --env production",
      "[deploy] deploy: wrangler deploy -c wrangler.toml --env production --dry-run --outdir dist",
      "[deploy] dry run done: nothing was applied or uploaded",
    ]);
    expect((await readFile(join(ROOT, "dist", "worker.js"), "utf8")).length).toBeGreaterThan(100_000);
  }, 180_000);

  it("stops at the first step that fails", async () => {
    const lines: string[] = [];
    const status = await deploy(["--dry-run", "--env", "no-such-environment"], (line) => lines.push(line));
    expect(status).not.toBe(0);
    expect(lines.at(-1)).toMatch(/^\[deploy\] (migrations of DB|deploy) failed \(exit \d+\); nothing after it ran$/);
    expect(lines.some((line) => line.startsWith("[deploy] dry run done"))).toBe(false);
  }, 180_000);
});
