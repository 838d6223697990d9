// The baseline of the CLI import figure in bench/transfer.ts: PostgreSQL loading the same csv
// itself, `COPY timeline_logs (<columns>) FROM STDIN (FORMAT csv, HEADER true)` through
// pg-copy-streams, in a process of its own as the CLI runs in one (the embedded server ships no
// psql for `\copy`). The file is the CLI's own csv export, whose columns are the table's in order.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';

const COLUMNS = 'id, content_type, object_id, object_repr, timestamp, user_id, user_repr, template, event, extra_data';
const client = new pg.Client(process.env.DATABASE_URL);
await client.connect();
await pipeline(
  createReadStream(process.argv[2]),
  client.query(copyStreams.from(`COPY timeline_logs (${COLUMNS}) FROM STDIN (FORMAT csv, HEADER true)`)),
);
await client.end();
