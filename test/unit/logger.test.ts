import assert from 'node:assert/strict';
import { chooseLogFormat, createLogger, type LogFormat } from '../../bot/logger.js';

/** The logger writes one line per event, JSON or readable, and redacts the same way in both. */
function capture(format: LogFormat, color = false): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger({ level: 'info', category: 'start', format, color, sink: (line) => lines.push(line) }) };
}

const secrets = {
  message: 'invitation refusée pour lea@boulangerie-bernard.test avec Bearer abc.def.ghi',
  fields: {
    email: 'lea@boulangerie-bernard.test',
    token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl',
    uri: 'mongodb://admin:hunter2@db.example.test:27017/passerelle',
    error: new Error('échec pour paul@client.test'),
    count: 3,
  },
};

describe('logger', () => {
  for (const format of ['json', 'pretty'] as const) {
    it(`redacts secrets and personal data in the ${format} format`, () => {
      const { lines, log } = capture(format);
      log.child('server').warn(secrets.message, secrets.fields);
      assert.equal(lines.length, 1, 'one line per event');
      const line = lines[0]!;
      for (const leaked of ['lea@boulangerie-bernard.test', 'abc.def.ghi', 'eyJhbGciOiJSUzI1NiJ9', 'hunter2', 'paul@client.test']) {
        assert.ok(!line.includes(leaked), `${format} line leaks « ${leaked} »: ${line}`);
      }
      assert.ok(line.includes('start.server'), `${format} line names its category: ${line}`);
      assert.ok(line.includes('[e-mail redacted]'), `${format} line says what was redacted: ${line}`);
    });
  }

  it('writes a readable line: time, level, category, message, then key=value fields', () => {
    const { lines, log } = capture('pretty');
    log.child('server').info('Passerelle listening', { url: 'http://127.0.0.1:3978', files: 36, note: 'deux mots' });
    assert.match(
      lines[0]!,
      /^\d\d:\d\d:\d\d INFO  start\.server +Passerelle listening {2}url=http:\/\/127\.0\.0\.1:3978 files=36 note="deux mots"$/,
      `pretty line: ${lines[0]}`,
    );
    assert.ok(!lines[0]!.startsWith('{'), 'not JSON');
  });

  it('keeps JSON one object per line with the same fields', () => {
    const { lines, log } = capture('json');
    log.info('Passerelle listening', { url: 'http://127.0.0.1:3978' });
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.deepEqual({ level: entry.level, category: entry.category, message: entry.message, url: entry.url }, { level: 'info', category: 'start', message: 'Passerelle listening', url: 'http://127.0.0.1:3978' });
  });

  it('colours the level only when asked (terminals)', () => {
    const plain = capture('pretty');
    const coloured = capture('pretty', true);
    plain.log.error('arrêt');
    coloured.log.error('arrêt');
    assert.ok(!plain.lines[0]!.includes('\x1b['), 'no escape codes without colour');
    assert.ok(coloured.lines[0]!.includes('\x1b[31mERROR'), `error in red: ${JSON.stringify(coloured.lines[0])}`);
  });

  it('chooses pretty only locally in a terminal, unless LOG_FORMAT says otherwise', () => {
    assert.equal(chooseLogFormat(undefined, { local: true, terminal: true }), 'pretty', 'npm start in a terminal');
    assert.equal(chooseLogFormat(undefined, { local: true, terminal: false }), 'json', 'local output to a file or a pipe');
    assert.equal(chooseLogFormat(undefined, { local: false, terminal: true }), 'json', 'deployed');
    assert.equal(chooseLogFormat('pretty', { local: false, terminal: false }), 'pretty', 'LOG_FORMAT=pretty wins');
    assert.equal(chooseLogFormat('json', { local: true, terminal: true }), 'json', 'LOG_FORMAT=json wins');
  });
});
