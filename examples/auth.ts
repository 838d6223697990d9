import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { User } from './models.js';

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
  }
}

const COOKIE = 'demo_session';

/** A tiny signed-cookie sign-in for the demo (a real app would use its own auth, e.g. passport). */
export class DemoAuth {
  readonly #secret: Buffer;
  readonly #users: typeof User;

  constructor(users: typeof User, secret: string | undefined) {
    this.#users = users;
    this.#secret = secret ? Buffer.from(secret) : randomBytes(32);
  }

  /** Express middleware setting `req.user` from the session cookie. */
  readonly loadUser = async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const id = this.#verify(readCookie(req.get('cookie'), COOKIE));
    if (id !== null) req.user = (await this.#users.findByPk(id)) ?? undefined;
    next();
  };

  /** The user with these credentials, or null. */
  async authenticate(username: string, password: string): Promise<User | null> {
    const user = await this.#users.findOne({ where: { username, isActive: true } });
    return user && verifyPassword(password, user.passwordHash) ? user : null;
  }

  /** Starts a session for `user`. */
  signIn(res: Response, user: User): void {
    const value = `${user.id}.${this.#sign(String(user.id))}`;
    res.cookie(COOKIE, value, { httpOnly: true, sameSite: 'lax', path: '/' });
  }

  /** Ends the session. */
  signOut(res: Response): void {
    res.clearCookie(COOKIE, { path: '/' });
  }

  #sign(value: string): string {
    return createHmac('sha256', this.#secret).update(value).digest('base64url');
  }

  #verify(cookie: string | null): number | null {
    const match = cookie?.match(/^(\d+)\.([\w-]+)$/);
    if (!match) return null;
    const [, id, signature] = match as unknown as [string, string, string];
    const expected = Buffer.from(this.#sign(id));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given) ? Number(id) : null;
  }
}

/** `scrypt$<salt>$<hash>`, as the demo seeder writes. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16).toString('hex');
  return `scrypt$${salt}$${scryptSync(password, salt, 32).toString('hex')}`;
}

function verifyPassword(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'hex');
  return timingSafeEqual(scryptSync(password, salt, expected.length), expected);
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}
