/** `body` followed by the digit that makes the whole number pass the Luhn check (SIREN and SIRET keys). */
function withLuhnKey(body: string): string {
  for (let last = 0; last <= 9; last++) {
    const candidate = body + last;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let digit = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) {
        digit *= 2;
        if (digit > 9) digit -= 9;
      }
      sum += digit;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

/** A valid SIRET (Luhn key) from a number: realistic data for the table. */
export function siretFrom(seed: number): string {
  return withLuhnKey(String(seed).padStart(13, '0').slice(-13));
}

/** The SIRET of a company's head office, as INSEE numbers them: a valid SIREN, establishment 0001x. */
export function headOfficeSiret(seed: number): string {
  const siren = withLuhnKey(String(80_000_000 + ((seed * 7_919) % 19_999_999)).slice(-8));
  return withLuhnKey(`${siren}0001`);
}
