// A memo bounded in bytes, not entries: least recently used values go first once the budget is spent.

export interface Memo<V> {
  get(key: string): V | undefined;
  /** Keeps `value`, which costs `bytes` of the budget, unless it alone is over `maxEntryBytes`. */
  set(key: string, value: V, bytes: number): void;
  delete(key: string): void;
  /** Entries held. */
  readonly size: number;
  /** Bytes held, as declared to `set`; never above the budget. */
  readonly bytes: number;
}

export interface MemoLimits {
  /** Most bytes held in all. */
  maxBytes: number;
  /** The largest single value kept (default: maxBytes); a larger one is not kept at all. */
  maxEntryBytes?: number;
}

/** An LRU map holding at most `maxBytes` (the sum of the sizes given to `set`). */
export function createMemo<V>(limits: number | MemoLimits): Memo<V> {
  const { maxBytes, maxEntryBytes = maxBytes } = typeof limits === "number" ? { maxBytes: limits } : limits;
  if (!(maxEntryBytes >= 0 && maxBytes >= maxEntryBytes)) {
    throw new RangeError(`memo limits: need 0 ≤ maxEntryBytes ≤ maxBytes, got ${maxEntryBytes} and ${maxBytes}`);
  }
  const entries = new Map<string, { value: V; bytes: number }>();
  let held = 0;
  const remove = (key: string): void => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    held -= entry.bytes;
  };
  return {
    get(key) {
      const hit = entries.get(key);
      if (!hit) return undefined;
      // Map order is insertion order: moving a hit to the end keeps the least recently used first.
      entries.delete(key);
      entries.set(key, hit);
      return hit.value;
    },
    set(key, value, bytes) {
      remove(key);
      if (bytes > maxEntryBytes) return;
      entries.set(key, { value, bytes });
      held += bytes;
      for (const oldest of entries.keys()) {
        if (held <= maxBytes) break;
        remove(oldest);
      }
    },
    delete: remove,
    get size() {
      return entries.size;
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
