import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  LOCAL_DEFAULTS,
  MANIFEST_DIR,
  TEMPLATE_PATH,
  UnresolvedPlaceholderError,
  buildPackage,
  countNonWhiteOpaquePixels,
  decodePng,
  expandManifest,
  findPlaceholders,
  readPngSize,
  validateLocalization,
  validateManifest,
} from '../../manifest/build.js';
import { drawColorIcon, drawOutlineIcon, encodePng } from '../../manifest/icons.js';
import { readZip } from '../helpers/zip.js';

const template = readFileSync(TEMPLATE_PATH, 'utf8');

/** Values a provisioned environment would have: ids from Teams Toolkit, a public https host. */
const deployedValues = {
  TEAMS_APP_ID: '11111111-2222-4333-8444-555555555555',
  BOT_ID: '21111111-2222-4333-8444-555555555555',
  AAD_APP_CLIENT_ID: '31111111-2222-4333-8444-555555555555',
  APP_NAME_SUFFIX: '',
  TAB_ENDPOINT: 'https://passerelle-dev.azurewebsites.net',
  TAB_DOMAIN: 'passerelle-dev.azurewebsites.net',
  BOT_DOMAIN: 'passerelle-dev.azurewebsites.net',
};

type Json = Record<string, any>;

function expanded(values: Record<string, string> = deployedValues): Json {
  return expandManifest(template, values) as Json;
}

