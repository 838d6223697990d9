import ejs from 'ejs';
import { describe, expect, it } from 'vitest';
import { messageSentence, SentenceTokens, type SentenceValues } from '../../src/render/message-sentence.js';

const VALUES: SentenceValues = { timestamp: 'July 1, 2016, 9:08 a.m.', user: 'ann', object: 'Hello <b>' };

/** Renders an EJS template as the page does (`escape: 'html'`), once with the values and once with the tokens. */
function cut(template: string, values: SentenceValues = VALUES, extra: Record<string, unknown> = {}, tokens = new SentenceTokens()) {
  const render = ejs.compile(template);
  const message = render({ ...values, ...extra });
  const tokenized = render({ ...extra, timestamp: tokens.timestamp, user: tokens.user, object: tokens.object });
  return messageSentence(message, tokenized, tokens, values);
}

describe('messageSentence', () => {
  it('drops the leading timestamp and marks the user and the object, keeping the rest escaped', () => {
    expect(cut('<%= timestamp %> - <%= user %> created <%= object %>\n')).toEqual({
      parts: [
        { kind: 'user', html: 'ann' },
        { kind: 'text', html: ' created ' },
        { kind: 'object', html: 'Hello &lt;b&gt;' },
      ],
      mentionsUser: true,
      mentionsObject: true,
    });
  });

  it('keeps a timestamp that is not the leading one, as text', () => {
    const sentence = cut('<%= user %> saw <%= object %> at <%= timestamp %>');
    expect(sentence?.parts).toEqual([
      { kind: 'user', html: 'ann' },
      { kind: 'text', html: ' saw ' },
      { kind: 'object', html: 'Hello &lt;b&gt;' },
      { kind: 'text', html: ' at July 1, 2016, 9:08 a.m.' },
    ]);
  });

  it('says which facts the message leaves out, so the page shows them beside it', () => {
    expect(cut('<%= timestamp %> - Stock counted: <%= count %>', VALUES, { count: 12 })).toEqual({
      parts: [{ kind: 'text', html: 'Stock counted: 12' }],
      mentionsUser: false,
      mentionsObject: false,
    });
    expect(cut('<%= user %> and <%= user %> on <%= object %>')?.parts.filter((part) => part.kind === 'user')).toHaveLength(2);
  });

  it.each([
    ['changes a value', '<%= timestamp %> - <%= user.toUpperCase() %> created <%= object %>'],
    ['compares a value', "<%= timestamp %> - <%= user === 'ann' ? 'Ann herself' : user %> created <%= object %>"],
    ['writes a value raw', '<%= timestamp %> - <%= user %> created <%- object %>'],
    ['puts a value inside a tag', '<%= timestamp %> - <span title="<%= user %>">someone</span> created <%= object %>'],
    ['links a value itself', '<%= timestamp %> - <a href="/u">by <%= user %></a> created <%= object %>'],
  ])('gives null (the page shows the whole message) when the template %s', (_case, template) => {
    expect(cut(template)).toBeNull();
  });

  it('links values next to markup of the template that is closed', () => {
    expect(cut('<%= timestamp %> - <b>new</b> <a href="/x">post</a> by <%= user %>')?.parts).toEqual([
      { kind: 'text', html: '<b>new</b> <a href="/x">post</a> by ' },
      { kind: 'user', html: 'ann' },
    ]);
  });

  it('cannot be forged by stored content: a token in a label or in extra data is text, and a matching one is refused', () => {
    const tokens = new SentenceTokens('0123456789abcdef01234567');
    const forged = `${tokens.user}<script>alert(1)</script>`;
    const sentence = cut('<%= timestamp %> - <%= user %> created <%= object %>', { ...VALUES, object: forged }, {}, tokens);
    expect(sentence?.parts.at(-1)).toEqual({ kind: 'object', html: `${tokens.user}&lt;script&gt;alert(1)&lt;/script&gt;` });
    expect(sentence?.parts.filter((part) => part.kind === 'user')).toHaveLength(1);
    // Context the template prints that holds this render's exact token: the two renders disagree, so no sentence.
    expect(cut('<%= timestamp %> - <%= user %> noted <%= note %>', VALUES, { note: tokens.object }, tokens)).toBeNull();
  });

  it('uses a new nonce for every set of tokens, of characters HTML escaping leaves alone', () => {
    const [one, two] = [new SentenceTokens(), new SentenceTokens()];
    expect(one.user).not.toBe(two.user);
    for (const token of [one.timestamp, one.user, one.object]) expect(ejs.escapeXML(token)).toBe(token);
  });
});
