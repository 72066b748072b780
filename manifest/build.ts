/**
 * Builds the Teams app package: `npm run package` -> manifest/build/appPackage.<env>.zip.
 *
 * 1. Reads env/.env.<env> then env/.env.<env>.user; the process environment wins. The environment is
 *    TEAMSFX_ENV, else PASSERELLE_ENV, else "local" (or `--env <name>`).
 * 2. Replaces every `${{VAR}}` of manifest.template.json and of the localization files; in local mode
 *    missing values get the defaults below. Any placeholder left unresolved stops the build, listed.
 * 3. Validates the manifest against Microsoft's schema of its own manifestVersion (shipped offline by
 *    @microsoft/app-manifest), then a few Teams rules the schema does not carry; validates the
 *    localization files against their schema; checks the icon sizes and that the outline icon is
 *    white on transparent.
 * 4. Zips manifest.json, the icons and the localization files with yazl.
 *
 * Teams Toolkit does the same from teamsapp.yml (teamsApp/validateManifest + zipAppPackage); this
 * script is the offline equivalent used by developers and by the tests.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parseEnvFile } from '../bot/config.js';
import { writeZip } from '../bot/dev/zip.js';

export const MANIFEST_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT_DIR = resolve(MANIFEST_DIR, '..');
export const TEMPLATE_PATH = resolve(MANIFEST_DIR, 'manifest.template.json');
const SCHEMA_ROOT = resolve(ROOT_DIR, 'node_modules/@microsoft/app-manifest/build/json-schemas/teams');

export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

/**
 * Local mode (npm start + Agents Playground, or a sideload through a tunnel): fixed ids so the
 * package builds without provisioning anything. Teams itself never sees these unless you sideload.
 * TAB_ENDPOINT is https although the local server listens on http://127.0.0.1:3978: the JSON schema
 * would accept http, but Teams loads tab and configuration pages only over https, so validateManifest
 * below refuses http (a package with http tab URLs would install and then show blank tabs). To
 * sideload into real Teams, run a tunnel and set TAB_ENDPOINT / TAB_DOMAIN / BOT_DOMAIN to it
 * (env/.env.local.user or the shell).
 */
export const LOCAL_DEFAULTS: Readonly<Record<string, string>> = {
  TEAMS_APP_ID: '6a0f3c52-8d1e-4b7a-9c25-3e4f5a6b7c01',
  BOT_ID: '6a0f3c52-8d1e-4b7a-9c25-3e4f5a6b7c02',
  AAD_APP_CLIENT_ID: '6a0f3c52-8d1e-4b7a-9c25-3e4f5a6b7c03',
  APP_NAME_SUFFIX: ' (local)',
  TAB_ENDPOINT: 'https://localhost:3978',
  TAB_DOMAIN: 'localhost:3978',
  BOT_DOMAIN: 'localhost:3978',
};

/** Variables that may legitimately be empty (production has no name suffix). */
const MAY_BE_EMPTY = new Set(['APP_NAME_SUFFIX']);

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Every problem of a build, in French, for the person running it. */
export class PackageError extends Error {
  constructor(readonly problems: string[], title = 'Paquet Teams invalide') {
    super(`${title} :\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'PackageError';
  }
}

export class UnresolvedPlaceholderError extends PackageError {
  constructor(readonly names: string[], source: string) {
    super(
      names.map((name) => `\${{${name}}}`),
      `Variables sans valeur dans ${source} (définissez-les dans env/.env.<env>, env/.env.<env>.user ou l'environnement)`,
    );
    this.name = 'UnresolvedPlaceholderError';
  }
}

export function findPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]!))].sort();
}

/**
 * Replaces the `${{VAR}}` placeholders of a JSON template (text or already parsed) and parses the
 * result. Values are inserted JSON-escaped, so a quote in a value cannot break the document.
 * Throws UnresolvedPlaceholderError listing every variable without a value.
 * Duplicate validDomains (tab and bot share one host) are removed.
 */
