// GET /healthz inside workerd, through the worker's own entry over the real local D1 and R2: 200 when both answer,
// 503 naming the one that does not (with a storage-fault event), the scheduled run's clock and whether it is late,
// never cached and never a secret.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CRON_LATE_SECONDS } from "../../src/http/health.ts";
import worker from "../../src/runtime/worker.ts";
import { resetD1 } from "./reset-d1.ts";
import { TOKEN } from "./sample.ts";
import { failingD1, failingR2, INJECTED } from "./wrapped-bindings.ts";

let faults: Record<string, unknown>[];
beforeEach(async () => {
  await resetD1(env.DB, env.IMAGES);
  faults = [];
  vi.spyOn(console, "error").mockImplementation((line: unknown) => void faults.push(JSON.parse(String(line))));
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

async function health(runEnv: Env = env): Promise<{ res: Response; body: Record<string, unknown> }> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request("http://localhost:8787/healthz"), runEnv, ctx);
  await waitOnExecutionContext(ctx);
  return { res, body: (await res.json()) as Record<string, unknown> };
}

describe("/healthz", () => {
  it("answers 200 when D1 and R2 answer, never cached, and says the cron has not run yet", async () => {
    const { res, body } = await health();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("cache-tag")).toBeNull();
    expect(body).toMatchObject({ status: "ok", d1: { ok: true }, r2: { ok: true }, cron: { lastRun: null, ageSeconds: null, late: true } });
    expect(JSON.stringify(body)).not.toContain(TOKEN);
  });

  it("reports the scheduled run's clock: on time after a run, late once it is older than the limit", async () => {
    const ran = new Date(Date.now() - 30_000);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: ran, cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const { body } = await health();
    expect(body.cron).toMatchObject({ lastRun: ran.toISOString(), late: false });
    expect((body.cron as { ageSeconds: number }).ageSeconds).toBeGreaterThanOrEqual(30);

    await env.DB.prepare("UPDATE state SET value = ?1 WHERE key = 'releases:until'")
      .bind(String(Date.now() - (CRON_LATE_SECONDS + 60) * 1000))
      .run();
    expect((await health()).body.cron).toMatchObject({ late: true });
  });

  it.each([
    ["D1", { DB: failingD1(env.DB, () => true) }, "d1"],
    ["R2", { IMAGES: failingR2(env.IMAGES, () => true) }, "r2"],
  ])("answers 503 when %s does not, naming it, and logs the fault", async (_name, broken, store) => {
    const { res, body } = await health({ ...env, ...broken } as Env);
    expect(res.status).toBe(503);
    expect(body.status).toBe("failing");
    expect((body[store] as { ok: boolean }).ok).toBe(false);
    expect((body[store === "d1" ? "r2" : "d1"] as { ok: boolean }).ok).toBe(true);
    expect(JSON.stringify(body)).not.toContain(INJECTED); // the detail goes to the log only
    expect(faults).toEqual([
      expect.objectContaining({ event: "storage-fault", store, operation: expect.any(String), message: expect.stringContaining(INJECTED) }),
    ]);
  });
});
