import { makeStyles, tokens } from '@fluentui/react-components';

export const useOnboardingBadgesStyles = makeStyles({
  root: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, listStyleType: 'none', margin: 0, padding: 0 },
  none: { color: tokens.colorNeutralForeground4 },
});
