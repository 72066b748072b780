import assert from 'node:assert/strict';
import {
  checkApeCode,
  checkClientFileCode,
  checkEmail,
  checkMobilePhone,
  checkPhone,
  checkSiren,
  checkSiret,
  checkText,
  normaliseForSearch,
  searchTokens,
  type FieldCheck,
  type ValidationErrorCode,
} from '../../bot/domain/fieldRules.js';
import { validationMessages } from '../../bot/i18n/validationMessages.js';

function assertOk<T>(result: FieldCheck<T>, expected: T, label: string): void {
  assert.deepEqual(result, { ok: true, value: expected }, `${label}: expected ok with ${JSON.stringify(expected)}, got ${JSON.stringify(result)}`);
}

function assertError<T>(result: FieldCheck<T>, error: ValidationErrorCode, label: string): void {
  assert.deepEqual(result, { ok: false, error }, `${label}: expected error '${error}', got ${JSON.stringify(result)}`);
}

const digitSum = (digits: string): number => [...digits].reduce((sum, d) => sum + Number(d), 0);

describe('fieldRules', () => {
  describe('checkSiret', () => {
    // Luhn-valid on the 14 digits and on the SIREN (verified by the implementation and by hand).
    const valid = [
      '73282932000074', // Apple France, the usual INSEE/Wikipedia example
      '20003452800014', // example from INSEE's validinsee package
      '44306184100047',
      '54205118000066',
      '55210055400013',
      '38012986646850',
    ];

    for (const siret of valid) {
      it(`accepts the valid SIRET ${siret}`, () => {
        assertOk(checkSiret(siret), siret, `SIRET ${siret}`);
      });
    }

    it('strips spaces, non-breaking spaces, dots and dashes', () => {
      assertOk(checkSiret('732 829 320 00074'), '73282932000074', 'spaced SIRET');
      assertOk(checkSiret('732\u00a0829\u202f320\u00a000074'), '73282932000074', 'SIRET with (narrow) no-break spaces');
      assertOk(checkSiret('732.829.320.00074'), '73282932000074', 'dotted SIRET');
      assertOk(checkSiret('732-829-320-00074'), '73282932000074', 'dashed SIRET');
      assertOk(checkSiret('  73282932000074 '), '73282932000074', 'SIRET with outer spaces');
    });

    it('rejects every one-digit change of a valid SIRET with siret.checksum', () => {
      const base = '73282932000074';
      for (let position = 0; position < base.length; position++) {
        for (let digit = 0; digit <= 9; digit++) {
          if (String(digit) === base[position]) continue;
          const changed = base.slice(0, position) + String(digit) + base.slice(position + 1);
          assertError(checkSiret(changed), 'siret.checksum', `SIRET ${changed} (position ${position} changed)`);
        }
      }
    });

    it('rejects a swap of two adjacent digits', () => {
      assertError(checkSiret('73282932000047'), 'siret.checksum', 'last two digits swapped');
      assertError(checkSiret('20003452800041'), 'siret.checksum', 'INSEE invalid example');
    });

    it('rejects a SIRET whose 14 digits pass Luhn but whose SIREN does not', () => {
      // 732829321 fails Luhn; NIC 00007 makes the 14 digits Luhn-valid.
      assertError(checkSiret('73282932100007'), 'siret.checksum', 'SIRET with invalid SIREN key');
    });

    it('rejects a non-La Poste SIRET whose digit sum is a multiple of 5 but fails Luhn', () => {
      assert.equal(digitSum('73282932000072') % 5, 0, 'precondition: digit sum multiple of 5');
      assertError(checkSiret('73282932000072'), 'siret.checksum', 'non-La Poste SIRET with sum % 5 === 0');
    });

    it('rejects 13 or 15 digits, letters, empty input and all zeros with siret.format', () => {
      assertError(checkSiret('7328293200007'), 'siret.format', '13 digits');
      assertError(checkSiret('732829320000740'), 'siret.format', '15 digits');
      assertError(checkSiret('7328293200007A'), 'siret.format', 'letter inside');
      assertError(checkSiret('ABCDEFGHIJKLMN'), 'siret.format', 'letters only');
      assertError(checkSiret('732829320/00074'), 'siret.format', 'slash separator');
      assertError(checkSiret(''), 'siret.format', 'empty');
      assertError(checkSiret('   '), 'siret.format', 'blank');
      assertError(checkSiret('00000000000000'), 'siret.format', 'all zeros placeholder');
    });

    describe('La Poste (SIREN 356000000)', () => {
      it('accepts the head office SIRET 35600000000048, which passes Luhn (its digit sum 26 is NOT a multiple of 5)', () => {
        assert.equal(digitSum('35600000000048'), 26, 'digit sum of the head office SIRET');
        assertOk(checkSiret('356 000 000 00048'), '35600000000048', 'La Poste head office');
      });

      it('accepts establishments whose digit sum is a multiple of 5 even though Luhn fails', () => {
        for (const siret of ['35600000009075', '35600000049837', '35600000000010']) {
          assert.equal(digitSum(siret) % 5, 0, `precondition: digit sum of ${siret} is a multiple of 5`);
          assertOk(checkSiret(siret), siret, `La Poste establishment ${siret}`);
        }
      });

      it('rejects an establishment that fails both Luhn and the multiple-of-5 rule', () => {
        for (const siret of ['35600000009076', '35600000000049', '35600000000011']) {
          assert.notEqual(digitSum(siret) % 5, 0, `precondition: digit sum of ${siret} is not a multiple of 5`);
          assertError(checkSiret(siret), 'siret.checksum', `La Poste establishment ${siret}`);
        }
      });
    });
  });

  describe('checkSiren', () => {
    it('accepts valid SIRENs, with separators', () => {
      assertOk(checkSiren('732829320'), '732829320', 'Apple France SIREN');
      assertOk(checkSiren('732 829 320'), '732829320', 'spaced SIREN');
      assertOk(checkSiren('200034528'), '200034528', 'INSEE example SIREN');
      assertOk(checkSiren('356000000'), '356000000', 'La Poste SIREN');
    });

    it('rejects a wrong key with siret.checksum', () => {
      assertError(checkSiren('732829321'), 'siret.checksum', 'SIREN with last digit changed');
      assertError(checkSiren('200034582'), 'siret.checksum', 'INSEE invalid example');
    });

    it('rejects wrong lengths and letters with siret.format', () => {
      assertError(checkSiren('73282932'), 'siret.format', '8 digits');
      assertError(checkSiren('7328293200'), 'siret.format', '10 digits');
      assertError(checkSiren('73282932000074'), 'siret.format', 'a SIRET is not a SIREN');
      assertError(checkSiren('73282932A'), 'siret.format', 'letter');
      assertError(checkSiren(''), 'siret.format', 'empty');
      assertError(checkSiren('000000000'), 'siret.format', 'all zeros');
    });
  });

  describe('checkApeCode', () => {
    it('accepts and normalises the usual spellings', () => {
      assertOk(checkApeCode('6920Z'), '6920Z', 'compact');
      assertOk(checkApeCode('69.20Z'), '6920Z', 'official dotted form');
      assertOk(checkApeCode('69 20 z'), '6920Z', 'spaced lowercase');
      assertOk(checkApeCode(' 4711d '), '4711D', 'outer spaces, lowercase letter');
      assertOk(checkApeCode('01.11Z'), '0111Z', 'leading zero division');
    });

    it('rejects malformed codes with ape.format', () => {
      for (const bad of ['', '6920', '692Z', '69200Z', '6920ZZ', 'Z6920', '69.2OZ', '6920É', '00.00Z', '6920-', 'APE']) {
        assertError(checkApeCode(bad), 'ape.format', `APE ${JSON.stringify(bad)}`);
      }
    });
  });

  describe('checkMobilePhone', () => {
    it('accepts French mobiles in national form', () => {
      assertOk(checkMobilePhone('06 12 34 56 78'), '+33612345678', 'spaced national');
      assertOk(checkMobilePhone('0612345678'), '+33612345678', 'compact national');
      assertOk(checkMobilePhone('06.12.34.56.78'), '+33612345678', 'dotted national');
      assertOk(checkMobilePhone('06-12-34-56-78'), '+33612345678', 'dashed national');
      assertOk(checkMobilePhone('07 81 23 45 67'), '+33781234567', '07 mobile');
    });

    it('accepts French mobiles in international forms', () => {
      assertOk(checkMobilePhone('+33 6 12 34 56 78'), '+33612345678', '+33 form');
      assertOk(checkMobilePhone('+33612345678'), '+33612345678', 'E.164 form');
      assertOk(checkMobilePhone('0033612345678'), '+33612345678', '00 33 form');
      assertOk(checkMobilePhone('+33 (0)6 12 34 56 78'), '+33612345678', '+33 (0) form');
    });

    it('accepts a Belgian mobile', () => {
      assertOk(checkMobilePhone('+32 470 12 34 56'), '+32470123456', 'Belgian mobile');
      assertOk(checkMobilePhone('0032 470 12 34 56'), '+32470123456', 'Belgian mobile, 00 form');
    });

    it('refuses a French landline with phone.notMobile', () => {
      assertError(checkMobilePhone('01 42 68 53 00'), 'phone.notMobile', 'Paris landline');
      assertError(checkMobilePhone('+33 1 42 68 53 00'), 'phone.notMobile', 'Paris landline, international');
      assertError(checkMobilePhone('0800 123 456'), 'phone.notMobile', 'toll-free number');
    });

    it('refuses garbage, too short and too long numbers with phone.invalid', () => {
      for (const bad of ['', '   ', 'abc', 'n/a', '06 12', '+33612', '061234567', '06123456789', '+33 6 12 34 56 78 90 12', '00000000000']) {
        assertError(checkMobilePhone(bad), 'phone.invalid', `mobile ${JSON.stringify(bad)}`);
      }
    });

    it('refuses numbers embedded in text or followed by letters', () => {
      assertError(checkMobilePhone('tel 06 12 34 56 78'), 'phone.invalid', 'prefixed with text');
      assertError(checkMobilePhone('06 12 34 56 78 abc'), 'phone.invalid', 'followed by text');
      assertError(checkMobilePhone('06 12 34 56 78 ext. 12'), 'phone.invalid', 'extension');
    });
  });

  describe('checkPhone', () => {
    it('accepts landlines and mobiles, in E.164', () => {
      assertOk(checkPhone('01 42 68 53 00'), '+33142685300', 'Paris landline');
      assertOk(checkPhone('04.72.00.00.00'), '+33472000000', 'Lyon landline, dotted');
      assertOk(checkPhone('+33 1 42 68 53 00'), '+33142685300', 'landline, international');
      assertOk(checkPhone('06 12 34 56 78'), '+33612345678', 'mobile');
      assertOk(checkPhone('+32 2 512 34 56'), '+3225123456', 'Brussels landline');
      assertOk(checkPhone('+41 22 730 11 11'), '+41227301111', 'Geneva landline');
    });

    it('refuses invalid numbers with phone.invalid', () => {
      for (const bad of ['', 'abc', '01 42', '0142685300123', '+33 1', 'fixe: 01 42 68 53 00']) {
        assertError(checkPhone(bad), 'phone.invalid', `phone ${JSON.stringify(bad)}`);
      }
    });
  });

  describe('checkEmail', () => {
    it('trims and lowercases', () => {
      assertOk(checkEmail('  Jean.Dupont@Entreprise.FR '), 'jean.dupont@entreprise.fr', 'mixed case with spaces around');
      assertOk(checkEmail('CONTACT@CABINET-EXPERT.COM'), 'contact@cabinet-expert.com', 'uppercase');
    });

    it('keeps +alias and other allowed local part characters', () => {
      assertOk(checkEmail('client+alias1@entreprise.com'), 'client+alias1@entreprise.com', '+alias');
      assertOk(checkEmail("o'neil_x-y@sub.domaine.co.uk"), "o'neil_x-y@sub.domaine.co.uk", 'apostrophe, underscore, subdomains');
      assertOk(checkEmail('a@b.fr'), 'a@b.fr', 'shortest sensible address');
    });

    it('rejects malformed addresses with email.invalid', () => {
      const bad: Array<[string, string]> = [
        ['', 'empty'],
        ['jean.dupont.entreprise.fr', 'missing @'],
        ['jean@dupont@entreprise.fr', 'two @'],
        ['jean dupont@entreprise.fr', 'space in local part'],
        ['jean@entre prise.fr', 'space in domain'],
        ['jean@entreprise', 'no TLD'],
        ['jean@entreprise.', 'empty TLD'],
        ['jean@entreprise.f', 'one-letter TLD'],
        ['jean@entreprise.123', 'numeric TLD'],
        ['@entreprise.fr', 'empty local part'],
        ['jean@', 'empty domain'],
        ['.jean@entreprise.fr', 'leading dot'],
        ['jean.@entreprise.fr', 'trailing dot in local part'],
        ['jean..dupont@entreprise.fr', 'double dot in local part'],
        ['jean@entreprise..fr', 'double dot in domain'],
        ['jean@-entreprise.fr', 'label starting with a hyphen'],
        ['jean@entreprise-.fr', 'label ending with a hyphen'],
        ['jean@entre_prise.fr', 'underscore in domain'],
        ['jéan@entreprise.fr', 'accented local part'],
        ['jean@entreprise.fr,paul@entreprise.fr', 'two addresses'],
        ['<jean@entreprise.fr>', 'angle brackets'],
        [`${'a'.repeat(65)}@entreprise.fr`, '65-character local part'],
        [`jean@${'a'.repeat(64)}.fr`, '64-character domain label'],
      ];
      for (const [input, label] of bad) {
        assertError(checkEmail(input), 'email.invalid', `${label} (${JSON.stringify(input)})`);
      }
    });

    it('accepts a 64-character local part', () => {
      const address = `${'a'.repeat(64)}@entreprise.fr`;
      assertOk(checkEmail(address), address, '64-character local part');
    });

    it('accepts 254 characters and rejects 255 with tooLong', () => {
      // local (64) + '@' + 3 labels of 60 + '.' separators, then a TLD sized to hit the target length.
      const build = (total: number): string => {
        const head = `${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.`;
        return head + 'e'.repeat(total - head.length);
      };
      const ok254 = build(254);
      const bad255 = build(255);
      assert.equal(ok254.length, 254, 'precondition: 254-character address');
      assert.equal(bad255.length, 255, 'precondition: 255-character address');
      assertOk(checkEmail(ok254), ok254, '254-character address');
      assertError(checkEmail(bad255), 'tooLong', '255-character address');
    });
  });

  describe('checkClientFileCode', () => {
    it('accepts and uppercases valid codes', () => {
      assertOk(checkClientFileCode('000001'), '000001', 'numeric code');
      assertOk(checkClientFileCode('DUPONT01'), 'DUPONT01', 'alphanumeric code');
      assertOk(checkClientFileCode(' dupont01 '), 'DUPONT01', 'lowercase with spaces around');
      assertOk(checkClientFileCode('cli.2024_a-b'), 'CLI.2024_A-B', 'dot, underscore, dash');
      assertOk(checkClientFileCode('A'), 'A', 'one character');
      assertOk(checkClientFileCode('X'.repeat(20)), 'X'.repeat(20), '20 characters');
    });

    it('rejects invalid codes with code.format', () => {
      for (const bad of ['', '   ', 'X'.repeat(21), 'DUPONT 01', 'DUPONT/01', 'DUPONTÉ', 'CODE#1', 'a@b']) {
        assertError(checkClientFileCode(bad), 'code.format', `code ${JSON.stringify(bad)}`);
      }
    });
  });

  describe('checkText', () => {
    const optional = { required: false, max: 20 };
    const required = { required: true, max: 20 };

    it('trims, collapses inner whitespace and strips control characters', () => {
      assertOk(checkText('  Jean   Dupont  ', optional), 'Jean Dupont', 'spaces');
      assertOk(checkText('Jean\t\n Dupont', optional), 'Jean Dupont', 'tab and newline');
      assertOk(checkText('Jean\u00a0\u00a0Dupont', optional), 'Jean Dupont', 'no-break spaces');
      assertOk(checkText('Je\u0000an\u0007 Du\u001bpont', optional), 'Jean Dupont', 'control characters');
      assertOk(checkText('\u200bJean\ufeff', optional), 'Jean', 'zero-width space and BOM');
      assertOk(checkText('Société Générale', optional), 'Société Générale', 'accents kept');
    });

    it('returns undefined for empty optional text', () => {
      assertOk(checkText(undefined, optional), undefined, 'undefined');
      assertOk(checkText('', optional), undefined, 'empty string');
      assertOk(checkText('  \n\t ', optional), undefined, 'blank');
      assertOk(checkText('\u0000\u0001', optional), undefined, 'only control characters');
    });

    it('reports required for empty required text', () => {
      assertError(checkText(undefined, required), 'required', 'undefined');
      assertError(checkText('', required), 'required', 'empty string');
      assertError(checkText('   ', required), 'required', 'blank');
    });

    it('applies max after cleaning, counting characters not UTF-16 units', () => {
      assertOk(checkText('a'.repeat(20), required), 'a'.repeat(20), 'exactly max');
      assertError(checkText('a'.repeat(21), required), 'tooLong', 'max + 1');
      assertOk(checkText(`  ${'a'.repeat(10)}     ${'b'.repeat(9)}  `, required), `${'a'.repeat(10)} ${'b'.repeat(9)}`, 'within max once collapsed');
      assertOk(checkText('😀'.repeat(20), required), '😀'.repeat(20), 'emoji count as one character');
      assertOk(checkText('e\u0301'.repeat(20), required), 'é'.repeat(20), 'decomposed accents normalised to NFC');
    });
  });

  describe('normaliseForSearch', () => {
    it('lowercases, removes accents and punctuation', () => {
      assert.equal(normaliseForSearch('Boulangerie BÉRNARD & Fils'), 'boulangerie bernard fils', 'example from the spec');
      assert.equal(normaliseForSearch('  Éric   Müller-Çelik  '), 'eric muller celik', 'accents, cedilla, dash, extra spaces');
      assert.equal(normaliseForSearch("L'Atelier d'Hélène"), 'l atelier d helene', 'apostrophes');
      assert.equal(normaliseForSearch('S.A.R.L. Dupont (Paris 15e)'), 's a r l dupont paris 15e', 'dots and parentheses');
      assert.equal(normaliseForSearch('ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ'), 'aaaceeeeiioouuuy', 'French capital accents');
    });

    it('expands ligatures', () => {
      assert.equal(normaliseForSearch('Cœur de Bœuf'), 'coeur de boeuf', 'œ');
      assert.equal(normaliseForSearch('ŒUVRE'), 'oeuvre', 'Œ');
      assert.equal(normaliseForSearch('Lætitia ÆGIS'), 'laetitia aegis', 'æ and Æ');
      assert.equal(normaliseForSearch('Straße'), 'strasse', 'ß');
      assert.equal(normaliseForSearch('ﬁnance'), 'finance', 'typographic ﬁ ligature');
    });

    it('returns an empty string for punctuation only', () => {
      assert.equal(normaliseForSearch(''), '', 'empty');
      assert.equal(normaliseForSearch(' - & / . '), '', 'punctuation only');
    });
  });

  describe('searchTokens', () => {
    it('returns distinct words across inputs, in order of first appearance', () => {
      assert.deepEqual(
        searchTokens('Boulangerie BÉRNARD & Fils', undefined, 'bernard', 'Fils Bernard', 'Éric Bernard'),
        ['boulangerie', 'bernard', 'fils', 'eric'],
        'deduplicated tokens',
      );
    });

    it('keeps one-character words and digits', () => {
      assert.deepEqual(searchTokens("L'Atelier 2"), ['l', 'atelier', '2'], 'short words');
    });

    it('returns an empty list without usable input', () => {
      assert.deepEqual(searchTokens(), [], 'no input');
      assert.deepEqual(searchTokens(undefined, '', ' & '), [], 'empty inputs');
    });
  });

  describe('validationMessages', () => {
    const codes: ValidationErrorCode[] = [
      'required',
      'tooLong',
      'siret.format',
      'siret.checksum',
      'ape.format',
      'phone.invalid',
      'phone.notMobile',
      'email.invalid',
      'code.format',
    ];

    for (const locale of ['fr', 'en'] as const) {
      it(`has a non-empty ${locale} message for every error code`, () => {
        for (const code of codes) {
          const message = validationMessages[locale][code];
          assert.equal(typeof message, 'string', `${locale}.${code} should be a string`);
          assert.ok(message.trim().length > 0, `${locale}.${code} should not be empty`);
        }
        assert.deepEqual(Object.keys(validationMessages[locale]).sort(), [...codes].sort(), `${locale} should have exactly the known codes`);
      });

      it(`has a {max} placeholder in the ${locale} tooLong message`, () => {
        assert.ok(validationMessages[locale].tooLong.includes('{max}'), `${locale}.tooLong should contain {max}`);
      });
    }

    it('uses typographic apostrophes in French', () => {
      for (const code of codes) {
        assert.ok(!validationMessages.fr[code].includes("'"), `fr.${code} should use ’ rather than '`);
      }
    });
  });
});
