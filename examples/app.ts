import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { TimelineLog, timelineContext, timelineRouter } from '../src/index.js';
import { DemoAuth } from './auth.js';
import type { DemoModels } from './models.js';

/** The demo's own views folder: its pages and its message templates (`demo/purchase.ejs`). */
export const DEMO_VIEWS_DIR = fileURLToPath(new URL('./views/', import.meta.url));

/** The demo's static files: `demo.css`, the layout of its own pages on top of the timeline's stylesheet. */
export const DEMO_PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/** The demo's pages run under the timeline page's policy: nothing inline, nothing from elsewhere. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const PAYMENT_METHODS = ['iDEAL', 'credit card', 'PayPal', 'bank transfer'] as const;

/** Options of {@link createDemoApp}. */
export interface DemoAppOptions {
  /** Secret signing the session cookie. Defaults to a random one per start. */
  sessionSecret?: string;
}

/**
 * The demo blog and shop: sign in, write posts, buy items, and watch it all on `/timeline`.
 * Expects `setupTimeline(sequelize, { userModel: User, templateDirs: [DEMO_VIEWS_DIR] })` and
 * `trackDemoModels(models)` (examples/tracking.ts) to have run, so that new posts are logged.
 */
export function createDemoApp(models: DemoModels, options: DemoAppOptions = {}): Express {
  const { Post, Item, Invoice, User } = models;
  const auth = new DemoAuth(User, options.sessionSecret);
  const app = express();
  app.disable('x-powered-by');
  app.set('views', path.join(DEMO_VIEWS_DIR, 'pages'));
  app.set('view engine', 'ejs');
  app.use((_req, res, next) => {
    res.set({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin' });
    next();
  });
  app.use('/static', express.static(DEMO_PUBLIC_DIR, { index: false }));
  app.use(express.urlencoded({ extended: false, limit: '20kb' }));
  app.use(auth.loadUser);
  app.use(timelineContext()); // changes tracked by withTimeline are attributed to req.user, and each request's logs share its id
  app.use((req, res, next) => {
    res.locals.currentUser = req.user ?? null;
    next();
  });

  app.get('/', async (_req, res) => {
    const [posts, items, recent] = await Promise.all([
      Post.findAll({ order: [['id', 'DESC']], limit: 10 }),
      Item.findAll({ order: [['name', 'ASC']] }),
      TimelineLog.findAll({
        order: [
          ['timestamp', 'DESC'],
          ['id', 'DESC'],
        ],
        limit: 5,
      }),
    ]);
    const messages = await TimelineLog.renderMessages(recent, { escape: 'html' });
    res.render('home', { posts, items, messages, paymentMethods: PAYMENT_METHODS });
  });

  app.get('/login', (req, res) => {
    res.render('login', { error: null, next: safeNext(req.query.next) });
  });

  app.post('/login', async (req, res) => {
    const user = await auth.authenticate(formField(req, 'username'), formField(req, 'password'));
    if (!user) {
      res.status(401).render('login', { error: 'Unknown user or wrong password.', next: safeNext(formField(req, 'next')) });
      return;
    }
    auth.signIn(res, user);
    res.redirect(303, safeNext(formField(req, 'next')));
  });

  app.post('/logout', (_req, res) => {
    auth.signOut(res);
    res.redirect(303, '/');
  });

  app.post('/posts', requireUser, async (req, res) => {
    const title = formField(req, 'title').trim();
    if (title === '') {
      res.status(400).send('A post needs a title.');
      return;
    }
    await Post.create({ title, body: formField(req, 'body'), authorId: req.user?.id ?? null }); // logged by withTimeline
    res.redirect(303, '/');
  });

  app.post('/items/:id/buy', requireUser, async (req, res) => {
    const item = await Item.findByPk(String(req.params.id));
    const paymentMethod = PAYMENT_METHODS.find((method) => method === formField(req, 'paymentMethod'));
    const quantity = Number(formField(req, 'quantity') || 1);
    if (!item || !paymentMethod || !Number.isInteger(quantity) || quantity < 1 || quantity > 10) {
      res.status(400).send('Choose an item, a payment method and a quantity from 1 to 10.');
      return;
    }
    const total = (Number(item.price) * quantity).toFixed(2);
    // Two entries, the invoice's `created` (withTimeline) and the item's `purchased`, with the request's correlation id.
    await Invoice.create({ itemId: item.id, userId: req.user?.id ?? null, quantity, paymentMethod, total });
    await TimelineLog.logFromRequest(req, item, {
      template: 'demo/purchase.ejs',
      event: 'purchased',
      extraData: { quantity, paymentMethod, total },
    });
    res.redirect(303, '/');
  });

  app.use(
    '/timeline',
    timelineRouter({
      authorize: (req) => req.user !== undefined,
      onForbidden: (req, res) => res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`),
    }),
  );
  app.use(demoErrorHandler);

  return app;
}

/**
 * The last resort for errors no route answered: logged on the server, and the visitor gets a
 * plain 500 (JSON for JSON requests) that never carries a stack trace or a database message.
 */
function demoErrorHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
  console.error(error);
  if (res.headersSent) {
    next(error);
    return;
  }
  const json = req.query.format === 'json' || req.accepts(['html', 'json']) === 'json';
  res.status(500);
  if (json) res.json({ error: { status: 500, message: 'Something went wrong on our side.' } });
  else res.type('text/plain').send('Something went wrong on our side.');
}

function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (req.user) next();
  else res.redirect(303, '/login?next=/');
}

/** Only same-site paths, so the login form cannot redirect elsewhere. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}

/** A text field of a submitted form (express.urlencoded), or '' when it is missing or not text. */
function formField(req: express.Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}