export function expandManifest(template: string | object, values: Readonly<Record<string, string | undefined>>, source = 'manifest'): Record<string, unknown> {
  const text = typeof template === 'string' ? template : JSON.stringify(template);
  const unresolved = findPlaceholders(text).filter((name) => {
    const value = values[name];
    return value === undefined || (value === '' && !MAY_BE_EMPTY.has(name));
  });
  if (unresolved.length > 0) throw new UnresolvedPlaceholderError(unresolved, source);
  const expanded = text.replace(PLACEHOLDER, (_match, name: string) => JSON.stringify(values[name] ?? '').slice(1, -1));
  let parsed: unknown;
  try {
    parsed = JSON.parse(expanded);
  } catch (error) {
    throw new PackageError([`${source} n'est pas du JSON valide après substitution : ${(error as Error).message}`]);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new PackageError([`${source} doit être un objet JSON`]);
  const manifest = parsed as Record<string, unknown>;
  if (Array.isArray(manifest.validDomains)) manifest.validDomains = [...new Set(manifest.validDomains)];
  return manifest;
}

// ---------------------------------------------------------------------------------------------
// Schema validation

const validators = new Map<string, ValidateFunction>();

function schemaValidator(schemaPath: string): ValidateFunction {
  let validate = validators.get(schemaPath);
  if (!validate) {
    // The Teams schemas declare draft-04: ajv-draft-04 is the draft-04 build of ajv 8, which is
    // also what Teams Toolkit (@microsoft/app-manifest) validates with, with the same formats.
    // unicodeRegExp off: some patterns of the localization schema (`\b]`) are invalid with the u flag.
    const ajv = new Ajv04.default({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats.default(ajv, ['uri', 'email', 'regex']);
    validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
    validators.set(schemaPath, validate);
  }
  return validate;
}

export function schemaPathFor(manifestVersion: string, file = 'MicrosoftTeams.schema.json'): string {
  return resolve(SCHEMA_ROOT, manifestVersion === 'devPreview' ? 'vDevPreview' : `v${manifestVersion}`, file);
}

/** ajv speaks English; the person running the build reads French. */
function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath || '(racine)';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': return `${where} : propriété obligatoire manquante « ${String(params.missingProperty)} »`;
    case 'maxLength': return `${where} : ${String(params.limit)} caractères au plus`;
    case 'minLength': return `${where} : ${String(params.limit)} caractère(s) au moins`;
    case 'maxItems': return `${where} : ${String(params.limit)} éléments au plus`;
    case 'minItems': return `${where} : ${String(params.limit)} élément(s) au moins`;
    case 'pattern': return `${where} : format invalide (attendu : ${String(params.pattern)})`;
    case 'enum': return `${where} : valeur non autorisée (valeurs possibles : ${(params.allowedValues as unknown[]).join(', ')})`;
    case 'const': return `${where} : doit valoir « ${String(params.allowedValue)} »`;
    case 'type': return `${where} : type attendu ${String(params.type)}`;
    case 'additionalProperties': return `${where} : propriété inconnue « ${String(params.additionalProperty)} »`;
    case 'uniqueItems': return `${where} : éléments en double`;
    case 'format': return `${where} : format ${String(params.format)} invalide`;
    default: return `${where} : ${error.message ?? error.keyword}`;
  }
}

function schemaProblems(validate: ValidateFunction, document: unknown): string[] {
  if (validate(document)) return [];
  // anyOf/oneOf failures repeat every branch; keep one line per distinct message.
  return [...new Set((validate.errors ?? []).map(describeSchemaError))];
}

/** Teams limits that the JSON schema does not (or no longer) carry, from the Teams documentation. */
function teamsRuleProblems(manifest: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const bots = Array.isArray(manifest.bots) ? (manifest.bots as Record<string, unknown>[]) : [];
  bots.forEach((bot, b) => {
    const lists = Array.isArray(bot.commandLists) ? (bot.commandLists as Record<string, unknown>[]) : [];
    lists.forEach((list, l) => {
      const commands = Array.isArray(list.commands) ? (list.commands as Record<string, unknown>[]) : [];
      if (commands.length > 10) problems.push(`/bots/${b}/commandLists/${l}/commands : 10 commandes au plus par liste (Teams n'en affiche pas davantage)`);
      commands.forEach((command, c) => {
        const where = `/bots/${b}/commandLists/${l}/commands/${c}`;
        if (typeof command.title === 'string' && [...command.title].length > 32) problems.push(`${where}/title : 32 caractères au plus (« ${command.title.slice(0, 40)}… »)`);
        if (typeof command.description === 'string' && [...command.description].length > 128) problems.push(`${where}/description : 128 caractères au plus`);
      });
    });
  });
  // Teams loads tabs and links only over https, whatever the schema pattern allows.
  const urls: [string, unknown][] = [];
  const developer = (manifest.developer ?? {}) as Record<string, unknown>;
  for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) urls.push([`/developer/${key}`, developer[key]]);
  const tabs = (name: string) => (Array.isArray(manifest[name]) ? (manifest[name] as Record<string, unknown>[]) : []);
  tabs('staticTabs').forEach((tab, i) => ['contentUrl', 'websiteUrl'].forEach((key) => urls.push([`/staticTabs/${i}/${key}`, tab[key]])));
  tabs('configurableTabs').forEach((tab, i) => urls.push([`/configurableTabs/${i}/configurationUrl`, tab.configurationUrl]));
  for (const [where, url] of urls) {
    if (typeof url === 'string' && !/^https:\/\//i.test(url)) problems.push(`${where} : Teams exige une adresse https (${url})`);
  }
  if (Array.isArray(manifest.validDomains)) {
    manifest.validDomains.forEach((domain, i) => {
      if (typeof domain === 'string' && /^[a-z]+:\/\/|\//i.test(domain)) problems.push(`/validDomains/${i} : un domaine seul, sans protocole ni chemin (${domain})`);
    });
  }
  return problems;
}

/**
 * Validates an expanded manifest: the official schema of its manifestVersion, then the Teams rules
 * above. Returns the problems in French; an empty list means valid.
 */
export function validateManifest(manifest: unknown): string[] {
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) return ['le manifeste doit être un objet JSON'];
  const document = manifest as Record<string, unknown>;
  const version = document.manifestVersion;
  if (typeof version !== 'string' || !/^(\d+\.\d+|devPreview)$/.test(version)) {
    return ['/manifestVersion : propriété obligatoire manquante ou invalide (par exemple « 1.30 »)'];
  }
  const schemaPath = schemaPathFor(version);
  if (!existsSync(schemaPath)) return [`/manifestVersion : aucun schéma officiel pour la version ${version} dans @microsoft/app-manifest`];
  return [...schemaProblems(schemaValidator(schemaPath), document), ...teamsRuleProblems(document)];
}

/** Validates a localization file (en-us.json...) against the localization schema of the manifest's version. */
export function validateLocalization(localization: unknown, manifestVersion: string): string[] {
  const schemaPath = schemaPathFor(manifestVersion, 'MicrosoftTeams.Localization.schema.json');
  if (!existsSync(schemaPath)) return [`aucun schéma de localisation pour la version ${manifestVersion}`];
  return schemaProblems(schemaValidator(schemaPath), localization);
}

// ---------------------------------------------------------------------------------------------
// PNG checks (no image library: read IHDR, inflate IDAT, undo the scanline filters)

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which the PNG format requires to come first. */
export function readPngSize(buffer: Buffer): { width: number; height: number } {
  if (buffer.length < 24 || !buffer.subarray(0, 8).equals(PNG_SIGNATURE) || buffer.toString('ascii', 12, 16) !== 'IHDR') {
    throw new Error("ce n'est pas un fichier PNG");
  }
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

/**
 * Decodes non-interlaced PNGs to RGBA: greyscale, RGB, palette (with tRNS), grey+alpha and RGBA,
 * 8-bit samples (and 1/2/4-bit greyscale or palette). Enough for icon checks; 16-bit and
 * interlaced files are refused with a clear message.
 */
export function decodePng(buffer: Buffer): { width: number; height: number; rgba: Uint8Array } {
  const { width, height } = readPngSize(buffer);
  const bitDepth = buffer[24]!;
  const colourType = buffer[25]!;
  const interlace = buffer[28]!;
  const channelsByType: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
  const channels = channelsByType[colourType];
  const depthOk = bitDepth === 8 || ((colourType === 0 || colourType === 3) && [1, 2, 4].includes(bitDepth));
  if (channels === undefined || !depthOk || interlace !== 0) {
    throw new Error(`PNG non pris en charge par la vérification (profondeur ${bitDepth}, type de couleur ${colourType}, entrelacement ${interlace}) : enregistrez-le en RGBA 8 bits`);
  }
  const idat: Buffer[] = [];
  let palette: Buffer = Buffer.alloc(0);
  let transparency: Buffer = Buffer.alloc(0);
  for (let offset = 8; offset + 8 <= buffer.length;) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('ascii', offset + 4, offset + 8);
    const data = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IDAT') idat.push(data);
    else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') transparency = data;
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const bytesPerPixel = Math.max(1, (channels * bitDepth) / 8); // filter unit
  const stride = Math.ceil((width * channels * bitDepth) / 8);
  if (raw.length < (stride + 1) * height) throw new Error('PNG tronqué');
  const bytes = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= bytesPerPixel ? bytes[y * stride + x - bytesPerPixel]! : 0;
      const up = y > 0 ? bytes[(y - 1) * stride + x]! : 0;
      const upLeft = x >= bytesPerPixel && y > 0 ? bytes[(y - 1) * stride + x - bytesPerPixel]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      } else if (filter !== 0) throw new Error(`PNG : filtre ${filter} inconnu`);
      bytes[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  /** Sample `index` (0-based, in channel units) of row y, for any bit depth <= 8. */
  const sample = (y: number, index: number): number => {
    if (bitDepth === 8) return bytes[y * stride + index]!;
    const bit = index * bitDepth;
    const byte = bytes[y * stride + (bit >> 3)]!;
    return (byte >> (8 - bitDepth - (bit & 7))) & ((1 << bitDepth) - 1);
  };
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (c: number) => sample(y, x * channels + c);
      let pixel: [number, number, number, number];
      if (colourType === 3) {
        const index = s(0);
        if (index * 3 + 2 >= palette.length) throw new Error('PNG : index de palette hors limites');
        pixel = [palette[index * 3]!, palette[index * 3 + 1]!, palette[index * 3 + 2]!, index < transparency.length ? transparency[index]! : 255];
      } else if (colourType === 0) {
        const grey = Math.round((s(0) * 255) / ((1 << bitDepth) - 1));
        pixel = [grey, grey, grey, 255];
      } else if (colourType === 4) pixel = [s(0), s(0), s(0), s(1)];
      else if (colourType === 2) pixel = [s(0), s(1), s(2), 255];
      else pixel = [s(0), s(1), s(2), s(3)];
      rgba.set(pixel, (y * width + x) * 4);
    }
  }
  return { width, height, rgba };
}

