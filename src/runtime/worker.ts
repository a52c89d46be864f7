// The edge entry: `fetch` and `scheduled` over the services the composition root (services.ts) builds from the
// environment, once per isolate and environment.
import { ConfigError } from "../core/errors.ts";
import { purgeApiOf } from "./edge-cache.ts";
import { runScheduled } from "./scheduled.ts";
import { composeServices, type Services } from "./services.ts";

/**
 * The services of the environment last seen. An isolate is handed the same `env` object for every event, so this
 * builds once per isolate; a different environment (a test's variant) gets its own services instead of the first's.
 */
let built: { env: Env; services: Services | ConfigError } | undefined;

function servicesFor(env: Env): Services | ConfigError {
  if (built?.env !== env) {
    try {
      built = { env, services: composeServices(env) };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      console.error(`edge-feeds: configuration: ${error.message}`);
      built = { env, services: error };
    }
  }
  return built.services;
}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    const services = servicesFor(env);
    if (services instanceof ConfigError) {
      return new Response(`Configuration error: ${services.message}\n`, {
        status: 500,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    }
    return services.app.fetch(request, env, ctx);
  },
  /** The Cron Trigger: releases logged, changed feeds announced to WEBSUB_HUB, parts swept (scheduled.ts). */
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const services = servicesFor(env);
    if (services instanceof ConfigError) throw services;
    await runScheduled(services, controller.scheduledTime, purgeApiOf(ctx));
  },
} satisfies ExportedHandler<Env>;
