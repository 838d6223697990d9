import type { Transaction } from 'sequelize';
import { selectText } from './canonical-row.js';

/**
 * Reads `query` (a SELECT of text columns, with `values` for its parameters) through a cursor
 * named `cursor` in `transaction`, `fetchRows` rows per `FETCH`, as arrays of text. It asks for
 * the next batch before handing out the current one, so PostgreSQL reads and sends it while the
 * caller hashes this one: on two cores the server's work and the caller's overlap. The cursor
 * ends with the transaction.
 *
 * @example
 * ```ts
 * for await (const rows of cursorBatches(transaction, 'timeline_verify', 'SELECT "id" FROM t ORDER BY "id"', [], 2000)) use(rows);
 * ```
 */
export async function* cursorBatches(
  transaction: Transaction,
  cursor: string,
  query: string,
  values: readonly unknown[],
  fetchRows: number,
): AsyncGenerator<(string | null)[][], void, undefined> {
  await selectText(transaction, `DECLARE ${cursor} NO SCROLL CURSOR FOR ${query}`, values);
  const fetch = (): Promise<(string | null)[][]> => {
    const rows = selectText(transaction, `FETCH ${fetchRows} FROM ${cursor}`);
    // Awaited below; a failure while the caller is still busy with the batch before must not go unhandled.
    rows.catch(() => undefined);
    return rows;
  };
  let next = fetch();
  for (;;) {
    const rows = await next;
    const more = rows.length === fetchRows;
    if (more) next = fetch();
    if (rows.length > 0) yield rows;
    if (!more) return;
  }
}
