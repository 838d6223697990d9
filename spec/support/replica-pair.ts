/**
 * A real primary and a hot standby streaming from it, for the specs of read routing with
 * Sequelize's `replication` option. Both run the embedded binaries on private unix sockets in one
 * temporary folder, apart from the suite's shared server (whose settings the specs must not
 * change). Start one per spec file: it takes about two seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Sequelize, type Options } from 'sequelize';
import { EmbeddedPostgres } from '../../dev/embedded-postgres/embedded-postgres.js';
import { type PgClient, withPgClient } from '../../dev/embedded-postgres/pg-client.js';
import { makeStandbyFolder } from '../../dev/embedded-postgres/standby-folder.js';

/**
 * Cheap throwaway data (commits still write their WAL at once, so the standby gets them without
 * the WAL writer's delay), WAL kept for the standby, and the same limits on both servers (a hot
 * standby refuses lower ones than its primary's).
 */
const SETTINGS = {
  fsync: 'off',
  wal_level: 'replica',
  max_wal_senders: '4',
  wal_keep_size: '256MB',
  max_connections: '50',
  hot_standby: 'on',
};
const WAIT_MS = 30_000;
const POLL_MS = 10;

/**
 * A primary and its streaming standby.
 *
 * @example
 * ```ts
 * const pair = await ReplicaPair.start();
 * await pair.createDatabase('shop');
 * const sequelize = pair.replicatedSequelize('shop');
 * await pair.pauseReplay(); // the standby keeps what it has; the primary moves on
 * await pair.close();
 * ```
 */
export class ReplicaPair {
  #primary: EmbeddedPostgres;
  #standby: EmbeddedPostgres | null;
  readonly #root: string;

  private constructor(root: string, primary: EmbeddedPostgres, standby: EmbeddedPostgres) {
    this.#root = root;
    this.#primary = primary;
    this.#standby = standby;
  }

  /**
   * Starts a primary (`initdb`), stops it, copies its data folder into a standby's, starts both
   * and resolves once the standby streams.
   */
  static async start(): Promise<ReplicaPair> {
    const root = mkdtempSync(path.join(os.tmpdir(), 'timeline-logger-replica-'));
    const primaryDataDir = path.join(root, 'primary');
    const standbyDataDir = path.join(root, 'standby');
    const started: EmbeddedPostgres[] = [];
    try {
      const first = await EmbeddedPostgres.start({ dataDir: primaryDataDir, settings: SETTINGS });
      await first.stop();
      makeStandbyFolder({
        primaryDataDir,
        standbyDataDir,
        primaryConninfo: `host=${first.socketDir} port=${first.port} user=postgres application_name=replica`,
      });
      const primary = await EmbeddedPostgres.start({ dataDir: primaryDataDir, settings: SETTINGS });
      started.push(primary);
      const standby = await EmbeddedPostgres.start({ dataDir: standbyDataDir, settings: SETTINGS });
      started.push(standby);
      const pair = new ReplicaPair(root, primary, standby);
      await pair.#waitUntilStreaming();
      return pair;
    } catch (error) {
      for (const server of started.reverse()) await server.stop();
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }

  /** Creates database `name` on the primary and waits until the standby has it. */
  async createDatabase(name: string): Promise<void> {
    await this.#primary.createDatabase(name);
    await this.waitForReplay();
  }

  /**
   * A Sequelize instance on `database` that writes to the primary and reads from the standby,
   * as an app configures read replicas.
   */
  replicatedSequelize(database: string, options: Options = {}): Sequelize {
    const standby = this.#requireStandby();
    return new Sequelize(database, 'postgres', '', {
      dialect: 'postgres',
      logging: false,
      replication: {
        read: [{ host: standby.socketDir, port: standby.port }],
        write: { host: this.#primary.socketDir, port: this.#primary.port },
      },
      ...options,
    });
  }

  /** A Sequelize instance on `database` on the primary only (for writes a spec makes behind the app's back). */
  primarySequelize(database: string): Sequelize {
    return new Sequelize(this.#primary.url(database), { dialect: 'postgres', logging: false });
  }

  /** Waits until the standby has replayed everything the primary has written so far. */
  async waitForReplay(): Promise<void> {
    const [row] = (await this.#onPrimary((client) => client.query('SELECT pg_current_wal_insert_lsn()::text AS lsn'))).rows as {
      lsn: string;
    }[];
    await this.#poll('the standby to replay the primary', () =>
      this.#onStandby(async (client) => {
        const result = await client.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [row?.lsn]);
        return (result.rows[0] as { done: boolean }).done;
      }),
    );
  }

  /**
   * Lets the standby replay everything written so far, then pauses its replay
   * (`pg_wal_replay_pause()`): it keeps answering queries with that state while the primary moves on.
   */
  async pauseReplay(): Promise<void> {
    await this.waitForReplay();
    await this.#onStandby((client) => client.query('SELECT pg_wal_replay_pause()'));
    await this.#poll('the standby to pause its replay', () =>
      this.#onStandby(async (client) => {
        const result = await client.query('SELECT pg_get_wal_replay_pause_state() AS state');
        return (result.rows[0] as { state: string }).state === 'paused';
      }),
    );
  }

  /** Resumes the standby's replay and waits until it has caught up. */
  async resumeReplay(): Promise<void> {
    await this.#onStandby((client) => client.query('SELECT pg_wal_replay_resume()'));
    await this.waitForReplay();
  }

  /** Stops the standby (fast shutdown: its sessions are disconnected). */
  async stopStandby(): Promise<void> {
    await this.#standby?.stop();
    this.#standby = null;
  }

  /** Starts the stopped standby again (same folder, socket and port) and waits until it streams. */
  async startStandby(): Promise<void> {
    if (this.#standby) return;
    this.#standby = await EmbeddedPostgres.start({ dataDir: path.join(this.#root, 'standby'), settings: SETTINGS });
    await this.#waitUntilStreaming();
  }

  /** Stops both servers and deletes their folders. */
  async close(): Promise<void> {
    await this.stopStandby();
    await this.#primary.stop();
    rmSync(this.#root, { recursive: true, force: true });
  }

  #requireStandby(): EmbeddedPostgres {
    if (!this.#standby) throw new Error('the standby is stopped: call startStandby() first');
    return this.#standby;
  }

  #onPrimary<T>(work: (client: PgClient) => Promise<T>): Promise<T> {
    return withPgClient({ host: this.#primary.socketDir, port: this.#primary.port }, work);
  }

  #onStandby<T>(work: (client: PgClient) => Promise<T>): Promise<T> {
    const standby = this.#requireStandby();
    return withPgClient({ host: standby.socketDir, port: standby.port }, work);
  }

  async #waitUntilStreaming(): Promise<void> {
    await this.#poll('the standby to stream from the primary', () =>
      this.#onPrimary(async (client) => {
        const result = await client.query("SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'");
        return result.rows.length > 0;
      }),
    );
  }

  async #poll(what: string, done: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
      await sleep(POLL_MS);
    }
  }
}
