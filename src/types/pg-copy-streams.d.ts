/** The part of pg-copy-streams (7.x, no bundled types) that exports use: `COPY ... TO STDOUT` as a Readable. */
declare module 'pg-copy-streams' {
  import type { Readable } from 'node:stream';

  /** A `COPY ... TO STDOUT` statement, submitted with node-postgres' `client.query(stream)`. */
  interface CopyToStream extends Readable {
    /** The rows PostgreSQL reported once the copy finished. */
    readonly rowCount: number;
    /** Called by node-postgres' `client.query(stream)` with its connection. */
    submit(connection: unknown): void;
  }

  const copyStreams: {
    /** Starts `text` (a `COPY ... TO STDOUT` statement) when passed to `client.query`. */
    to(text: string): CopyToStream;
  };
  export type { CopyToStream };
  export default copyStreams;
}
