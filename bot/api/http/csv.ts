/** A CSV cell for Excel: quoted when needed, and never read as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[;"\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One line of an export: cells separated by « ; », as Excel expects in France. */
export function csvLine(cells: string[]): string {
  return cells.map(csvCell).join(';');
}
