import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../src/errors.js';
import { resolveMailOptions } from '../src/mail-options.js';
import { resolveOptions } from '../src/options.js';

describe('the mail option', () => {
  it('has documented defaults', () => {
    expect(resolveMailOptions()).toEqual({
      emailField: 'email',
      staffField: 'isStaff',
      superuserField: 'isSuperuser',
      activeField: null,
      recipients: [],
      subject: 'Events timeline',
      from: 'webmaster@localhost',
      verify: false,
    });
  });

  it('is resolved by setupTimeline options, frozen', () => {
    const { mail } = resolveOptions({ mail: { activeField: 'isActive', recipients: [' ops@example.com '] } });
    expect(mail.activeField).toBe('isActive');
    expect(mail.recipients).toEqual(['ops@example.com']);
    expect(Object.isFrozen(mail)).toBe(true);
    expect(Object.isFrozen(mail.recipients)).toBe(true);
  });

  it.each([
    [{ emailField: '' }, /mail\.emailField must be the name of a user model attribute/],
    [{ staffField: 'is staff' }, /mail\.staffField/],
    [{ superuserField: 3 }, /mail\.superuserField/],
    [{ activeField: {} }, /mail\.activeField/],
    [{ recipients: 'ops@example.com' }, /mail\.recipients must be an array of e-mail addresses/],
    [{ recipients: ['ops@example.com', ''] }, /mail\.recipients/],
    [{ subject: ' ' }, /mail\.subject must be a non-empty string/],
    [{ from: 42 }, /mail\.from/],
    [{ verify: 'yes' }, /mail\.verify must be true or false/],
  ])('rejects %o', (mail, message) => {
    expect(() => resolveMailOptions(mail as never)).toThrow(ConfigurationError);
    expect(() => resolveMailOptions(mail as never)).toThrow(message);
  });

  it('rejects a mail option that is not an object', () => {
    expect(() => resolveOptions({ mail: 'yes' as never })).toThrow(/option mail must be an object/);
  });
});
