import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** Where a confirmation is asked and answered. */
export interface ConfirmIo {
  /** Where the answer is read; only a terminal (`isTTY`) is asked. */
  readonly stdin: Readable & { readonly isTTY?: boolean };
  readonly stdout: Writable;
}

/** What to say: the warning before the question, and what to say when there is no terminal to ask on. */
export interface ConfirmPrompt {
  /** One or more lines saying what is about to happen. */
  readonly warning: string;
  /** Said instead of asking when stdin is not a terminal (it should name `--no-input`). */
  readonly noTerminal: string;
}

/** The only answer that confirms (surrounding spaces ignored): exactly `yes`, as upstream's commands. */
export const CONFIRMATION = 'yes';

/**
 * Asks a person at a terminal to confirm: prints the warning, "Are you sure...", and reads one
 * line; only {@link CONFIRMATION} confirms. A pipe could answer for nobody (`echo yes | ...`), so
 * stdin that is not a terminal is not asked: the `noTerminal` message is printed and the answer
 * is no. A stdin that ends before a line counts as no.
 *
 * @example
 * ```ts
 * if (!(await confirmAtTerminal(io, { warning: t('All logs will be deleted.'), noTerminal: t('Pass --no-input.') }, t))) return EXIT.failure;
 * ```
 */
export async function confirmAtTerminal(
  io: ConfirmIo,
  prompt: ConfirmPrompt,
  t: (msgid: string, params?: Readonly<Record<string, string | number>>) => string,
): Promise<boolean> {
  if (io.stdin.isTTY !== true) {
    io.stdout.write(`${prompt.noTerminal}\n`);
    return false;
  }
  io.stdout.write(
    `${prompt.warning}\n` + `${t('Are you sure you want to do this?')}\n\n` + `${t("Type 'yes' to continue, or 'no' to cancel:")} `,
  );
  const answer = await readLine(io.stdin);
  if (answer === null) io.stdout.write('\n');
  return answer !== null && answer.trim() === CONFIRMATION;
}

/** The next line of `input`, or null when it ends first. */
async function readLine(input: Readable): Promise<string | null> {
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of lines) return line;
    return null;
  } finally {
    lines.close();
  }
}
