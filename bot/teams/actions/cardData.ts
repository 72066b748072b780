import { z } from 'zod';

/**
 * Card data is user input: every verb parses it with a schema before anything runs. Text fields
 * accept long strings here so the domain can answer "too long" next to the field; beyond this
 * bound the submission is refused outright.
 */
const rawText = z.string().max(5_000).optional();
const objectId = z.string().regex(/^[0-9a-f]{24}$/i);
const optionalObjectId = z.union([objectId, z.literal('')]).optional().transform((value) => value || undefined);

export const requestIdSchema = z.string().uuid();

export const clientFileCreateData = z.object({
  requestId: requestIdSchema,
  code: rawText,
  companyName: rawText,
  legalForm: rawText,
  siret: rawText,
  apeCode: rawText,
  taxRegime: rawText,
});

export const contactCreateData = z.object({
  requestId: requestIdSchema,
  clientFileId: optionalObjectId,
  lastName: rawText,
  firstName: rawText,
  mobile: rawText,
  landline: rawText,
  email: rawText,
  orgRole: rawText,
  address1: rawText,
  address2: rawText,
  address3: rawText,
  city: rawText,
});

export const clientFileRef = z.object({ clientFileId: objectId });
export const contactRef = z.object({ contactId: objectId });
export const optionalRefs = z.object({ clientFileId: optionalObjectId, contactId: optionalObjectId });
export const setPrimaryData = z.object({ clientFileId: objectId, contactId: objectId });

export const linkCreateData = z.object({
  contactId: optionalObjectId,
  clientFileId: optionalObjectId,
  contactEmail: rawText,
  clientFileCode: rawText,
  scope: rawText,
  primary: z.enum(['true', 'false']).optional(),
});

const selection = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('clientFiles'), ids: z.array(objectId).min(1).max(500) }),
  z.object({ kind: z.literal('contacts'), ids: z.array(objectId).min(1).max(500) }),
  z.object({ kind: z.literal('notInvited') }),
]);

export const invitePreviewManyData = z.object({ selection });
export const inviteOneData = z.object({ requestId: requestIdSchema, contactId: objectId, personalMessage: rawText });
export const inviteManyData = z.object({ requestId: requestIdSchema, selection, personalMessage: rawText });
export const jobRef = z.object({ jobId: objectId });
export const chooseTeamData = z.object({ clientFileId: objectId, teamId: z.string().min(1).max(100).optional() });
export const setInternalData = z.object({ teamId: z.string().min(1).max(100), internal: z.enum(['true', 'false']) });
export const revokeData = z.object({ contactId: objectId, action: z.enum(['removedFromTeam', 'blocked', 'deleted']).optional() });

export const orgRoleData = z.object({ role: rawText });

export class InvalidCardDataError extends Error {
  constructor(readonly verb: string) {
    super(`invalid data for ${verb}`);
    this.name = 'InvalidCardDataError';
  }
}

export function parseCardData<T extends z.ZodTypeAny>(verb: string, schema: T, data: unknown): z.infer<T> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new InvalidCardDataError(verb);
  return parsed.data;
}
