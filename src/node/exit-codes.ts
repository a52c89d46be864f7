// Every ServiceError code as a process exit status for the Node commands (the BSD sysexits.h values where one fits):
// the only place a code becomes an exit status, as src/http/errors.ts is for HTTP.
import { ConfigError, type ErrorCode, ServiceError } from "../core/errors.ts";

/** 1: content that fails the rules (what `check` reports); 2: the command was used wrongly; others from sysexits.h. */
export const EXIT_OF_CODE: Readonly<Record<ErrorCode, number>> = {
  "content-rejected": 1,
  "bad-request": 2,
  "method-not-allowed": 2,
  "unsupported-media-type": 2,
  "too-large": 1,
  conflict: 1,
  "precondition-failed": 1,
  "not-found": 66, // EX_NOINPUT
  gone: 66,
  unauthorized: 77, // EX_NOPERM
  forbidden: 77,
  "storage-unavailable": 75, // EX_TEMPFAIL: try again
  config: 78, // EX_CONFIG
};

/** Internal software error (EX_SOFTWARE): a bug, reported with its stack. */
export const EXIT_BUG = 70;

/** The exit status for an error a command ends with. */
export function exitCodeOf(error: unknown): number {
  return error instanceof ServiceError ? EXIT_OF_CODE[error.code] : EXIT_BUG;
}

/**
 * Runs a command's `main` as the process: exits with what it returns, or with the exit status of the error it ends
 * with (a ServiceError as one line naming what is wrong; anything else, a bug, with its stack).
 */
export function runCommand(main: (argv: readonly string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ServiceError) {
        process.stderr.write(`error: ${error instanceof ConfigError ? "setting " : ""}${error.message}\n`);
      } else {
        process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      }
      process.exit(exitCodeOf(error));
    },
  );
}
