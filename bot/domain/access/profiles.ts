/**
 * Staff permissions as data (the Chorus Pro model): a profile is an application with a level;
 * a user's habilitation is their set of profiles in one structure of the firm.
 */
export const applications = ['clientFiles', 'contacts', 'invitations', 'offers', 'partnerApps', 'audit', 'organisation', 'knowledgeBase', 'support'] as const;
export type Application = (typeof applications)[number];

export type AccessLevel = 'consultation' | 'modification';

export interface Profile {
  application: Application;
  level: AccessLevel;
}

/** What an action needs. Modification includes consultation. */
export type Requirement = Profile;

export type Role = 'mainManager' | 'user';

export interface Membership {
  firmId: string;
  /** The structure of the firm this membership is in; absent: the firm's default structure. */
  structureId?: string;
  /** Entra object id; unknown until the person first talks to Passerelle when attached by e-mail. */
  userId?: string;
  email: string;
  displayName: string;
  /** Empty: the whole structure; otherwise the services the user is attached to. */
  services: string[];
  profiles: Profile[];
  status: 'attached' | 'detached';
  detachComment?: string;
}

/** What a newly attached collaborator gets unless the manager chooses otherwise. */
export const defaultStaffProfiles: Profile[] = [
  { application: 'clientFiles', level: 'modification' },
  { application: 'contacts', level: 'modification' },
  { application: 'invitations', level: 'modification' },
  { application: 'offers', level: 'consultation' },
  { application: 'partnerApps', level: 'consultation' },
  { application: 'audit', level: 'consultation' },
];

/** "Organisation / modification" makes its holder an administrator, like the main manager. */
export const administratorProfile: Profile = { application: 'organisation', level: 'modification' };

export function sameProfile(a: Profile, b: Profile): boolean {
  return a.application === b.application && a.level === b.level;
}

export function hasProfile(profiles: readonly Profile[], wanted: Profile): boolean {
  return profiles.some((profile) => sameProfile(profile, wanted));
}

export function isProfile(value: { application?: unknown; level?: unknown }): value is Profile {
  return applications.includes(value.application as Application) && (value.level === 'consultation' || value.level === 'modification');
}

/** One profile per application: the highest level wins, so the set stays readable. */
export function normaliseProfiles(profiles: readonly Profile[]): Profile[] {
  const byApplication = new Map<Application, AccessLevel>();
  for (const profile of profiles) {
    const known = byApplication.get(profile.application);
    if (!known || profile.level === 'modification') byApplication.set(profile.application, profile.level);
  }
  return applications.flatMap((application) => (byApplication.has(application) ? [{ application, level: byApplication.get(application)! }] : []));
}
