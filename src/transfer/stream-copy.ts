import type { Writable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import type { Transaction } from 'sequelize';
import type { CopyRewriter } from './copy-rewriter.js';
import { writeText } from './formats/format-adapter.js';
import { pgClientOf } from './pg-client.js';

/**
 * Runs `COPY (...) TO STDOUT` statement `sql` in `transaction` and writes its output, rewritten
 * by `rewriter`, to `output`, waiting for `output` to drain. If writing fails, the rest of the
 * copy is read and dropped so the connection is usable again (to roll back or go back to the
 * pool), and the error is thrown. The session should be in UTC with ISO dates (see
 * `UTC_ISO_SESSION`): the rewriters read PostgreSQL's text in that form. Resolves to the number
 * of rows; the caller ends `output` and the transaction.
 *
 * @throws Error when the copy fails or its output ends inside a row; whatever `output` throws.
 * @example
 * ```ts
 * const rows = await streamCopy(transaction, 'COPY (SELECT ...) TO STDOUT', rewriter, file);
 * ```
 */
export async function streamCopy(
  transaction: Transaction,
  sql: string,
  rewriter: CopyRewriter,
  output: Writable,
  onProgress?: (rows: number) => void,
): Promise<number> {
  const stream = pgClientOf(transaction).query(copyStreams.to(sql));
  let failure: { error: unknown } | null = null;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (failure !== null) continue; // drain: the connection is only usable again once the copy ends
    try {
      const bytes = rewriter.push(chunk);
      if (bytes.length > 0) await writeText(output, bytes);
      onProgress?.(rewriter.rows);
    } catch (error) {
      failure = { error };
    }
  }
  if (failure !== null) throw failure.error;
  rewriter.finish();
  return rewriter.rows;
}
