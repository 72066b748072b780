import { Badge, type BadgeProps } from '@fluentui/react-components';
import type { OnboardingState } from '../api';
import { useLanguage } from '../i18n';
import { useOnboardingBadgesStyles } from './OnboardingBadges.styles';

const order: OnboardingState[] = ['notInvited', 'invited', 'accepted', 'member', 'failed', 'revoked'];
export const stateColor: Record<OnboardingState, BadgeProps['color']> = {
  notInvited: 'informative',
  invited: 'warning',
  accepted: 'brand',
  member: 'success',
  failed: 'danger',
  revoked: 'subtle',
};

/** How many of a file's contacts are in each onboarding state: "Membre 1 · Invité 2". */
export function OnboardingBadges({ states }: { states: Partial<Record<OnboardingState, number>> }) {
  const styles = useOnboardingBadgesStyles();
  const { texts: t } = useLanguage();
  const present = order.filter((state) => (states[state] ?? 0) > 0);
  if (present.length === 0) return <span className={styles.none}>{t.noState}</span>;
  return (
    <ul className={styles.root}>
      {present.map((state) => (
        <li key={state}>
          <Badge appearance="tint" color={stateColor[state]} shape="rounded">
            {t.states[state]} : {states[state]}
          </Badge>
        </li>
      ))}
    </ul>
  );
}
