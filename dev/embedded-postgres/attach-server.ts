/**
 * Attaching to a live server that already runs on a data folder (e.g. another process of the
 * app, or one left behind by a killed process) instead of starting a second one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedPostgresError, errorMessage } from './embedded-postgres-error.js';
import { withPgClient } from './pg-client.js';
import { acceptsConnections, POLL_INTERVAL_MS, type PostmasterInfo, readLivePostmaster } from './postmaster-pid.js';
import type { RunningServer } from './running-server.js';
import { readServerLogTail } from './server-log.js';

/**
 * The attached server (`child: null`) when a live postmaster serves `dataDir`, waiting while it
 * starts; `null` when there is none (see `readLivePostmaster`: a stale `postmaster.pid` does not
 * count).
 *
 * @param deadline `Date.now()` value after which waiting for a starting server gives up.
 * @throws {EmbeddedPostgresError} when the server stays unready until `deadline`, or does not
 *   let the `postgres` user in without a password.
 * @example
 * ```ts
 * const server = (await attachToLiveServer(dataDir, Date.now() + 30_000)) ?? (await launchServer(options));
 * ```
 */
export async function attachToLiveServer(dataDir: string, deadline: number): Promise<RunningServer | null> {
  for (;;) {
    const info = readLivePostmaster(dataDir);
    if (!info) return null;
    if (acceptsConnections(info)) return connectToLiveServer(dataDir, info);
    if (Date.now() > deadline) {
      throw new EmbeddedPostgresError(
        `A PostgreSQL server (pid ${info.pid}) on ${dataDir} stayed "${info.status}" until the start timeout.`,
        readServerLogTail(dataDir),
      );
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

async function connectToLiveServer(dataDir: string, info: PostmasterInfo): Promise<RunningServer> {
  const host = info.socketDir || tcpHost(info.listenAddress);
  try {
    await withPgClient({ host, port: info.port }, (client) => client.query('SELECT 1'));
  } catch (error) {
    throw new EmbeddedPostgresError(
      `A PostgreSQL server (pid ${info.pid}) is running on ${dataDir} but does not accept connections at ${host} port ${info.port}: ${errorMessage(error)}. ` +
        'Stop it, or start it with trust authentication for the postgres user.',
      readServerLogTail(dataDir),
      { cause: error },
    );
  }
  return { dataDir, socketDir: info.socketDir, host, port: info.port, child: null, temporary: false };
}

/** The host to reach a server without a socket at: its first listen address, `localhost` for a wildcard. */
function tcpHost(listenAddress: string): string {
  const first = listenAddress.split(',')[0]?.trim() ?? '';
  return first === '' || first === '*' || first === '0.0.0.0' || first === '::' ? 'localhost' : first;
}
