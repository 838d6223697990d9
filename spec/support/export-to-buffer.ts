/** Captures an export in memory, for specs that read back what a resource wrote. */
import { PassThrough } from 'node:stream';
import type { ExportOptions } from '../../src/transfer/timeline-log-exporter.js';
import type { TimelineLogResource } from '../../src/transfer/timeline-log-resource.js';

/**
 * Exports with `options` and returns the bytes written.
 *
 * @example
 * ```ts
 * const csv = (await exportToBuffer(new TimelineLogResource(), { format: 'csv' })).toString('utf8');
 * ```
 */
export async function exportToBuffer(resource: TimelineLogResource, options: ExportOptions): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  await resource.exportTo(output, options);
  output.end();
  await new Promise((resolve) => output.on('end', resolve));
  return Buffer.concat(chunks);
}
