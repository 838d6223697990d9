import { randomBytes } from 'node:crypto';
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

/** Which value a token stands for. */
type TokenName = keyof SentenceValues;

/** A rendered message cut at the tokens: text, or the value a token stood for. */
type Piece = string | { readonly token: TokenName };

/**
 * Stand-ins for the timestamp, user and object in one render: characters HTML escaping leaves
 * as they are, around a random nonce, so no stored label or context can contain one.
 */
export class SentenceTokens implements SentenceValues {
  readonly timestamp: string;
  readonly user: string;
  readonly object: string;
  readonly #pattern: RegExp;

  constructor(nonce: string = randomBytes(12).toString('hex')) {
    this.timestamp = `\uE000${nonce}t\uE001`;
    this.user = `\uE000${nonce}u\uE001`;
    this.object = `\uE000${nonce}o\uE001`;
    this.#pattern = new RegExp(`\uE000${nonce}([tuo])\uE001`, 'g');
  }

  /** `text` cut at the tokens, in order. */
  split(text: string): Piece[] {
    const pieces: Piece[] = [];
    let last = 0;
    for (const match of text.matchAll(this.#pattern)) {
      if (match.index > last) pieces.push(text.slice(last, match.index));
      pieces.push({ token: match[1] === 't' ? 'timestamp' : match[1] === 'u' ? 'user' : 'object' });
      last = match.index + match[0].length;
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
  const pieces = tokens.split(tokenized);
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
  const mentions = (token: TokenName): boolean => pieces.some((piece) => typeof piece === 'object' && piece.token === token);
  return { parts, mentionsUser: mentions('user'), mentionsObject: mentions('object') };
}

function appendText(parts: SentencePart[], html: string): void {
  if (html === '') return;
  const last = parts.at(-1);
  if (last?.kind === 'text') parts[parts.length - 1] = { kind: 'text', html: last.html + html };
  else parts.push({ kind: 'text', html });
}

/** No user or object token inside a tag (`<span title="...">`) or inside a link of the template's own. */
function linksFit(pieces: readonly Piece[]): boolean {
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
