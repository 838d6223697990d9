import { ConfigurationError } from './errors.js';

/**
 * The `mail` option of `setupTimeline`: where the digest e-mail (`report-mailing`) finds its
 * recipients and how it signs itself. Every field is optional; defaults are documented per field.
 *
 * @example
 * ```ts
 * setupTimeline(sequelize, {
 *   userModel: User,
 *   mail: { activeField: 'isActive', from: 'timeline@example.com', recipients: ['ops@example.com'] },
 * });
 * ```
 */
export interface MailOptions {
  /** The user model attribute holding the e-mail address. Defaults to `'email'`. */
  emailField?: string;
  /** The boolean user attribute marking staff users (`--staff`). Defaults to `'isStaff'`. */
  staffField?: string;
  /** The boolean user attribute marking superusers (the default recipients are staff superusers). Defaults to `'isSuperuser'`. */
  superuserField?: string;
  /**
   * The boolean user attribute marking active users; users for whom it is false get no digest.
   * Defaults to none (every user counts as active).
   */
  activeField?: string | null;
  /** The addresses `--recipients-from-setting` sends to. Defaults to `[]`. */
  recipients?: readonly string[];
  /** The digest's subject. Defaults to `'Events timeline'` (translated to the digest's locale). */
  subject?: string;
  /** The digest's sender address. Defaults to `'webmaster@localhost'`. */
  from?: string;
  /**
   * Runs `TimelineLog.verify()` for each digest and puts the result in it (a warning and a
   * `[NOT INTACT]` subject when the timeline was tampered with); `report-mailing --verify` turns
   * it on for one run. Defaults to `false`.
   */
  verify?: boolean;
}

/** {@link MailOptions} with every default applied, validated and frozen. */
export interface ResolvedMailOptions {
  readonly emailField: string;
  readonly staffField: string;
  readonly superuserField: string;
  readonly activeField: string | null;
  readonly recipients: readonly string[];
  readonly subject: string;
  readonly from: string;
  readonly verify: boolean;
}

/** The digest's subject when none is configured; translated like any other message. */
export const DEFAULT_DIGEST_SUBJECT = 'Events timeline';

/** The digest's sender when none is configured (Django's `DEFAULT_FROM_EMAIL`). */
export const DEFAULT_DIGEST_FROM = 'webmaster@localhost';

/**
 * Applies defaults to the `mail` option and validates it once, at setup time.
 *
 * @throws ConfigurationError when a field has a value of the wrong kind.
 * @example
 * ```ts
 * resolveMailOptions({ from: 'timeline@example.com' }).subject; // 'Events timeline'
 * ```
 */
export function resolveMailOptions(mail: MailOptions = {}): ResolvedMailOptions {
  if (mail === null || typeof mail !== 'object' || Array.isArray(mail)) {
    throw ConfigurationError.invalidOption('mail', 'an object', mail);
  }
  const activeField = mail.activeField ?? null;
  return Object.freeze({
    emailField: fieldName('mail.emailField', mail.emailField ?? 'email'),
    staffField: fieldName('mail.staffField', mail.staffField ?? 'isStaff'),
    superuserField: fieldName('mail.superuserField', mail.superuserField ?? 'isSuperuser'),
    activeField: activeField === null ? null : fieldName('mail.activeField', activeField),
    recipients: Object.freeze(addressList('mail.recipients', mail.recipients ?? [])),
    subject: text('mail.subject', mail.subject ?? DEFAULT_DIGEST_SUBJECT),
    from: text('mail.from', mail.from ?? DEFAULT_DIGEST_FROM),
    verify: flag('mail.verify', mail.verify ?? false),
  });
}

function fieldName(name: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(value)) {
    throw ConfigurationError.invalidOption(name, 'the name of a user model attribute', value);
  }
  return value;
}

function addressList(name: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((address) => typeof address !== 'string' || address.trim() === '')) {
    throw ConfigurationError.invalidOption(name, 'an array of e-mail addresses', value);
  }
  return value.map((address: string) => address.trim());
}

function flag(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw ConfigurationError.invalidOption(name, 'true or false', value);
  return value;
}

function text(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw ConfigurationError.invalidOption(name, 'a non-empty string', value);
  return value;
}
