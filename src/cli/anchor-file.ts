import { open, type FileHandle } from 'node:fs/promises';

/** One line of an anchor file, as `timeline-logger seal --anchor-file` appends it. */
export interface AnchorRecord {
  /** The chain's newest link, `<seal id>:<mac hex>`. */
  readonly anchor: string;
  /** Every log with an id up to this one is sealed. */
  readonly throughId: string | null;
  /** Logs the run sealed. */
  readonly sealed: number;
  /** When the run sealed, ISO 8601. */
  readonly at: string;
}

/** An anchor file opened for appending; close it once (also on failure). */
export interface AnchorFileWriter {
  /** The file's path, as opened. */
  readonly file: string;
  /** Appends `record` as one JSON line. */
  append(record: AnchorRecord): Promise<void>;
  close(): Promise<void>;
}

/** Bytes read from the end of an anchor file at a time while looking for its last line. */
const TAIL_CHUNK = 64 * 1024;

/**
 * Opens `file` for appending (flag `a`: what is there is never truncated or overwritten),
 * creating it with mode 0600 when it is missing, so a folder in the way or a file that is not
 * writable is found before anything is sealed.
 *
 * @throws the file system's error (`EISDIR`, `EACCES`, `ENOENT` for a missing folder...).
 * @example
 * ```ts
 * const writer = await openAnchorFile('/var/lib/timeline/anchors.ndjson');
 * try { await writer.append({ anchor: '3:9f86...', throughId: '5120', sealed: 120, at: new Date().toISOString() }); }
 * finally { await writer.close(); }
 * ```
 */
export async function openAnchorFile(file: string): Promise<AnchorFileWriter> {
  const handle = await open(file, 'a', 0o600);
  return {
    file,
    append: async (record) => {
      await handle.appendFile(`${JSON.stringify(record)}\n`, 'utf8');
      await handle.sync();
    },
    close: () => handle.close(),
  };
}

/**
 * The anchor on the last non-empty line of an anchor file: the `anchor` of a JSON line as
 * {@link openAnchorFile} appends them, or the line itself (a bare `<id>:<mac>` pasted by hand).
 * Reads the file from its end, so a file of years of anchors costs no more than a short one.
 * The anchor is returned as found (a line that is neither comes back whole); the caller validates it.
 *
 * @returns the anchor text, or null when the file holds only blank lines (or nothing).
 * @throws the file system's error when the file cannot be read.
 * @example
 * ```ts
 * await lastAnchorIn('anchors.ndjson'); // '3:9f86d081...'
 * ```
 */
export async function lastAnchorIn(file: string): Promise<string | null> {
  const handle = await open(file, 'r');
  try {
    const line = await lastNonEmptyLine(handle);
    return line === null ? null : anchorOf(line);
  } finally {
    await handle.close();
  }
}

/** A JSON line's `anchor`; any other line (a bare anchor, or something malformed) as it is. */
function anchorOf(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const parsed: unknown = JSON.parse(line);
    const anchor = typeof parsed === 'object' && parsed !== null ? (parsed as { anchor?: unknown }).anchor : undefined;
    return typeof anchor === 'string' ? anchor : line;
  } catch {
    return line;
  }
}

/** The last line with something other than white space, trimmed; reads backwards a chunk at a time. */
async function lastNonEmptyLine(handle: FileHandle): Promise<string | null> {
  const { size } = await handle.stat();
  let tail = Buffer.alloc(0);
  for (let end = size; end > 0;) {
    const start = Math.max(0, end - TAIL_CHUNK);
    const chunk = Buffer.alloc(end - start);
    await handle.read(chunk, 0, chunk.length, start);
    tail = Buffer.concat([chunk, tail]);
    end = start;
    const lines = tail.toString('utf8').split(/\r?\n/);
    // The first piece may be the end of a longer line: only trust it once the whole file is read.
    const complete = end === 0 ? lines : lines.slice(1);
    for (let index = complete.length - 1; index >= 0; index -= 1) {
      const line = (complete[index] as string).trim();
      if (line !== '') return line;
    }
  }
  return null;
}
