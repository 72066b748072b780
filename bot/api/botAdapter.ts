import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';

/**
 * The Bot Framework adapter, driven with an activity the endpoint has already read and checked (its own
 * `process` wants a parsed body and answers 500 to a token it cannot verify).
 */
export class BotEndpointAdapter extends CloudAdapter {
  processParsedActivity(authorization: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, withDates(activity), logic);
  }
}

/** The verifier's refusals: botframework-connector's own, and jsonwebtoken's errors it lets through. */
const tokenErrorNames = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

export type AuthenticationFailure = 'refused' | 'keysUnavailable';

export function authenticationFailureOf(error: unknown): AuthenticationFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  if (tokenErrorNames.has(error.name)) return 'refused';
  // botframework-connector's AuthenticationError carries the status it means (401, or 500 when the keys cannot be loaded).
  const status = (error as { statusCode?: unknown }).statusCode;
  if (error.constructor.name === 'AuthenticationError' && typeof status === 'number') return status >= 500 ? 'keysUnavailable' : 'refused';
  return undefined;
}

/** As the SDK's own reading of a request does: the JSON's date strings become dates, the raw text kept beside them. */
function withDates(activity: Activity): Activity {
  const record = activity as unknown as Record<string, unknown>;
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    if (typeof record[field] === 'string') {
      record[raw] = record[field];
      record[field] = new Date(record[field] as string);
    }
  }
  return activity;
}
