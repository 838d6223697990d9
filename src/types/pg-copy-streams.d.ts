/** The part of pg-copy-streams (7.x, no bundled types) the library uses: `COPY ... TO STDOUT` as a Readable, `COPY ... FROM STDIN` as a Writable. */
declare module 'pg-copy-streams' {
  import type { Readable, Writable } from 'node:stream';

  /** A `COPY ... TO STDOUT` statement, submitted with node-postgres' `client.query(stream)`. */
  interface CopyToStream extends Readable {
    /** The rows PostgreSQL reported once the copy finished. */
    readonly rowCount: number;
    /** Called by node-postgres' `client.query(stream)` with its connection. */
    submit(connection: unknown): void;
  }

  /** A `COPY ... FROM STDIN` statement, submitted with `client.query(stream)`; `finish` once PostgreSQL has the rows. */
  interface CopyFromStream extends Writable {
    /** The rows PostgreSQL reported once the copy finished. */
    readonly rowCount: number;
    /** Called by node-postgres' `client.query(stream)` with its connection. */
    submit(connection: unknown): void;
  }

  const copyStreams: {
    /** Starts `text` (a `COPY ... TO STDOUT` statement) when passed to `client.query`. */
    to(text: string): CopyToStream;
    /** Starts `text` (a `COPY ... FROM STDIN` statement) when passed to `client.query`. */
    from(text: string): CopyFromStream;
  };
  export type { CopyFromStream, CopyToStream };
  export default copyStreams;
}
