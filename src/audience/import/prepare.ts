import { RowChecker, type PreparedBatch, type RowCheckerSetup } from './rows.ts';
import { readRecords } from './source.ts';

/**
 * The rows of an import, read and checked into batches in this thread. For a large file on SQLite
 * the database writes in a thread of its own meanwhile (sqlite-writer.ts); PostgreSQL writes in its
 * own process anyway.
 */

export interface PrepareSetup extends RowCheckerSetup {
  filePath: string;
  sizeBytes: number;
}

/** A guess of the row count from the file's first chunk sizes the duplicate table up to this many rows; a larger file grows it as it goes. */
const EXPECT_AT_MOST = 4_000_000;

/** The file's batches. */
export async function* checkRows(s: PrepareSetup): AsyncGenerator<PreparedBatch> {
  const checker = new RowChecker(s);
  let estimated = false;
  for await (const { records, bytesRead } of readRecords(s.filePath, s.layout)) {
    if (!estimated) {
      estimated = true;
      checker.expectRows(Math.min(EXPECT_AT_MOST, Math.ceil((records.length * s.sizeBytes) / bytesRead)));
    }
    for (const rec of records) {
      checker.add(rec);
      if (checker.full) yield checker.take(bytesRead);
    }
  }
  if (!checker.empty) yield checker.take(s.sizeBytes);
}
