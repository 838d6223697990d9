import type { Model, WhereOptions } from 'sequelize';
import { ConfigurationError } from '../errors.js';
import type { AnyModelStatic } from '../options.js';
import type { ResolvedMailOptions } from '../mail-options.js';

/**
 * Who receives the digest:
 * - `'superusers'`: active users who are both staff and superuser (upstream's default);
 * - `'staff'`: active staff users (`--staff`);
 * - `'all'`: every active user (`--all`);
 * - `'setting'`: the addresses of the `mail.recipients` option (`--recipients-from-setting`).
 *
 * @example
 * ```ts
 * const mode: DigestRecipients = options.staff ? 'staff' : 'superusers';
 * ```
 */
export type DigestRecipients = 'superusers' | 'staff' | 'all' | 'setting';

/**
 * The recipient modes, the default first.
 *
 * @example
 * ```ts
 * DIGEST_RECIPIENTS.includes('staff'); // true
 * ```
 */
export const DIGEST_RECIPIENTS: readonly DigestRecipients[] = Object.freeze(['superusers', 'staff', 'all', 'setting'] as const);

/**
 * The addresses a digest goes to: trimmed, blank ones skipped, inactive users skipped (when
 * `mail.activeField` is set), each address once (compared case-insensitively), in user key order.
 *
 * @throws ConfigurationError when users are asked for but no `userModel` is set up, or a
 *   configured field is not an attribute of the user model.
 * @example
 * ```ts
 * await findDigestRecipients('staff', User, TimelineLog.runtime.options.mail); // ['ann@example.com']
 * ```
 */
export async function findDigestRecipients(
  mode: DigestRecipients,
  userModel: AnyModelStatic | null,
  mail: ResolvedMailOptions,
): Promise<string[]> {
  if (!DIGEST_RECIPIENTS.includes(mode)) {
    throw new TypeError(`recipients must be one of ${DIGEST_RECIPIENTS.join(', ')} (got ${String(mode)})`);
  }
  if (mode === 'setting') return uniqueAddresses(mail.recipients);
  if (userModel === null) {
    throw new ConfigurationError(
      `the digest's "${mode}" recipients are users, but no userModel is set up: pass setupTimeline(sequelize, { userModel: User }) ` +
        '(on the command line: a --config file whose options name the userModel), ' +
        'or send to the mail.recipients list instead (--recipients-from-setting).',
    );
  }
  const users = await userModel.findAll({
    attributes: [requireAttribute(userModel, 'emailField', mail.emailField)],
    where: userFilter(mode, userModel, mail),
    order: [[userModel.primaryKeyAttribute, 'ASC']],
  });
  return uniqueAddresses(users.map((user: Model) => user.get(mail.emailField)));
}

function userFilter(mode: Exclude<DigestRecipients, 'setting'>, userModel: AnyModelStatic, mail: ResolvedMailOptions): WhereOptions {
  const where: Record<string, boolean> = {};
  if (mail.activeField !== null) where[requireAttribute(userModel, 'activeField', mail.activeField)] = true;
  if (mode === 'staff' || mode === 'superusers') where[requireAttribute(userModel, 'staffField', mail.staffField)] = true;
  if (mode === 'superusers') where[requireAttribute(userModel, 'superuserField', mail.superuserField)] = true;
  return where;
}

function requireAttribute(userModel: AnyModelStatic, option: string, attribute: string): string {
  if (Object.hasOwn(userModel.getAttributes(), attribute)) return attribute;
  throw new ConfigurationError(
    `option mail.${option} names "${attribute}", which is not an attribute of ${userModel.name}: ` +
      `set mail.${option} to one of ${Object.keys(userModel.getAttributes()).join(', ')}.`,
  );
}

function uniqueAddresses(values: readonly unknown[]): string[] {
  const seen = new Set<string>();
  const addresses: string[] = [];
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const address = value.trim();
    const key = address.toLowerCase();
    if (address === '' || seen.has(key)) continue;
    seen.add(key);
    addresses.push(address);
  }
  return addresses;
}
