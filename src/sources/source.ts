// The one interface every content source implements: a read-only tree of files under the content root.

export interface ContentSource {
  /** A short description for logs, e.g. `memory` or `directory:/srv/articles`. */
  readonly name: string;
  /** Every file under the content root: relative paths with `/` separators, sorted, no leading slash. */
  list(): Promise<readonly string[]>;
  /** A file's bytes, or null if there is no such file. */
  read(path: string): Promise<Uint8Array | null>;
  /**
   * A file's size in bytes without reading it, where the source can tell (a folder): a file over its limit is then
   * refused without being read into memory. Null if there is no such file.
   */
  size?(path: string): Promise<number | null>;
}
