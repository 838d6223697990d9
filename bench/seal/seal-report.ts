import os from 'node:os';
import { markdownTable } from '../support/markdown-table.js';
import { median } from '../support/median.js';
import { Samples } from '../support/samples.js';
import type { PerMinuteFigures } from './measure-per-minute.js';
import type { LibraryReport } from './run-library.js';

/** What the bench measured outside {@link SealFigures}' samples. */
export interface SealTotals {
  readonly rows: number;
  readonly runs: number;
  readonly quarter: number;
  readonly loadMs: number;
  readonly perMinute: PerMinuteFigures;
  /** Logs in the table at the end (the per-minute job's included). */
  readonly sealed: number;
  readonly sealsBytes: number;
  readonly logsBytes: number;
  readonly version: string;
  readonly partitioned: boolean;
}

/**
 * The bench's figures as they come in (baseline milliseconds under `<group>|<variant>`, the
 * library children's reports by name, the 1-minute load average after each group) and the
 * markdown tables they make.
 */
export class SealFigures {
  readonly samples = new Samples();
  readonly #reports = new Map<string, LibraryReport[]>();
  readonly #loads = new Map<string, number>();

  /** Keeps a library child's report under `name`. */
  keep(name: string, report: LibraryReport): void {
    this.#reports.set(name, [...this.reports(name), report]);
  }

  /** The reports kept under `name`, in order. */
  reports(name: string): readonly LibraryReport[] {
    return this.#reports.get(name) ?? [];
  }

  /** Notes the 1-minute load average now, for the figures of `group`. */
  noteLoad(group: string): void {
    this.#loads.set(group, os.loadavg()[0] ?? NaN);
  }

  /** The header line, the figures table and the table of where a seal's time goes. */
  print(totals: SealTotals): void {
    const cpu = os.cpus();
    const loads = os.loadavg().map((value) => value.toFixed(2));
    console.log(
      `\n${totals.rows.toLocaleString('en')} logs (${totals.partitioned ? 'partitioned by month' : 'plain table'}), loaded in ` +
        `${(totals.loadMs / 1000).toFixed(0)} s; ${totals.runs} interleaved runs, medians; ${cpu.length} CPUs (${cpu[0]?.model ?? '?'}), ` +
        `PostgreSQL ${totals.version}, fsync off; load average at the end ${loads.join(' / ')} (1/5/15 min).\n`,
    );
    const header = ['measurement', 'library', 'PostgreSQL baseline (same run)', 'library / baseline time', 'load (1 min)'];
    console.log(markdownTable(header, this.#figureRows(totals), { right: [1, 2, 3, 4] }));
    console.log('\nWhere a first seal spends its time (one pass timing each part on its own, medians):\n');
    console.log(markdownTable(['part', 'total', 'per log'], this.#componentRows(totals.rows), { right: [1, 2] }));
  }

  #figureRows(totals: SealTotals): string[][] {
    const rate = (ms: number, count = totals.rows): string => `${Math.round((count * 1000) / ms).toLocaleString('en')} logs/s`;
    const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
    const load = (group: string): string => (this.#loads.get(group) ?? NaN).toFixed(2);
    const of = (name: string, pick: (report: LibraryReport) => number): number => median(this.reports(name).map(pick));
    const rows: string[][] = [];
    for (const group of ['seal', 'verify']) {
      const library = this.samples.median(`${group}|${group}`) as number;
      const what = group === 'seal' ? 'first seal' : 'verify';
      const seconds = `${(library / 1000).toFixed(1)} s, node CPU ${(of(group, (each) => each.cpuMs) / 1000).toFixed(1)} s`;
      rows.push([`${what} of ${totals.rows.toLocaleString('en')} logs`, `${rate(library)} (${seconds})`, '', '', load(group)]);
      for (const [key, label] of [
        ['copy', 'COPY (SELECT the same columns ORDER BY id) TO STDOUT, drained by node'],
        ['hash', 'server-side sha256(row::text) of every row, one backend'],
      ] as const) {
        const baseline = this.samples.median(`${group}|${key}`) as number;
        rows.push([`  vs ${label}`, '', rate(baseline), `${(library / baseline).toFixed(2)}x`, load(group)]);
      }
      const rss = `${of(group, (each) => each.maxRssMb).toFixed(0)} MB (at start ${of(group, (each) => each.startRssMb).toFixed(0)} MB)`;
      rows.push([`  ${what}: peak RSS of its process`, rss, '', '', load(group)]);
    }
    const quarter = `${rate(
      of('verify N/4', (each) => each.ms),
      totals.quarter,
    )}, peak RSS ${of('verify N/4', (each) => each.maxRssMb).toFixed(0)} MB`;
    rows.push([`verify of ${totals.quarter.toLocaleString('en')} logs (N/4)`, quarter, '', '', load('verify N/4')]);
    const { perMinute } = totals;
    const per = (library: number, baseline: number, label: string): string[] => [
      label,
      ms(library),
      ms(baseline),
      `${(library / baseline).toFixed(1)}x`,
      load('perMinute'),
    ];
    rows.push(per(perMinute.idleMs, perMinute.idleBaselineMs, 'per-minute seal(), nothing new; baseline SELECT max(id)'));
    rows.push(
      per(
        perMinute.freshMs,
        perMinute.freshBaselineMs,
        `per-minute seal(), ${perMinute.fresh.toLocaleString('en')} new logs; baseline a SELECT of them`,
      ),
    );
    const mb = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
    rows.push([
      'seals table / timeline table (each with indexes, TOAST)',
      `${mb(totals.sealsBytes)}, ${(totals.sealsBytes / totals.sealed).toFixed(1)} bytes/log`,
      `${mb(totals.logsBytes)}, ${(totals.logsBytes / totals.sealed).toFixed(0)} bytes/log`,
      `${((100 * totals.sealsBytes) / totals.logsBytes).toFixed(1)}%`,
      '',
    ]);
    return rows;
  }

  /** The components pass's parts, one after the other, next to the seal that overlaps reading and hashing. */
  #componentRows(logs: number): string[][] {
    const passes = this.reports('components');
    const pick = (field: 'readMs' | 'stringifyMs' | 'hashMs' | 'oneShotHashMs'): number =>
      median(passes.map((each) => each.components?.[field] ?? NaN));
    const seal = this.samples.median('seal|seal') as number;
    const parts: [string, number][] = [
      ["SELECT of each batch as the seal's, rows parsed by node-postgres", pick('readMs')],
      ['JSON.stringify of each row', pick('stringifyMs')],
      ['SHA-256 of each row, one-shot crypto.hash (the library)', pick('oneShotHashMs')],
      ['(SHA-256 of each row with a createHash object per row, for comparison)', pick('hashMs')],
      ['read + stringify + hash, one after the other', pick('readMs') + pick('stringifyMs') + pick('oneShotHashMs')],
      ['PostgreSQL alone: COPY of the same text, drained (baseline)', this.samples.median('seal|copy') as number],
      ["the library's seal() (reads the next rows while it hashes)", seal],
      ["  node CPU during the library's seal()", median(this.reports('seal').map((each) => each.cpuMs))],
    ];
    return parts.map(([label, value]) => [label, `${(value / 1000).toFixed(2)} s`, `${((value * 1000) / logs).toFixed(2)} µs`]);
  }
}
