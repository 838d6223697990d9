/**
 * What an `EmbeddedPostgres` handle is made of: a server this process started, or a live one it
 * attached to, and how to stop it.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { stopServerProcess } from './server-process.js';
import { removeSocketDir } from './socket-dir.js';

/** A server reachable on a unix socket (or, when attached, TCP), started by this process or attached to. */
export interface RunningServer {
  /** The cluster's data folder (absolute). */
  readonly dataDir: string;
  /** The socket folder; `''` for an attached server reachable only by TCP. */
  readonly socketDir: string;
  /** The socket folder, or a TCP host for an attached server without a socket. */
  readonly host: string;
  readonly port: number;
  /** The server process when this process started it; `null` when attached. */
  readonly child: ChildProcess | null;
  /** Delete `dataDir` when stopped; always `false` for an attached server. */
  readonly temporary: boolean;
}

/** The folders to clean up after a server: its socket folder, and its data folder when temporary. */
export type ServerFolders = Pick<RunningServer, 'dataDir' | 'socketDir' | 'temporary'>;

/**
 * Stops a server this process started and waits until it has exited, then removes its folders
 * (see {@link removeServerFolders}). Does nothing for an attached server.
 *
 * @example
 * ```ts
 * const server = await launchServer(options);
 * await stopRunningServer(server);
 * ```
 */
export async function stopRunningServer(server: RunningServer): Promise<void> {
  if (!server.child) return;
  await stopServerProcess(server.child);
  removeServerFolders(server);
}

/**
 * Removes the socket folder when it is empty, and the data folder when `temporary`.
 *
 * @example
 * ```ts
 * removeServerFolders({ dataDir: '/tmp/pg-x/data', socketDir: '', temporary: true });
 * ```
 */
export function removeServerFolders(folders: ServerFolders): void {
  removeSocketDir(folders.socketDir);
  if (folders.temporary && folders.dataDir) fs.rmSync(folders.dataDir, { recursive: true, force: true });
}
