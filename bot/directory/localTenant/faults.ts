/**
 * Fault injection of the local tenant. Rates draw from an injectable seeded RNG; the "next N"
 * counters give tests a deterministic sequence (e.g. exactly two 429s, then success).
 */
export interface LocalTenantFaults {
  /** Share of Graph requests answered 429 (0..1). */
  throttleRate?: number;
  /** The next N Graph requests answer 429, whatever the rate. */
  throttleNext?: number;
  /** Retry-After of injected 429s, in seconds (fractions allowed here; Graph sends whole seconds). */
  retryAfterSeconds?: number;
  /** Share of Graph requests answered 503 (0..1). */
  unavailableRate?: number;
  /** The next N Graph requests answer 503. */
  unavailableNext?: number;
  /** Delay before each HTTP request to /v1.0 is processed, in ms. */
  slowMs?: number;
  /** The tenant's guest invite settings forbid invitations: POST /invitations answers 403. */
  invitationsDisabled?: boolean;
  /** Collaboration restrictions: invitations to these domains (and their subdomains) are refused. */
  refusedDomains?: string[];
  /** Regular expression on "METHOD /path" (e.g. "^POST /invitations"): random and "next N" faults only apply to matches. */
  match?: string;
}

/** Validates a fault document from the control API; returns the problems, none when valid. */
export function faultProblems(value: unknown): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return ['faults must be a JSON object'];
  const faults = value as Record<string, unknown>;
  const problems: string[] = [];
  const known = new Set(['throttleRate', 'throttleNext', 'retryAfterSeconds', 'unavailableRate', 'unavailableNext', 'slowMs', 'invitationsDisabled', 'refusedDomains', 'match']);
  for (const key of Object.keys(faults)) if (!known.has(key)) problems.push(`unknown fault "${key}"`);
  for (const key of ['throttleRate', 'unavailableRate']) {
    const rate = faults[key];
    if (rate !== undefined && (typeof rate !== 'number' || rate < 0 || rate > 1)) problems.push(`${key} must be a number from 0 to 1`);
  }
  for (const key of ['throttleNext', 'unavailableNext', 'slowMs']) {
    const count = faults[key];
    if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 0)) problems.push(`${key} must be a whole number >= 0`);
  }
  const retryAfter = faults.retryAfterSeconds;
  if (retryAfter !== undefined && (typeof retryAfter !== 'number' || retryAfter < 0 || retryAfter > 3600)) problems.push('retryAfterSeconds must be a number from 0 to 3600');
  if (faults.invitationsDisabled !== undefined && typeof faults.invitationsDisabled !== 'boolean') problems.push('invitationsDisabled must be a boolean');
  const domains = faults.refusedDomains;
  if (domains !== undefined && (!Array.isArray(domains) || domains.some((domain) => typeof domain !== 'string' || !domain))) {
    problems.push('refusedDomains must be an array of domain names');
  }
  if (faults.match !== undefined) {
    try {
      new RegExp(String(faults.match));
    } catch {
      problems.push('match must be a valid regular expression');
    }
    if (typeof faults.match !== 'string') problems.push('match must be a string');
  }
  return problems;
}

export type InjectedFault = { status: 429; retryAfterSeconds: number } | { status: 503 } | null;

/** Decides the injected fault of one Graph operation, consuming "next N" counters. */
export function drawFault(faults: LocalTenantFaults, operation: string, random: () => number): InjectedFault {
  if (faults.match && !new RegExp(faults.match).test(operation)) return null;
  const retryAfterSeconds = faults.retryAfterSeconds ?? 1;
  if ((faults.throttleNext ?? 0) > 0) {
    faults.throttleNext! -= 1;
    return { status: 429, retryAfterSeconds };
  }
  if ((faults.throttleRate ?? 0) > 0 && random() < faults.throttleRate!) return { status: 429, retryAfterSeconds };
  if ((faults.unavailableNext ?? 0) > 0) {
    faults.unavailableNext! -= 1;
    return { status: 503 };
  }
  if ((faults.unavailableRate ?? 0) > 0 && random() < faults.unavailableRate!) return { status: 503 };
  return null;
}

export function isRefusedDomain(faults: LocalTenantFaults, email: string): boolean {
  const domain = email.split('@').pop()!.toLowerCase();
  return (faults.refusedDomains ?? []).some((refused) => {
    const candidate = refused.toLowerCase().replace(/^@/, '');
    return domain === candidate || domain.endsWith(`.${candidate}`);
  });
}

/** mulberry32: small, seeded, good enough to make fault sequences reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
