import type { Db } from 'mongodb';
import type { Server } from 'restify';
import { pingDatabase } from '../store/mongo.js';

/** GET /healthz: 200 when the database answers, 503 otherwise, for load balancers and humans alike. */
export function registerHealthRoute(server: Server, db: Db, version: string): void {
  server.get('/healthz', async (_req, res) => {
    const up = await pingDatabase(db);
    res.send(up ? 200 : 503, { status: up ? 'ok' : 'unavailable', db: up ? 'up' : 'down', version });
  });
}
