import type { z } from 'zod';
import { apiMessagesFor, type ApiMessages, type IssueKey } from '../../i18n/apiMessages.js';
import { format, type Language } from '../../i18n/index.js';
import { problem, type FieldProblem, type Problem } from './problems.js';

/**
 * A request refused by its schema, in the user's language. Schemas carry catalogue keys as messages
 * (`issueKey('pageMin')`); any other check is worded by its kind (required, too long, one of…).
 */
export function schemaProblem(language: Language, error: z.ZodError): Problem {
  const t = apiMessagesFor(language);
  const problems = fieldProblems(t, error);
  const details = problems
    .map((entry) => (entry.field ? format(t.layout.fieldIssue, { field: fieldLabel(t, entry.field), message: entry.message }) : entry.message))
    .join(t.layout.separator);
  return problem(language, 'request.invalid', { details }, problems);
}

/** How a message names a field: its label in the catalogue, else its name as sent. */
export function fieldLabel(t: ApiMessages, field: string): string {
  const labels = t.fields as Record<string, string>;
  return labels[field] ?? labels[field.split('.')[0]!] ?? field;
}

function fieldProblems(t: ApiMessages, error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    // Array indices say which item, not which field: `state.2` is the `state` parameter.
    const path = issue.path.filter((segment): segment is string => typeof segment === 'string').join('.');
    if (issue.code === 'unrecognized_keys') {
      const key = isIssueKey(t, issue.message) ? issue.message : 'unknownField';
      return issue.keys.map((name) => {
        const field = path ? `${path}.${name}` : name;
        return { field, code: key, message: format(t.issues[key], { field }) };
      });
    }
    const key = isIssueKey(t, issue.message) ? issue.message : keyOfKind(issue);
    return [{ field: path || null, code: key, message: format(t.issues[key], paramsOf(issue)) }];
  });
}

function isIssueKey(t: ApiMessages, message: string): message is IssueKey {
  return Object.prototype.hasOwnProperty.call(t.issues, message);
}

function keyOfKind(issue: z.ZodIssue): IssueKey {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined' ? 'required' : 'expected';
    case 'invalid_enum_value':
    case 'invalid_literal':
      return 'oneOf';
    case 'too_small':
      return issue.type === 'string' ? 'tooShort' : issue.type === 'array' ? 'tooFew' : 'tooSmall';
    case 'too_big':
      return issue.type === 'string' ? 'tooLong' : issue.type === 'array' ? 'tooMany' : 'tooBig';
    default:
      return 'invalid';
  }
}

function paramsOf(issue: z.ZodIssue): Record<string, string> {
  const params: Record<string, string> = {};
  if (issue.code === 'invalid_type') params.expected = issue.expected;
  if (issue.code === 'invalid_enum_value') params.options = issue.options.join(', ');
  if (issue.code === 'too_small') params.minimum = String(issue.minimum);
  if (issue.code === 'too_big') params.maximum = String(issue.maximum);
  if (issue.code === 'custom' && issue.params) for (const [name, value] of Object.entries(issue.params)) params[name] = String(value);
  return params;
}
