import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * Stands in for the Bot Connector service at the process edge: the bot posts its replies here
 * (serviceUrl), and tests read them back. It answers the few calls the bot makes, nothing more.
 */
export interface SentActivity {
  conversationId: string;
  replyToId?: string;
  activity: {
    type: string;
    text?: string;
    attachments?: { contentType: string; content: Record<string, unknown> }[];
  } & Record<string, unknown>;
}

export class FakeConnector {
  readonly sent: SentActivity[] = [];
  /** Activities replaced in place (updateActivity), in order. */
  readonly updated: SentActivity[] = [];
  /** Teams user ids the connector reports as guests (userRole "guest"); everyone else is a member. */
  readonly guests = new Set<string>();
  /** When set, member lookups fail with this HTTP status. */
  memberLookupStatus?: number;
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const body = await readBody(req);
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
      if (req.method === 'POST' && match) {
        const activity = JSON.parse(body || '{}');
        this.sent.push({ conversationId: decodeURIComponent(match[1]!), replyToId: match[2], activity });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${this.sent.length}` }));
        return;
      }
      if (req.method === 'PUT' && match && match[2]) {
        this.updated.push({ conversationId: decodeURIComponent(match[1]!), replyToId: match[2], activity: JSON.parse(body || '{}') });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: match[2] }));
        return;
      }
      const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/?]+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && member) {
        if (this.memberLookupStatus) {
          res.writeHead(this.memberLookupStatus);
          res.end();
          return;
        }
        const userId = decodeURIComponent(member[2]!);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: userId, name: userId, aadObjectId: userId, email: emailOf(userId), userPrincipalName: emailOf(userId), userRole: this.guests.has(userId) ? 'guest' : 'user' }));
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  }

  /** Everything sent since `from`, e.g. `connector.since(mark)`. */
  since(from: number): SentActivity[] {
    return this.sent.slice(from);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The demo firm's address of a Teams user id: "29:staff-paul" -> staff-paul@cabinet-demo.test. */
export function emailOf(userId: string): string {
  return `${userId.replace(/^\d+:/, '')}@cabinet-demo.test`;
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
