-- The sweep walks article_parts by its primary key (src/store/d1/parts.ts); an index on `written` was never read and
-- only cost every write. The catalog's own article_parts (migrations/0003) has none either: one shape everywhere.
DROP INDEX article_parts_by_written;
