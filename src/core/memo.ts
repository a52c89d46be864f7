// A memo bounded in bytes, not entries: least recently used values go first once the budget is spent.

export interface Memo<V> {
  get(key: string): V | undefined;
  /** Keeps `value` (of about `bytes` bytes) unless it alone is over the budget. */
  set(key: string, value: V, bytes: number): void;
  /** Bytes currently held, as declared to `set`. */
  readonly bytes: number;
}

/** An LRU map holding at most `budget` bytes (the sum of the sizes given to `set`). */
export function createMemo<V>(budget: number): Memo<V> {
  const entries = new Map<string, { value: V; bytes: number }>();
  let held = 0;
  return {
    get(key) {
      const hit = entries.get(key);
      if (!hit) return undefined;
      // Re-inserted: Map order is then least recently used first.
      entries.delete(key);
      entries.set(key, hit);
      return hit.value;
    },
    set(key, value, bytes) {
      const old = entries.get(key);
      if (old) {
        entries.delete(key);
        held -= old.bytes;
      }
      if (bytes > budget) return;
      entries.set(key, { value, bytes });
      held += bytes;
      while (held > budget) {
        const [oldest, entry] = entries.entries().next().value!;
        entries.delete(oldest);
        held -= entry.bytes;
      }
    },
    get bytes() {
      return held;
    },
  };
}

/** Bytes a string takes in a JavaScript engine, at most: two per UTF-16 code unit. */
export function stringBytes(text: string): number {
  return text.length * 2;
}