describe('Teams app manifest', () => {
  describe('template', () => {
    it('uses only the Teams Toolkit placeholders the environments provide', () => {
      assert.deepEqual(findPlaceholders(template), ['AAD_APP_CLIENT_ID', 'APP_NAME_SUFFIX', 'BOT_DOMAIN', 'BOT_ID', 'TAB_DOMAIN', 'TAB_ENDPOINT', 'TEAMS_APP_ID']);
    });

    it('validates against the official schema of its manifestVersion once expanded (deployed values)', () => {
      const manifest = expanded();
      assert.match(String(manifest.manifestVersion), /^1\.(19|[2-9]\d)$/, 'manifestVersion should be 1.19 or later');
      assert.equal(manifest.$schema, `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`, '$schema must match manifestVersion');
      assert.deepEqual(validateManifest(manifest), []);
    });

    it('validates with the local defaults too', () => {
      assert.deepEqual(validateManifest(expandManifest(template, LOCAL_DEFAULTS)), []);
    });

    it('declares the bot commands in French, within Teams limits, in every scope', () => {
      const [bot] = expanded().bots as Json[];
      assert.deepEqual(bot!.scopes, ['personal', 'team', 'groupChat']);
      const titles = (bot!.commandLists as Json[]).flatMap((list) => (list.commands as Json[]).map((command) => command.title));
      assert.deepEqual(titles, ['aide', 'nouveau dossier', 'nouvel interlocuteur', 'dossier', 'interlocuteur', 'lier', 'inviter', 'proposer', 'demandes', 'mes droits']);
      for (const list of bot!.commandLists as Json[]) assert.deepEqual(list.scopes, ['personal', 'team', 'groupChat']);
    });

    it('points the tabs and SSO at the tab host', () => {
      const manifest = expanded();
      const [configurable] = manifest.configurableTabs as Json[];
      assert.equal(configurable!.configurationUrl, 'https://passerelle-dev.azurewebsites.net/tab/config.html');
      assert.deepEqual(configurable!.scopes, ['team', 'groupChat']);
      const dashboard = (manifest.staticTabs as Json[]).find((tab) => tab.name === 'Tableau de bord');
      assert.equal(dashboard?.contentUrl, 'https://passerelle-dev.azurewebsites.net/tab/index.html');
      assert.deepEqual(manifest.webApplicationInfo, {
        id: deployedValues.AAD_APP_CLIENT_ID,
        resource: `api://passerelle-dev.azurewebsites.net/${deployedValues.AAD_APP_CLIENT_ID}`,
      });
      assert.deepEqual(manifest.validDomains, ['passerelle-dev.azurewebsites.net'], 'tab and bot share one host: listed once');
    });

    it('has an English localization file that validates against the localization schema', () => {
      const manifest = expanded();
      const localization = expandManifest(readFileSync(resolve(MANIFEST_DIR, 'en-us.json'), 'utf8'), deployedValues);
      assert.deepEqual(validateLocalization(localization, String(manifest.manifestVersion)), []);
      assert.equal(localization['name.short'], 'Passerelle');
    });
  });

  describe('placeholders', () => {
    it('reports every unresolved placeholder by name', () => {
      const { BOT_ID: _bot, TAB_DOMAIN: _tab, ...partial } = deployedValues;
      assert.throws(() => expandManifest(template, partial), (error: unknown) => {
        assert.ok(error instanceof UnresolvedPlaceholderError, 'expected UnresolvedPlaceholderError');
        assert.deepEqual(error.names, ['BOT_ID', 'TAB_DOMAIN']);
        assert.match(error.message, /\$\{\{BOT_ID\}\}/);
        return true;
      });
    });

    it('treats an empty value as unresolved, except the optional name suffix', () => {
      assert.throws(() => expandManifest(template, { ...deployedValues, TEAMS_APP_ID: '' }), UnresolvedPlaceholderError);
      assert.equal((expandManifest(template, { ...deployedValues, APP_NAME_SUFFIX: '' }) as Json).name.short, 'Passerelle');
    });

    it('inserts values JSON-escaped', () => {
      const manifest = expandManifest('{"a":"${{X}}"}', { X: 'say "hi" \\ bye' }) as Json;
      assert.equal(manifest.a, 'say "hi" \\ bye');
    });
  });

  describe('validation can fail', () => {
    it('rejects a missing required field', () => {
      const manifest = expanded();
      delete manifest.developer.privacyUrl;
      const problems = validateManifest(manifest);
      assert.ok(problems.some((problem) => problem.includes('/developer') && problem.includes('privacyUrl')), problems.join('\n'));
    });

    it('rejects a command title Teams would truncate (80 characters)', () => {
      const manifest = expanded();
      manifest.bots[0].commandLists[0].commands[0].title = 'x'.repeat(80);
      const problems = validateManifest(manifest);
      assert.ok(problems.some((problem) => problem.startsWith('/bots/0/commandLists/0/commands/0/title')), problems.join('\n'));
    });

    it('rejects what the schema itself forbids: a 200-character title, an unknown property, a bad id', () => {
      const manifest = expanded();
      manifest.bots[0].commandLists[0].commands[1].title = 'y'.repeat(200);
      manifest.unknownField = true;
      manifest.id = 'not-a-guid';
      const problems = validateManifest(manifest);
      assert.ok(problems.some((problem) => problem.includes('/bots/0/commandLists/0/commands/1/title : 128 caractères au plus')), problems.join('\n'));
      assert.ok(problems.some((problem) => problem.includes('unknownField')), problems.join('\n'));
      assert.ok(problems.some((problem) => problem.startsWith('/id')), problems.join('\n'));
    });

    it('rejects http tab URLs and an unknown manifestVersion', () => {
      const http = expanded({ ...deployedValues, TAB_ENDPOINT: 'http://127.0.0.1:3978' });
      assert.ok(validateManifest(http).some((problem) => problem.includes('https')), 'http contentUrl must be refused');
      assert.match(validateManifest({ ...expanded(), manifestVersion: '9.99' }).join('\n'), /aucun schéma officiel/);
    });
  });

  describe('icons', () => {
    const color = readFileSync(resolve(MANIFEST_DIR, 'color.png'));
    const outline = readFileSync(resolve(MANIFEST_DIR, 'outline.png'));

    it('have the sizes Teams requires', () => {
      assert.deepEqual(readPngSize(color), { width: 192, height: 192 });
      assert.deepEqual(readPngSize(outline), { width: 32, height: 32 });
    });

    it('outline icon is only white and transparent pixels, and not empty', () => {
      const { rgba } = decodePng(outline);
      assert.equal(countNonWhiteOpaquePixels(rgba), 0);
      let visible = 0;
      for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! > 0) visible++;
      assert.ok(visible > 100, `outline icon should draw something (${visible} visible pixels)`);
    });

    it('colour icon is opaque, full bleed', () => {
      const { rgba } = decodePng(color);
      for (let i = 3; i < rgba.length; i += 4) assert.equal(rgba[i], 255, `pixel ${(i - 3) / 4} is not opaque`);
    });

    it('committed PNGs are what manifest/icons.ts draws (pixels, not zlib bytes)', () => {
      assert.deepEqual(decodePng(color).rgba, drawColorIcon().rgba, 'color.png is stale: run tsx manifest/icons.ts');
      assert.deepEqual(decodePng(outline).rgba, drawOutlineIcon().rgba, 'outline.png is stale: run tsx manifest/icons.ts');
    });

    it('the checker catches a coloured outline pixel', () => {
      const { width, height, rgba } = drawOutlineIcon();
      rgba.set([47, 85, 151, 255], 0);
      assert.equal(countNonWhiteOpaquePixels(decodePng(encodePng(width, height, rgba)).rgba), 1);
    });
  });

  describe('package', () => {
    let outDir: string;
    before(() => { outDir = mkdtempSync(join(tmpdir(), 'passerelle-package-')); });
    after(() => rmSync(outDir, { recursive: true, force: true }));

    it('zips manifest.json, the two icons and the localization file', async () => {
      const { zipPath } = await buildPackage({ envName: 'test', values: deployedValues, outDir });
      assert.equal(zipPath, join(outDir, 'appPackage.test.zip'));
      const entries = readZip(readFileSync(zipPath));
      assert.deepEqual([...entries.keys()].sort(), ['color.png', 'en-us.json', 'manifest.json', 'outline.png']);
      const manifestText = entries.get('manifest.json')!.toString('utf8');
      assert.deepEqual(findPlaceholders(manifestText), [], 'no placeholder left in the packaged manifest');
      assert.equal(JSON.parse(manifestText).id, deployedValues.TEAMS_APP_ID);
      assert.ok(entries.get('color.png')!.equals(readFileSync(resolve(MANIFEST_DIR, 'color.png'))));
    });

    it('refuses to build with an unresolved placeholder', async () => {
      const { BOT_ID: _bot, ...partial } = deployedValues;
      await assert.rejects(buildPackage({ envName: 'test', values: partial, outDir }), UnresolvedPlaceholderError);
    });
  });
});
