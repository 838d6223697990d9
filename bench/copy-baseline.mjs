// The baseline of the CLI export figure in bench/transfer.ts: PostgreSQL's own CSV of the same
// rows, `COPY (SELECT ...) TO STDOUT (FORMAT csv)` through pg-copy-streams to stdout (the bench
// points stdout at /dev/null), in a process of its own as the CLI runs in one. psql would do the
// same, but the embedded server ships no psql.
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';

const COLUMNS = 'id, content_type, object_id, object_repr, timestamp, user_id, user_repr, template, event, extra_data';
const client = new pg.Client(process.env.DATABASE_URL);
await client.connect();
await pipeline(
  client.query(copyStreams.to(`COPY (SELECT ${COLUMNS} FROM timeline_logs ORDER BY id) TO STDOUT (FORMAT csv)`)),
  process.stdout,
);
await client.end();
