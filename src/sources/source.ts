// The one interface every content source implements: a read-only tree of files under the content root.

export interface ContentSource {
  /** A short description for logs, e.g. `memory` or `directory:/srv/articles`. */
  readonly name: string;
  /** Every file under the content root: relative paths with `/` separators, sorted, no leading slash. */
  list(): Promise<readonly string[]>;
  /** A file's bytes, or null if there is no such file. */
  read(path: string): Promise<Uint8Array | null>;
}
