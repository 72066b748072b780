import type { FieldErrors } from './errors.js';
import { checkText, type FieldCheck } from './fieldRules.js';

export type Validation<T, Field extends string> = { ok: true; value: T } | { ok: false; errors: FieldErrors<Field> };

/** Collects field checks so every problem of a form is reported at once, not one per submission. */
export class FormChecker<Field extends string> {
  readonly errors: FieldErrors<Field> = {};

  take<T>(field: Field, check: FieldCheck<T>, params?: Record<string, string | number>): T | undefined {
    if (check.ok) return check.value;
    this.errors[field] = params && check.error === 'tooLong' ? { code: check.error, params } : { code: check.error };
    return undefined;
  }

  optional(field: Field, raw: string | undefined, check: (value: string) => FieldCheck<string>): string | undefined {
    const text = checkText(raw, { required: false, max: 200 });
    if (!text.ok) return this.take(field, text, { max: 200 });
    return text.value === undefined ? undefined : this.take(field, check(text.value));
  }

  text(field: Field, raw: string | undefined, options: { required: boolean; max: number }): string | undefined {
    return this.take(field, checkText(raw, options), { max: options.max });
  }

  choice(field: Field, raw: string | undefined, allowed: readonly string[], code: 'legalForm.unknown' | 'taxRegime.unknown' | 'orgRole.unknown'): string | undefined {
    const value = this.text(field, raw, { required: false, max: 80 });
    if (value === undefined) return undefined;
    if (!allowed.includes(value)) {
      this.errors[field] = { code };
      return undefined;
    }
    return value;
  }

  get hasErrors(): boolean {
    return Object.keys(this.errors).length > 0;
  }
}

