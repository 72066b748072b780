import { validateClientFile, type ClientFileInput, type ValidClientFile } from './clientFile.js';
import { validateContact, type ContactInput, type ValidContact } from './contact.js';
import type { FieldError } from './errors.js';

/**
 * The client-file CSV a firm exports from its accounting software: one line per contact (or per
 * file without contact), `;` (or `,`) separated, UTF-8 or Windows-1252, French dates.
 * Columns (header names, case and accents ignored): code, raison_sociale, forme_juridique, siret,
 * code_ape, regime, date_entree (jj/mm/aaaa), contact_nom, contact_prenom, contact_mobile,
 * contact_fixe, contact_email, contact_role, contact_principal (oui/non), limite, and optionally
 * ancien_acces_coproduction (oui/non): the contact keeps an old paid Co-production access (seed 000),
 * flagged and listed, never replaced by their e-mail.
 */
export const importColumns = [
  'code', 'raison_sociale', 'forme_juridique', 'siret', 'code_ape', 'regime', 'date_entree',
  'contact_nom', 'contact_prenom', 'contact_mobile', 'contact_fixe', 'contact_email', 'contact_role', 'contact_principal', 'limite',
  'ancien_acces_coproduction',
] as const;
export type ImportColumn = (typeof importColumns)[number];

export interface ImportRow {
  line: number;
  /** The code column as written, kept for the report of a line refused before its file could be read. */
  code?: string;
  file?: ValidClientFile & { joinedOn?: Date };
  /** `legacyCoproductionLicence` only when the line says so: « non » or nothing leaves a flag set from the card as it is. */
  contact?: ValidContact & { primary: boolean; scope: string; legacyCoproductionLicence?: true };
  /** Column → problem, as codes the edges word in the user's language. */
  errors: { column: ImportColumn | 'ligne'; error: FieldError | ImportLineError }[];
}

/** What only an import can get wrong on a line (the fields' own rules are FieldErrors). */
export type ImportLineError =
  | { code: 'import.companyNameConflict'; params: { code: string; known: string } }
  | { code: 'import.dateFormat'; params?: undefined }
  | { code: 'import.otherService'; params?: undefined };

/** Bytes → text: UTF-8 when the bytes are valid UTF-8, otherwise Windows-1252 (what Excel writes in France). */
export function decodeCsv(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}

/** RFC 4180 fields with the separator found in the header line. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const separator = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === separator) {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      row.push(field);
      if (row.some((cell) => cell.trim() !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  row.push(field);
  if (row.some((cell) => cell.trim() !== '')) rows.push(row);
  return rows;
}

/** Other names firms' exports use for the same columns. */
const columnAliases: Record<string, ImportColumn> = {
  limite_a: 'limite',
  date_d_entree: 'date_entree',
  contact_e_mail: 'contact_email',
  contact_telephone_mobile: 'contact_mobile',
  contact_role_organisationnel: 'contact_role',
  regime_fiscal: 'regime',
  licence_coproduction: 'ancien_acces_coproduction',
  ancien_acces_co_production: 'ancien_acces_coproduction',
  ancienne_coproduction: 'ancien_acces_coproduction',
};

const columnKey = (name: string) => {
  const key = name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/[\s'’-]+/g, '_');
  return columnAliases[key] ?? key;
};

/** jj/mm/aaaa (or aaaa-mm-jj) → a date, or null when it is not a real day. */
export function parseFrenchDate(text: string): Date | null {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [day, month, year] = text.includes('/') ? [match[1], match[2], match[3]] : [match[3], match[2], match[1]];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCDate() === Number(day) && date.getUTCMonth() === Number(month) - 1 ? date : null;
}

const fileColumns: Record<keyof ClientFileInput, ImportColumn> = { code: 'code', companyName: 'raison_sociale', legalForm: 'forme_juridique', siret: 'siret', apeCode: 'code_ape', taxRegime: 'regime' };
const contactColumns: Record<keyof ContactInput, ImportColumn | null> = {
  lastName: 'contact_nom', firstName: 'contact_prenom', mobile: 'contact_mobile', landline: 'contact_fixe', email: 'contact_email', orgRole: 'contact_role',
  address1: null, address2: null, address3: null, city: null,
};

/**
 * Reads and checks every line with the same rules as the bot's forms; nothing is written here.
 * `lines` always counts the whole file; past `maxLines` no line is checked (the file is refused whole).
 */
export function readImport(bytes: Uint8Array, orgRoles: readonly string[], maxLines = Number.POSITIVE_INFINITY): { rows: ImportRow[]; missingColumns: ImportColumn[]; lines: number } {
  const [header, ...lines] = parseCsv(decodeCsv(bytes));
  const positions = new Map<string, number>((header ?? []).map((name, index) => [columnKey(name), index]));
  const missingColumns = (['code', 'raison_sociale'] as ImportColumn[]).filter((column) => !positions.has(column));
  if (missingColumns.length || lines.length > maxLines) return { rows: [], missingColumns, lines: lines.length };
  const seenFiles = new Map<string, string>();
  const rows = lines.map((cells, index): ImportRow => {
    const value = (column: ImportColumn) => {
      const position = positions.get(column);
      return position === undefined ? undefined : cells[position]?.trim() || undefined;
    };
    const row: ImportRow = { line: index + 2, code: value('code'), errors: [] };
    const fileCheck = validateClientFile(Object.fromEntries(Object.entries(fileColumns).map(([field, column]) => [field, value(column)])) as ClientFileInput);
    if (fileCheck.ok) {
      const known = seenFiles.get(fileCheck.value.code);
      if (known && known !== fileCheck.value.companyName) {
        row.errors.push({ column: 'raison_sociale', error: { code: 'import.companyNameConflict', params: { code: fileCheck.value.code, known } } });
      }
      seenFiles.set(fileCheck.value.code, fileCheck.value.companyName);
      row.file = fileCheck.value;
    } else {
      for (const [field, error] of Object.entries(fileCheck.errors)) row.errors.push({ column: fileColumns[field as keyof ClientFileInput], error: error! });
    }
    const joined = value('date_entree');
    if (joined) {
      const date = parseFrenchDate(joined);
      if (!date) row.errors.push({ column: 'date_entree', error: { code: 'import.dateFormat' } });
      else if (row.file) row.file = { ...row.file, joinedOn: date };
    }
    const hasContact = (['contact_nom', 'contact_email', 'contact_mobile'] as ImportColumn[]).some((column) => value(column));
    if (hasContact) {
      const contactCheck = validateContact(
        Object.fromEntries(Object.entries(contactColumns).flatMap(([field, column]) => (column ? [[field, value(column)]] : []))) as ContactInput,
        orgRoles,
      );
      if (contactCheck.ok) {
        const legacy = /^(oui|o|yes|y|1|x|vrai|true)$/i.test(value('ancien_acces_coproduction') ?? '');
        row.contact = {
          ...contactCheck.value,
          primary: /^(oui|o|yes|y|1|x|vrai|true)$/i.test(value('contact_principal') ?? ''),
          scope: value('limite') ?? '-',
          ...(legacy ? { legacyCoproductionLicence: true as const } : {}),
        };
      } else {
        for (const [field, error] of Object.entries(contactCheck.errors)) row.errors.push({ column: contactColumns[field as keyof ContactInput] ?? 'ligne', error: error! });
      }
    }
    return row;
  });
  return { rows, missingColumns, lines: lines.length };
}
