// Fault injection for the workerd tests: thin wrappers around the real local D1 and R2 bindings that fail a chosen call.
// They inject a fault, they are not stand-ins: every call they do not fail reaches the real binding unchanged.

/** What an injected failure says, so tests can tell it from a real one. */
export const INJECTED = "injected fault";

/** `db`, except that every query whose SQL `fails` selects rejects as D1 would (batches included). */
export function failingD1(db: D1Database, fails: (sql: string) => boolean): D1Database {
  // Each wrapped statement's real statement (what batch() is given) and its SQL (what `fails` is asked about).
  const real = new WeakMap<object, D1PreparedStatement>();
  const sqlOf = new WeakMap<object, string>();
  const reject = (sql: string) => Promise.reject(new Error(`D1_ERROR: ${INJECTED}: ${sql.slice(0, 60)}`));
  const wrap = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const run =
      <K extends "first" | "all" | "run" | "raw">(method: K) =>
      (...args: unknown[]) =>
        fails(sql) ? reject(sql) : (statement[method] as (...a: unknown[]) => unknown).apply(statement, args);
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
      if (property === "prepare") {
        return (sql: string) => wrap(target.prepare(sql), sql);
      }
      if (property === "batch") {
        return (statements: D1PreparedStatement[]) => {
          const failing = statements.find((s) => fails(sqlOf.get(s) ?? ""));
          if (failing) return reject(sqlOf.get(failing)!);
          return target.batch(statements.map((s) => real.get(s) ?? s));
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
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
