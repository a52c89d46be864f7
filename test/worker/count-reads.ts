// Round trips to D1, counted: a thin wrapper around the real local binding that records each call that reaches the
// database (a statement's first/all/run/raw, or one batch), then passes it on unchanged.

export interface CountedD1 {
  db: D1Database;
  /** One entry per round trip: the SQL of a single statement, or every statement of a batch. */
  trips: string[][];
}

export function countingD1(db: D1Database): CountedD1 {
  const trips: string[][] = [];
  const real = new WeakMap<object, D1PreparedStatement>();
  const sqlOf = new WeakMap<object, string>();
  const wrap = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const run =
      (method: "first" | "all" | "run" | "raw") =>
      (...args: unknown[]) => {
        trips.push([sql]);
        return (statement[method] as (...a: unknown[]) => unknown).apply(statement, args);
      };
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
  const counted = new Proxy(db, {
    get(target, property) {
      if (property === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (property === "batch")
        return (statements: D1PreparedStatement[]) => {
          trips.push(statements.map((s) => sqlOf.get(s) ?? "?"));
          return target.batch(statements.map((s) => real.get(s) ?? s));
        };
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: counted, trips };
}
