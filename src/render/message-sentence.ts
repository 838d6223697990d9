import { randomUUID } from 'node:crypto';
import ejs from 'ejs';

/** The values a message template interpolates that a page shows elsewhere too. */
export interface SentenceValues {
  readonly timestamp: string;
  readonly user: string;
  readonly object: string;
}

/**
 * One piece of a {@link MessageSentence}, as escaped HTML: text, or the place where the message
 * names the log's user or object (the page puts its link there; `html` is the escaped label
 * the message used).
 */
export interface SentencePart {
  readonly kind: 'text' | 'user' | 'object';
  readonly html: string;
}

/** A message as a page shows it beside the log's time column: without the leading timestamp, user and object marked. */
export interface MessageSentence {
  readonly parts: readonly SentencePart[];
  /** Whether the message names the user (else the page shows the user beside it). */
  readonly mentionsUser: boolean;
  /** Whether the message names the object (else the page shows the object beside it). */
  readonly mentionsObject: boolean;
}

/** A piece of a render cut at the tokens (see {@link SentenceTokens.split}): text, or the value a token stood for. */
export type SentencePiece = string | { readonly token: keyof SentenceValues };

/** The letter after a token's nonce, and the value it stands for. */
const TOKEN_NAMES: Readonly<Record<string, keyof SentenceValues>> = Object.freeze({ t: 'timestamp', u: 'user', o: 'object' });

/**
 * Stand-ins for the timestamp, user and object in one render: characters HTML escaping leaves
 * as they are, around a random nonce, so no stored label or context can contain one.
 */
export class SentenceTokens implements SentenceValues {
  readonly timestamp: string;
  readonly user: string;
  readonly object: string;
  readonly #opening: string;

  constructor(nonce: string = randomUUID().replaceAll('-', '')) {
    this.#opening = `\uE000${nonce}`;
    this.timestamp = `${this.#opening}t\uE001`;
    this.user = `${this.#opening}u\uE001`;
    this.object = `${this.#opening}o\uE001`;
  }

  /** `text` cut at the tokens, in order. */
  split(text: string): SentencePiece[] {
    const pieces: SentencePiece[] = [];
    const opening = this.#opening;
    let last = 0;
    let at = text.indexOf(opening);
    while (at !== -1) {
      const end = at + opening.length;
      const name = TOKEN_NAMES[text.charAt(end)];
      if (name !== undefined && text.charAt(end + 1) === '\uE001') {
        if (at > last) pieces.push(text.slice(last, at));
        pieces.push({ token: name });
        last = end + 2;
        at = text.indexOf(opening, last);
      } else {
        at = text.indexOf(opening, at + 1);
      }
    }
    if (last < text.length) pieces.push(text.slice(last));
    return pieces;
  }
}

/**
 * The sentence a page shows for an HTML-escaped `message`, given the same template rendered
 * with {@link SentenceTokens} in place of the timestamp, user and object (`tokenized`): the
 * leading `<timestamp> - ` goes (the page has a time column), a timestamp elsewhere stays as
 * text, and the user and object become parts the page links. Trailing white space goes too.
 *
 * Returns null, so the page shows the message as it is, when the two renders disagree once the
 * tokens are put back (the template did more with a value than write it escaped: compared it,
 * changed its case, wrote it raw) or a token sits where a link cannot go (inside a tag or a link
 * of the template's own).
 *
 * @example
 * ```ts
 * const tokens = new SentenceTokens();
 * const { timestamp: t, user: u, object: o } = tokens;
 * const tokenized = renderer.render(template, { ...context, timestamp: t, user: u, object: o }, 'html');
 * messageSentence(message, tokenized, tokens, { timestamp, user, object });
 * // { parts: [{ kind: 'user', html: 'ann' }, { kind: 'text', html: ' created ' }, { kind: 'object', html: 'Hello' }], mentionsUser: true, ... }
 * ```
 */
export function messageSentence(
  message: string,
  tokenized: string,
  tokens: SentenceTokens,
  values: SentenceValues,
): MessageSentence | null {
  return sentenceFromPieces(message, tokens.split(tokenized), values);
}

/**
 * {@link messageSentence} from the tokenized render already cut into pieces (so a render whose
 * pieces are known need not be made again).
 *
 * @example
 * ```ts
 * sentenceFromPieces('ann created Hello', [{ token: 'user' }, ' created ', { token: 'object' }], values);
 * ```
 */
export function sentenceFromPieces(
  message: string,
  tokenizedPieces: readonly SentencePiece[],
  values: SentenceValues,
): MessageSentence | null {
  const pieces = [...tokenizedPieces];
  const escaped: SentenceValues = {
    timestamp: ejs.escapeXML(values.timestamp),
    user: ejs.escapeXML(values.user),
    object: ejs.escapeXML(values.object),
  };
  const restored = pieces.map((piece) => (typeof piece === 'string' ? piece : escaped[piece.token])).join('');
  if (restored !== message || !linksFit(pieces)) return null;
  const [first, second] = pieces;
  if (typeof first === 'object' && first.token === 'timestamp' && typeof second === 'string' && second.startsWith(' - ')) {
    pieces.splice(0, 2, second.slice(3));
  }
  const parts: SentencePart[] = [];
  for (const piece of pieces) {
    if (typeof piece === 'string') appendText(parts, piece);
    else if (piece.token === 'timestamp') appendText(parts, escaped.timestamp);
    else parts.push({ kind: piece.token, html: escaped[piece.token] });
  }
  const last = parts.at(-1);
  if (last?.kind === 'text') {
    const html = last.html.trimEnd();
    if (html === '') parts.pop();
    else parts[parts.length - 1] = { kind: 'text', html };
  }
  const mentions = (token: keyof SentenceValues): boolean => pieces.some((piece) => typeof piece === 'object' && piece.token === token);
  return { parts, mentionsUser: mentions('user'), mentionsObject: mentions('object') };
}

function appendText(parts: SentencePart[], html: string): void {
  if (html === '') return;
  const last = parts.at(-1);
  if (last?.kind === 'text') parts[parts.length - 1] = { kind: 'text', html: last.html + html };
  else parts.push({ kind: 'text', html });
}

/** No user or object token inside a tag (`<span title="...">`) or inside a link of the template's own. */
function linksFit(pieces: readonly SentencePiece[]): boolean {
  let before = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      before += piece;
      continue;
    }
    if (piece.token === 'timestamp') continue;
    if (before.lastIndexOf('<') > before.lastIndexOf('>')) return false;
    if (count(before, /<a[\s>]/gi) > count(before, /<\/a\s*>/gi)) return false;
  }
  return true;
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
