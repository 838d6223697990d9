import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { timelineRouter, type TimelineRouterOptions } from '../../src/index.js';

/** A real HTTP server on an ephemeral loopback port. */
export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts `app` on 127.0.0.1 with a free port. */
export async function listen(app: Express): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const started = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(started)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Serves `timelineRouter(options)` at `/timeline` on a real server for the duration of `run`. */
export async function withTimelineServer<T>(options: TimelineRouterOptions, run: (server: RunningServer) => Promise<T>): Promise<T> {
  const app = express();
  app.use('/timeline', timelineRouter(options));
  const server = await listen(app);
  try {
    return await run(server);
  } finally {
    await server.close();
  }
}
