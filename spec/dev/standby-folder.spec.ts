/**
 * makeStandbyFolder: a hot standby from a stopped primary's data folder, with the server
 * binaries alone. (spec/db/read-replicas.spec.ts runs the library against such a pair.)
 */
import * as fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgres, EmbeddedPostgresError } from '../../dev/embedded-postgres/embedded-postgres.js';
import { withPgClient } from '../../dev/embedded-postgres/pg-client.js';
import { makeStandbyFolder } from '../../dev/embedded-postgres/standby-folder.js';

const SETTINGS = { fsync: 'off', wal_keep_size: '64MB' };

let root: string;
let primaryDataDir: string;
let primary: EmbeddedPostgres;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-standby-spec-'));
  primaryDataDir = path.join(root, 'primary');
  primary = await EmbeddedPostgres.start({ dataDir: primaryDataDir, settings: SETTINGS });
});
afterAll(async () => {
  await primary.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('makeStandbyFolder', () => {
  it('refuses to copy the folder of a running primary, and leaves nothing behind', () => {
    const standbyDataDir = path.join(root, 'refused');
    expect(() => makeStandbyFolder({ primaryDataDir, standbyDataDir, primaryConninfo: 'host=/nowhere' })).toThrow(
      /is running \(pid \d+\): stop it before copying its data folder/,
    );
    expect(fs.existsSync(standbyDataDir)).toBe(false);
    expect(fs.readdirSync(root).filter((name) => name.includes('.standby-'))).toEqual([]);
  });

  it('refuses a folder that holds no cluster, and a target that is not empty', () => {
    const empty = fs.mkdtempSync(path.join(root, 'empty-'));
    expect(() => makeStandbyFolder({ primaryDataDir: empty, standbyDataDir: path.join(root, 'x'), primaryConninfo: '' })).toThrow(
      EmbeddedPostgresError,
    );
    const occupied = fs.mkdtempSync(path.join(root, 'occupied-'));
    fs.writeFileSync(path.join(occupied, 'notes.txt'), 'mine');
    expect(() => makeStandbyFolder({ primaryDataDir, standbyDataDir: occupied, primaryConninfo: '' })).toThrow(/neither empty/);
    expect(fs.readFileSync(path.join(occupied, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('makes a folder that starts as a hot standby streaming from the primary', async () => {
    await primary.stop();
    const standbyDataDir = path.join(root, 'standby');
    const conninfo = `host=${primary.socketDir} port=${primary.port} user=postgres application_name='spec standby'`;
    makeStandbyFolder({ primaryDataDir, standbyDataDir, primaryConninfo: conninfo });
    expect(fs.existsSync(path.join(standbyDataDir, 'standby.signal'))).toBe(true);
    expect(fs.existsSync(path.join(standbyDataDir, 'postmaster.pid'))).toBe(false);
    expect(fs.readFileSync(path.join(standbyDataDir, 'postgresql.auto.conf'), 'utf8')).toContain(
      `primary_conninfo = 'host=${primary.socketDir} port=${primary.port} user=postgres application_name=''spec standby'''`,
    );
    expect(fs.statSync(standbyDataDir).uid).toBe(fs.statSync(primaryDataDir).uid);
    expect(fs.statSync(standbyDataDir).mode & 0o777).toBe(0o700);

    primary = await EmbeddedPostgres.start({ dataDir: primaryDataDir, settings: SETTINGS });
    const standby = await EmbeddedPostgres.start({ dataDir: standbyDataDir, settings: SETTINGS, temporary: true });
    try {
      await withPgClient({ host: primary.socketDir, port: primary.port }, (client) => client.query('CREATE TABLE copied_later (n int)'));
      const seen = async (): Promise<boolean> => {
        const result = await withPgClient({ host: standby.socketDir, port: standby.port }, (client) =>
          client.query("SELECT pg_is_in_recovery() AS standby, to_regclass('copied_later') IS NOT NULL AS replayed"),
        );
        const row = result.rows[0] as { standby: boolean; replayed: boolean };
        expect(row.standby).toBe(true);
        return row.replayed;
      };
      const deadline = Date.now() + 20_000;
      while (!(await seen()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await seen()).toBe(true);
      const senders = await withPgClient({ host: primary.socketDir, port: primary.port }, (client) =>
        client.query('SELECT application_name, state FROM pg_stat_replication'),
      );
      expect(senders.rows).toEqual([{ application_name: 'spec standby', state: 'streaming' }]);
    } finally {
      await standby.stop();
    }
  });
});
