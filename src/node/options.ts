// Option parsing shared by the Node entries (CLI, WebSub client, Node server): where the content and settings come from.
import { readFile } from "node:fs/promises";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { parse as parseToml } from "smol-toml";
import { ConfigError, ServiceError } from "../core/errors.ts";
import { parseSettings, type SiteSettings } from "../core/settings.ts";

/** The options every Node entry takes: `--dir`, `--config`, `--env`, `--var KEY=VALUE` (repeatable). */
export const SITE_OPTIONS = {
  dir: { type: "string", default: "articles" },
  config: { type: "string", default: "wrangler.toml" },
  env: { type: "string" },
  var: { type: "string", multiple: true, default: [] },
} as const satisfies ParseArgsConfig["options"];

/** Their help text, for each entry's usage message. */
export const SITE_OPTIONS_USAGE = `  --dir DIR          content folder (default: articles)
  --config FILE      wrangler config whose [vars] hold the site settings (default: wrangler.toml)
  --env NAME         use [env.NAME.vars] over [vars]
  --var KEY=VALUE    override one setting (repeatable)
`;

/** Parses `argv` with the site options plus an entry's own. */
export function parseOptions<const O extends NonNullable<ParseArgsConfig["options"]>>(argv: readonly string[], own: O) {
  return parseArguments({ args: [...argv], allowPositionals: true, options: { ...SITE_OPTIONS, ...own } });
}

/**
 * Node's `parseArgs`, with a mistyped command line (an unknown option, an option without its value) as a one-line
 * error that exits 2 (`bad-request`), not a stack trace.
 */
export function parseArguments<const T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS_")) throw error;
    throw new ServiceError("bad-request", `${(error as Error).message.split(". ")[0]} (--help lists the options)`);
  }
}

/** Site settings from the wrangler config, as the worker would see them. */
export async function readSettings(configPath: string, envName?: string, overrides: readonly string[] = []): Promise<SiteSettings> {
  const config = parseToml(await readFile(configPath, "utf8")) as {
    vars?: Record<string, unknown>;
    env?: Record<string, { vars?: Record<string, unknown> }>;
  };
  const vars: Record<string, unknown> = { ...config.vars, ...(envName ? config.env?.[envName]?.vars : {}) };
  for (const pair of overrides) {
    const at = pair.indexOf("=");
    if (at < 1) throw new ConfigError("--var", `"${pair}" is not KEY=VALUE`);
    vars[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return parseSettings(vars);
}

/** The `--now` option as an instant; the current time when absent. */
export function readNow(value: string | undefined): Date {
  const now = value ? new Date(value) : new Date();
  if (Number.isNaN(now.getTime())) throw new ConfigError("--now", `"${value}" is not an ISO 8601 time`);
  return now;
}
