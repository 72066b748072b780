import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * A local Bot Connector for the bench: answers what a bot calls (replies, card updates, member lookups)
 * and tells who waits for a reply the moment its last byte arrived. A reply is matched to its turn by
 * the id of the activity it answers (`/v3/conversations/{id}/activities/{replyToId}`).
 */
export class BenchConnector {
  url = '';
  replies = 0;
  private server?: Server;
  private readonly waiting = new Map<string, (reply: ArrivedReply) => void>();

  /** Resolves when the first reply to `activityId` has arrived whole. */
  replyTo(activityId: string): Promise<ArrivedReply> {
    return new Promise((resolve) => this.waiting.set(activityId, resolve));
  }

  forget(activityId: string): void {
    this.waiting.delete(activityId);
  }

  async start(memberEmail: (userId: string) => string): Promise<void> {
    this.server = createServer((req, res) => {
      void readBody(req).then((body) => {
        const arrivedAt = performance.now();
        const activity = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?$/.exec(req.url ?? '');
        if (activity && (req.method === 'POST' || req.method === 'PUT')) {
          this.replies += 1;
          const sent = JSON.parse(body || '{}') as { replyToId?: string; attachments?: { contentType?: string }[] };
          const replyToId = activity[2] ? decodeURIComponent(activity[2]) : sent.replyToId;
          const waiter = replyToId ? this.waiting.get(replyToId) : undefined;
          if (waiter && replyToId) {
            this.waiting.delete(replyToId);
            waiter({ at: arrivedAt, card: Boolean(sent.attachments?.some((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')) });
          }
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ id: `reply-${this.replies}` }));
          return;
        }
        const member = /^\/v3\/conversations\/[^/]+\/members\/([^/?]+)$/.exec(req.url ?? '');
        if (req.method === 'GET' && member) {
          const userId = decodeURIComponent(member[1]!);
          const email = memberEmail(userId);
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ id: userId, name: userId, aadObjectId: userId, email, userPrincipalName: email, userRole: 'user' }));
          return;
        }
        res.writeHead(404);
        res.end();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface ArrivedReply {
  /** performance.now() when its last byte arrived. */
  at: number;
  /** It carries an Adaptive Card (every benched turn answers with one). */
  card: boolean;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
