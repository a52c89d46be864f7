// Thin wrappers around the real local D1 and R2 bindings for the workerd tests: faults injected into chosen calls, and
// D1's round trips counted. They are not stand-ins: every call they let through reaches the real binding unchanged.

/** What an injected failure says, so tests can tell it from a real one. */
export const INJECTED = "injected fault";

/** Rows a D1 call returned, per statement: `first` one or none, `all`/`run` its results, `raw` its rows, a batch each. */
function rowsOf(result: unknown): number[] {
  if (Array.isArray(result)) return result.flatMap((r) => (Array.isArray(r) ? [r.length] : rowsOf(r)));
  if (result && typeof result === "object" && "results" in result) return [(result as { results: unknown[] }).results.length];
  return [result === null || result === undefined ? 0 : 1];
}

/**
 * `db`, with `trip` told the SQL of every round trip before it runs (one statement's first/all/run/raw, or every
 * statement of a batch), and `returned` the rows each statement of it returned; a trip rejects as D1 would if `trip`
 * throws.
 */
function interceptD1(db: D1Database, trip: (sql: readonly string[]) => void, returned?: (rows: number[]) => void): D1Database {
  // Each wrapped statement's real statement (what batch() is given) and its SQL (what `trip` is told).
  const real = new WeakMap<object, D1PreparedStatement>();
  const sqlOf = new WeakMap<object, string>();
  const attempt = (sql: readonly string[], run: () => unknown) => {
    try {
      trip(sql);
    } catch (error) {
      return Promise.reject(error);
    }
    const result = run();
    if (!returned) return result;
    return Promise.resolve(result).then((value) => {
      returned(rowsOf(value));
      return value;
    });
  };
  const wrap = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const run =
      <K extends "first" | "all" | "run" | "raw">(method: K) =>
      (...args: unknown[]) =>
        attempt([sql], () => (statement[method] as (...a: unknown[]) => unknown).apply(statement, args));
    const wrapped = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values), sql),
      first: run("first"),
      all: run("all"),
      run: run("run"),
      raw: run("raw"),
    };
    real.set(wrapped, statement);
    sqlOf.set(wrapped, sql);
    return wrapped as unknown as D1PreparedStatement;
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (property === "batch") {
        return (statements: D1PreparedStatement[]) =>
          attempt(
            statements.map((s) => sqlOf.get(s) ?? ""),
            () => target.batch(statements.map((s) => real.get(s) ?? s)),
          );
      }
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** `db`, except that every query whose SQL `fails` selects rejects as D1 would (a batch holding one, whole). */
export function failingD1(db: D1Database, fails: (sql: string) => boolean): D1Database {
  return interceptD1(db, (sql) => {
    const failing = sql.find(fails);
    if (failing !== undefined) throw new Error(`D1_ERROR: ${INJECTED}: ${failing.slice(0, 60)}`);
  });
}

/**
 * `db` with its round trips recorded: one entry per trip, the SQL of its statement or of every statement of a batch,
 * and (`rows`, in the same order) how many rows each of those statements returned.
 */
export function countingD1(db: D1Database): { db: D1Database; trips: string[][]; rows: number[][] } {
  const trips: string[][] = [];
  const rows: number[][] = [];
  return {
    db: interceptD1(
      db,
      (sql) => void trips.push([...sql]),
      (counts) => void rows.push(counts),
    ),
    trips,
    rows,
  };
}

/** `bucket`, except that the calls `fails` selects (by method name and key) reject as R2 would. */
export function failingR2(bucket: R2Bucket, fails: (method: string, key: unknown) => boolean): R2Bucket {
  return new Proxy(bucket, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) =>
        fails(String(property), args[0])
          ? Promise.reject(new Error(`R2: ${INJECTED}: ${String(property)} ${String(args[0])}`))
          : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  });
}
