import type { Request } from 'restify';
import type { Language } from '../../i18n/index.js';
import { problem, type Problem } from './problems.js';

/**
 * Request bodies, read by the route that expects one and only once it knows who is calling: JSON only
 * (a form or a multipart upload is refused unread, so nothing ever reaches the disk), in memory, up to
 * the route's own limit. Requiring `application/json` also means a page of another site cannot send it
 * without a CORS preflight, which Passerelle never answers.
 */
export type BodyResult = { ok: true; body: unknown } | { ok: false; problem: Problem };

export const defaultBodyLimit = 100_000;

const jsonType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** True when the request carries a body at all (a POST without one is read as an empty object). */
function hasBody(req: Request): boolean {
  const length = req.header('content-length');
  return Boolean(req.header('transfer-encoding')) || (length !== undefined && length !== '' && length !== '0');
}

export async function readJsonBody(req: Request, language: Language, maxBytes = defaultBodyLimit): Promise<BodyResult> {
  if (!hasBody(req)) return { ok: true, body: undefined };
  if (!jsonType.test(req.header('content-type') ?? '')) return refuse(req, problem(language, 'request.unsupportedType'));
  const declared = Number(req.header('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return refuse(req, problem(language, 'request.tooLarge'));
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) return refuse(req, problem(language, 'request.tooLarge'));
      chunks.push(chunk);
    }
  } catch {
    return { ok: false, problem: problem(language, 'request.unreadable') };
  }
  try {
    return { ok: true, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, problem: problem(language, 'request.unreadable') };
  }
}

/** A refused body is not read: the rest of it is dropped, and the connection closed after the answer. */
function refuse(req: Request, refusal: Problem): BodyResult {
  req.resume();
  return { ok: false, problem: refusal };
}

/**
 * A request that changes something and that the browser says comes from another site (Sec-Fetch-Site,
 * or an Origin other than this server's host) is refused: the local mode runs without a token, so any
 * page the user opens could otherwise drive it.
 */
export function isCrossSite(req: Request): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return false;
  const fetchSite = req.header('sec-fetch-site');
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') return true;
  const origin = req.header('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host !== req.header('host');
  } catch {
    return true;
  }
}
