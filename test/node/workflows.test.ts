// The ready-to-copy GitHub Actions workflows (docs/workflows/): valid YAML of the shape Actions reads, every command
// one of the project's npm scripts or .ci/run, Node 22 everywhere, and publishing without the development toolchain.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/local-worker.ts";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  jobs: Record<string, { "runs-on": string; steps: Step[] }>;
}

const DIR = join(ROOT, "docs", "workflows");
/** A GitHub Actions expression reading a secret, as the workflows write it. */
const secret = (name: string) => `\${{ secrets.${name} }}`;
const scripts = async () => Object.keys((JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { scripts: object }).scripts);
const workflow = async (file: string) => load(await readFile(join(DIR, file), "utf8")) as Workflow;

describe("docs/workflows", () => {
  it("holds the test, deploy and publish workflows", async () => {
    expect((await readdir(DIR)).sort()).toEqual(["deploy.yml", "publish.yml", "test.yml"]);
  });

  it.each(["test.yml", "deploy.yml", "publish.yml"])("%s: triggers, a job, Node 22, and only commands the project has", async (file) => {
    const wf = await workflow(file);
    expect(Object.keys(wf.on).length).toBeGreaterThan(0);
    const steps = Object.values(wf.jobs).flatMap((job) => {
      expect(job["runs-on"]).toBe("ubuntu-latest");
      return job.steps;
    });
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with?.["node-version"]).toBe(22);
    const known = await scripts();
    for (const step of steps.filter((s) => s.run)) {
      for (const script of step.run!.matchAll(/npm run ([a-z:-]+)/g)) expect(known, step.run).toContain(script[1]);
    }
  });

  it("publishes with the runtime dependencies only and the publish token", async () => {
    const steps = Object.values((await workflow("publish.yml")).jobs)[0]!.steps;
    const runs = steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs.filter((r) => r.startsWith("npm ci"))).toEqual(["npm ci --omit=dev --no-audit --no-fund"]);
    const publish = steps.find((s) => s.run?.startsWith("npm run publish"))!;
    expect(publish.env).toEqual({ PUBLISH_TOKEN: secret("PUBLISH_TOKEN") });
  });

  it("deploys through npm run deploy (migrations first) with the Cloudflare token, one at a time", async () => {
    const wf = await workflow("deploy.yml");
    const steps = Object.values(wf.jobs)[0]!.steps;
    expect(steps.find((s) => s.run === "npm run deploy")?.env).toEqual({
      CLOUDFLARE_API_TOKEN: secret("CLOUDFLARE_API_TOKEN"),
      CLOUDFLARE_ACCOUNT_ID: secret("CLOUDFLARE_ACCOUNT_ID"),
    });
    expect((wf as unknown as { concurrency: string }).concurrency).toBe("deploy-production");
  });

  it("tests as CI does: .ci/run, as root in Debian", async () => {
    const job = Object.values((await workflow("test.yml")).jobs)[0] as unknown as { container: string; steps: Step[] };
    expect(job.container).toBe("debian:12");
    expect(job.steps.at(-1)!.run).toBe(".ci/run");
  });
});
