import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, describeConfig, loadConfig, parseEnvFile } from '../../bot/config.js';

const emptyEnvDir = mkdtempSync(join(tmpdir(), 'passerelle-env-'));

describe('Configuration', () => {
  it('applies the documented defaults in local mode', () => {
    const config = loadConfig({}, emptyEnvDir);
    assert.equal(config.PASSERELLE_ENV, 'local');
    assert.equal(config.PORT, 3978);
    assert.equal(config.HOST, '127.0.0.1');
    assert.equal(config.DEFAULT_LOCALE, 'fr-FR');
    assert.equal(config.MONGODB_URI, undefined);
  });

  it('lists every problem at once', () => {
    assert.throws(
      () => loadConfig({ PORT: 'abc', MONGODB_URI: 'http://nope', DEFAULT_LOCALE: 'de-DE' }, emptyEnvDir),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 3, error.message);
        assert.match(error.message, /PORT/);
        assert.match(error.message, /MONGODB_URI : doit commencer par mongodb:\/\//);
        assert.match(error.message, /DEFAULT_LOCALE/);
        return true;
      },
    );
  });

  it('requires bot credentials and a database outside local mode', () => {
    assert.throws(() => loadConfig({ PASSERELLE_ENV: 'dev' }, emptyEnvDir), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.problems.map((problem) => problem.split(' ')[0]).sort(), ['AAD_APP_CLIENT_ID', 'AAD_APP_TENANT_ID', 'BOT_ID', 'MONGODB_URI', 'SECRET_AAD_APP_CLIENT_SECRET']);
      return true;
    });
    assert.throws(
      () => loadConfig({ PASSERELLE_ENV: 'dev', MONGODB_URI: 'mongodb://db', BOT_ID: '00000000-0000-0000-0000-000000000001' }, emptyEnvDir),
      /SECRET_BOT_PASSWORD : obligatoire quand BOT_ID est défini[\s\S]*BOT_TENANT_ID/,
    );
  });

  it('reads env/.env.<name> then .user, and the process environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-env-'));
    writeFileSync(join(dir, '.env.local'), '# comment\nPORT=4000\nLOG_LEVEL=debug\nMONGODB_DB="from_file"\n');
    writeFileSync(join(dir, '.env.local.user'), 'LOG_LEVEL=warn\n');
    const config = loadConfig({ MONGODB_DB: 'from_env' }, dir);
    assert.equal(config.PORT, 4000);
    assert.equal(config.LOG_LEVEL, 'warn');
    assert.equal(config.MONGODB_DB, 'from_env');
  });

  it('loads the committed local environment file as it is', () => {
    const config = loadConfig({});
    assert.equal(config.TRUST_CLIENT_LOCALE, false);
    assert.equal(config.PLAYGROUND_PORT, 56150);
  });

  it('parses env files: quotes, comments, export', () => {
    assert.deepEqual(parseEnvFile('A=1\n# x\nexport B = "two words"\nC=3 # trailing\nD=\n'), { A: '1', B: 'two words', C: '3', D: '' });
  });

  it('documents every variable in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.deepEqual(describeConfig().filter((variable) => !readme.includes(`\`${variable.name}\``)).map((variable) => variable.name), []);
  });

  it('documents every variable and marks secrets', () => {
    const variables = describeConfig();
    assert.ok(variables.every((variable) => variable.description.length > 10), 'every variable has a description');
    assert.deepEqual(variables.filter((variable) => variable.secret).map((variable) => variable.name), ['SECRET_BOT_PASSWORD', 'SECRET_AAD_APP_CLIENT_SECRET']);
  });
});
