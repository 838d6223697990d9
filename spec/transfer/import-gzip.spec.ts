/** Issue 14: every import format also reads gzip-compressed input (prune's archives are gzip ndjson). */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportError } from '../../src/errors.js';
import { FORMAT_NAMES } from '../../src/transfer/formats/format-registry.js';
import { TimelineLogResource } from '../../src/transfer/timeline-log-resource.js';
import { makeTempFolder, removeTempFolder, storedRows } from '../support/archive-folder.js';
import { exportToBuffer } from '../support/export-to-buffer.js';
import { insertRaw } from '../support/raw-log.js';
import { useTimelineFixture } from '../support/timeline-fixture.js';

const fixture = useTimelineFixture();
let folder: string;

beforeEach(async () => {
  folder = await makeTempFolder();
});
afterEach(() => removeTempFolder(folder));

async function seedAndExport(format: (typeof FORMAT_NAMES)[number]): Promise<{ before: string[]; file: Buffer }> {
  await insertRaw(fixture.db.sequelize, [
    { id: 3, timestamp: '2016-07-01T09:08:12.345678Z', object_repr: 'Café "x", y', event: 'created', extra_data: { n: [1, { a: 'ü\n' }] } },
    { id: 9, timestamp: '1999-12-31T23:59:59.999999+05:30', extra_data: null },
  ]);
  const before = await storedRows(fixture.db.sequelize);
  const file = await exportToBuffer(new TimelineLogResource(), { format });
  await fixture.TimelineLog.destroy({ where: {}, truncate: true });
  return { before, file };
}

describe('gzip-compressed import', () => {
  it.each(FORMAT_NAMES)('reads gzip %s: a file named by its format (with or without .gz), a buffer and a stream', async (format) => {
    const { before, file } = await seedAndExport(format);
    const gzipped = gzipSync(file);
    const resource = new TimelineLogResource();

    // Told by the bytes, not the name: both names are read as gzip.
    for (const name of [`logs.${format}.gz`, `logs.${format}`]) {
      await writeFile(path.join(folder, name), gzipped);
      const result = await resource.import(path.join(folder, name));
      expect(result.totals).toMatchObject({ new: 2, invalid: 0, error: 0 });
      expect(await storedRows(fixture.db.sequelize)).toEqual(before);
      await fixture.TimelineLog.destroy({ where: {}, truncate: true });
    }
    expect((await resource.import(gzipped, { format })).totals).toMatchObject({ new: 2 });
    await fixture.TimelineLog.destroy({ where: {}, truncate: true });
    expect((await resource.import(Readable.from([gzipped.subarray(0, 1), gzipped.subarray(1)]), { format })).totals).toMatchObject({
      new: 2,
    });
    expect(await storedRows(fixture.db.sequelize)).toEqual(before);
  });

  it('applies maxBytes to the decompressed size: a gzip bomb is refused, nothing written', async () => {
    const line = '{"id":null,"timestamp":"2024-01-01T00:00:00Z","event":"x"}\n';
    const bomb = gzipSync(Buffer.from(line.repeat(200_000))); // about 12 MB of ndjson
    expect(bomb.length).toBeLessThan(100_000);
    await writeFile(path.join(folder, 'bomb.ndjson'), bomb);
    for (const source of [path.join(folder, 'bomb.ndjson'), bomb, Readable.from([bomb])]) {
      const importing = new TimelineLogResource().import(source, { format: 'ndjson', maxBytes: 1024 * 1024 });
      await expect(importing).rejects.toThrow(ImportError);
      await expect(importing).rejects.toThrow(
        'The input is larger than 1048576 bytes once decompressed: split it, or raise maxBytes (--max-bytes).',
      );
    }
    expect(await fixture.TimelineLog.count()).toBe(0);
  });

  it('a corrupt or cut-short gzip is an ImportError saying so, nothing written', async () => {
    const good = gzipSync(Buffer.from('{"id":null,"timestamp":"2024-01-01T00:00:00Z"}\n'.repeat(1000)));
    const cut = good.subarray(0, good.length - 20);
    const garbled = Buffer.concat([good.subarray(0, 12), Buffer.alloc(40, 0xff), good.subarray(52)]);
    for (const broken of [cut, garbled, Buffer.from([0x1f, 0x8b])]) {
      await writeFile(path.join(folder, 'broken.ndjson.gz'), broken);
      await expect(new TimelineLogResource().import(path.join(folder, 'broken.ndjson.gz'))).rejects.toThrow(
        /^The gzip-compressed input cannot be decompressed \(.+\): it is corrupt or cut short\. Check the file with gzip -t\.$/,
      );
    }
    expect(await fixture.TimelineLog.count()).toBe(0);
  });
});