/** Number of outline pixels that are neither fully transparent nor white (Teams rejects them). */
export function countNonWhiteOpaquePixels(rgba: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i + 3] !== 0 && (rgba[i] !== 255 || rgba[i + 1] !== 255 || rgba[i + 2] !== 255)) count++;
  }
  return count;
}

export function checkIcons(color: Buffer, outline: Buffer): string[] {
  const problems: string[] = [];
  try {
    const { width, height } = readPngSize(color);
    if (width !== COLOR_ICON_SIZE || height !== COLOR_ICON_SIZE) problems.push(`icône couleur : ${width}x${height} au lieu de ${COLOR_ICON_SIZE}x${COLOR_ICON_SIZE}`);
  } catch (error) {
    problems.push(`icône couleur : ${(error as Error).message}`);
  }
  try {
    const { width, height, rgba } = decodePng(outline);
    if (width !== OUTLINE_ICON_SIZE || height !== OUTLINE_ICON_SIZE) problems.push(`icône de contour : ${width}x${height} au lieu de ${OUTLINE_ICON_SIZE}x${OUTLINE_ICON_SIZE}`);
    const wrong = countNonWhiteOpaquePixels(rgba);
    if (wrong > 0) problems.push(`icône de contour : ${wrong} pixel(s) ni blancs ni transparents (Teams n'accepte que du blanc sur fond transparent)`);
  } catch (error) {
    problems.push(`icône de contour : ${(error as Error).message}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Environment and packaging

export function resolveEnvName(argv: readonly string[] = process.argv.slice(2), environment: NodeJS.ProcessEnv = process.env): string {
  const flag = argv.findIndex((arg) => arg === '--env' || arg.startsWith('--env='));
  const fromFlag = flag < 0 ? undefined : argv[flag]!.includes('=') ? argv[flag]!.split('=')[1] : argv[flag + 1];
  const name = fromFlag || environment.TEAMSFX_ENV || environment.PASSERELLE_ENV || 'local';
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new PackageError([`nom d'environnement invalide « ${name} » (lettres minuscules, chiffres et tirets)`]);
  return name;
}

/** env/.env.<env>, then env/.env.<env>.user, then the process environment (wins); local defaults last. */
export function loadEnvValues(envName: string, environment: NodeJS.ProcessEnv = process.env, envDir = resolve(ROOT_DIR, 'env')): Record<string, string> {
  const values: Record<string, string> = {};
  for (const file of [`.env.${envName}`, `.env.${envName}.user`]) {
    const path = resolve(envDir, file);
    if (existsSync(path)) Object.assign(values, parseEnvFile(readFileSync(path, 'utf8')));
  }
  for (const [key, value] of Object.entries(environment)) if (value !== undefined) values[key] = value;
  if (envName === 'local' || envName === 'test') {
    for (const [key, value] of Object.entries(LOCAL_DEFAULTS)) if (!values[key]) values[key] = value;
  }
  return values;
}

interface LocalizationFile { file: string; content: Record<string, unknown> }

function localizationFiles(manifest: Record<string, unknown>, values: Readonly<Record<string, string | undefined>>, manifestDir: string): LocalizationFile[] {
  const info = (manifest.localizationInfo ?? {}) as { defaultLanguageFile?: unknown; additionalLanguages?: { file?: unknown }[] };
  const names = [info.defaultLanguageFile, ...(info.additionalLanguages ?? []).map((language) => language.file)].filter((file): file is string => typeof file === 'string');
  return [...new Set(names)].map((file) => {
    const path = resolve(manifestDir, file);
    if (!path.startsWith(manifestDir + sep) || !existsSync(path)) throw new PackageError([`fichier de langue introuvable : ${file}`]);
    return { file, content: expandManifest(readFileSync(path, 'utf8'), values, file) };
  });
}

function readIcon(manifestDir: string, file: unknown, label: string): Buffer {
  if (typeof file !== 'string') throw new PackageError([`/icons : ${label} manquante`]);
  const path = resolve(manifestDir, file);
  if (!path.startsWith(manifestDir + sep) || !existsSync(path)) throw new PackageError([`${label} introuvable : ${file} (générez-la avec « tsx manifest/icons.ts »)`]);
  return readFileSync(path);
}

export interface BuildOptions {
  envName: string;
  values: Readonly<Record<string, string | undefined>>;
  /** Folder the zip is written to; default manifest/build. */
  outDir?: string;
  templatePath?: string;
}

export interface BuildResult { zipPath: string; manifest: Record<string, unknown>; files: string[] }

/** Expands, validates and zips; throws PackageError listing every problem found. */
export async function buildPackage(options: BuildOptions): Promise<BuildResult> {
  const templatePath = options.templatePath ?? TEMPLATE_PATH;
  const manifestDir = dirname(templatePath);
  const manifest = expandManifest(readFileSync(templatePath, 'utf8'), options.values, relative(ROOT_DIR, templatePath));
  const languages = localizationFiles(manifest, options.values, manifestDir);
  const icons = (manifest.icons ?? {}) as Record<string, unknown>;
  const color = readIcon(manifestDir, icons.color, 'icône couleur');
  const outline = readIcon(manifestDir, icons.outline, 'icône de contour');

  const problems = [
    ...validateManifest(manifest),
    ...languages.flatMap(({ file, content }) => validateLocalization(content, String(manifest.manifestVersion)).map((problem) => `${file} ${problem}`)),
    ...checkIcons(color, outline),
  ];
  if (problems.length > 0) throw new PackageError(problems);

  const entries: [string, Buffer][] = [
    ['manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)],
    [String(icons.color), color],
    [String(icons.outline), outline],
    ...languages.map(({ file, content }): [string, Buffer] => [file, Buffer.from(`${JSON.stringify(content, null, 2)}\n`)]),
  ];
  const outDir = options.outDir ?? resolve(MANIFEST_DIR, 'build');
  mkdirSync(outDir, { recursive: true });
  const zipPath = resolve(outDir, `appPackage.${options.envName}.zip`);
  await writeZip(zipPath, entries);
  return { zipPath, manifest, files: entries.map(([name]) => name) };
}

async function main(): Promise<void> {
  const envName = resolveEnvName();
  const { zipPath, files } = await buildPackage({ envName, values: loadEnvValues(envName) });
  console.log(`Paquet Teams (${envName}) : ${relative(process.cwd(), zipPath)} [${files.join(', ')}]`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof PackageError ? error.message : `Échec de la construction du paquet Teams : ${(error as Error).message ?? String(error)}`);
    process.exitCode = 1;
  });
}
