import type { ValidationErrorCode } from '../domain/fieldRules.js';

/**
 * User-facing messages for field validation errors. Each message says what to fix.
 * `{max}` in 'tooLong' is replaced by the caller with the field's maximum length.
 */
export const validationMessages: Record<'fr' | 'en', Record<ValidationErrorCode, string>> = {
  fr: {
    required: 'Ce champ est obligatoire. Merci de le renseigner.',
    tooLong: 'Ce texte est trop long : {max} caractères au maximum. Raccourcissez-le.',
    'siret.format': 'Le SIRET doit comporter exactement 14 chiffres (ex. 732 829 320 00074).',
    'siret.checksum': 'Ce SIRET n’est pas valide : la clé de contrôle ne correspond pas. Vérifiez les 14 chiffres.',
    'ape.format': 'Le code APE doit comporter 4 chiffres suivis d’une lettre (ex. 6920Z).',
    'phone.invalid':
      'Ce numéro de téléphone n’est pas valide. Vérifiez-le (ex. 01 23 45 67 89 ou +33 1 23 45 67 89).',
    'phone.notMobile':
      'Ce numéro n’est pas un mobile. Indiquez un numéro de mobile (ex. 06 12 34 56 78 ou +33 6 12 34 56 78).',
    'email.invalid': 'Cette adresse e-mail n’est pas valide. Vérifiez-la (ex. prenom.nom@entreprise.fr).',
    'code.format':
      'Le code dossier doit comporter de 1 à 20 caractères : lettres sans accent, chiffres, point, tiret ou tiret bas (ex. DUPONT01).',
  },
  en: {
    required: 'This field is required. Please fill it in.',
    tooLong: 'This text is too long: {max} characters at most. Please shorten it.',
    'siret.format': 'The SIRET must be exactly 14 digits (e.g. 732 829 320 00074).',
    'siret.checksum': 'This SIRET is not valid: the check digit does not match. Please check the 14 digits.',
    'ape.format': 'The APE code must be 4 digits followed by a letter (e.g. 6920Z).',
    'phone.invalid': 'This phone number is not valid. Please check it (e.g. 01 23 45 67 89 or +33 1 23 45 67 89).',
    'phone.notMobile':
      'This number is not a mobile number. Please enter a mobile number (e.g. 06 12 34 56 78 or +33 6 12 34 56 78).',
    'email.invalid': 'This e-mail address is not valid. Please check it (e.g. firstname.lastname@company.com).',
    'code.format':
      'The file code must be 1 to 20 characters: unaccented letters, digits, dot, hyphen or underscore (e.g. DUPONT01).',
  },
};
