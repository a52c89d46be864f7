// GET /healthz: whether the worker's stores answer, for an uptime monitor (docs/monitoring.md). One trivial D1 query
// (the scheduled run's clock, which also says whether the cron still runs) and one R2 HEAD; never cached, no secrets,
// no detail of a failure (that goes to the log as a storage fault).
import type { Hono } from "hono";
import { describeError } from "../core/events.ts";
import type { AppContext } from "./context.ts";

/** The two probes, each one cheap call to its store; each throws when its store fails. */
export interface HealthProbe {
  /** The scheduled run's clock (one indexed D1 read): when it last ran, or undefined before its first run. */
  d1(): Promise<Date | undefined>;
  /** A HEAD of one R2 key (that need not exist). */
  r2(): Promise<void>;
}

/** A scheduled run every minute: one older than this is late (the cron has stopped, or its runs fail). */
export const CRON_LATE_SECONDS = 300;

interface Check {
  ok: boolean;
  ms: number;
}

async function timed<T>(probe: () => Promise<T>, now: () => number): Promise<{ check: Check; value?: T; error?: unknown }> {
  const started = now();
  try {
    const value = await probe();
    return { check: { ok: true, ms: now() - started }, value };
  } catch (error) {
    return { check: { ok: false, ms: now() - started }, error };
  }
}

/**
 * Registers /healthz: 200 when D1 and R2 both answer, else 503; the body says which, and how long ago the scheduled
 * run last ran (`late` past CRON_LATE_SECONDS; locally, where no cron runs, it stays late and the status 200).
 */
export function registerHealth(app: Hono, ctx: AppContext, probe: HealthProbe | undefined): void {
  if (!probe) return;
  app.get("/healthz", async (c) => {
    const clock = () => performance.now();
    const [d1, r2] = await Promise.all([timed(probe.d1, clock), timed(probe.r2, clock)]);
    for (const [store, result] of [
      ["d1", d1],
      ["r2", r2],
    ] as const) {
      if (result.error !== undefined) {
        ctx.emit({ event: "storage-fault", store, operation: "health check", message: describeError(result.error), path: c.req.path });
      }
    }
    const now = ctx.now();
    const lastRun = d1.value;
    const age = lastRun ? Math.max(0, Math.round((now.getTime() - lastRun.getTime()) / 1000)) : null;
    const ok = d1.check.ok && r2.check.ok;
    const body = {
      status: ok ? "ok" : "failing",
      d1: d1.check,
      r2: r2.check,
      cron: d1.check.ok
        ? { lastRun: lastRun?.toISOString() ?? null, ageSeconds: age, late: age === null || age > CRON_LATE_SECONDS }
        : null,
    };
    return c.json(body, ok ? 200 : 503, { "Cache-Control": "no-store" });
  });
}
