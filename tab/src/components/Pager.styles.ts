import { makeStyles, tokens } from '@fluentui/react-components';

export const usePagerStyles = makeStyles({
  root: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'flex-end', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalS },
  size: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
  sizeDropdown: { minWidth: '80px' },
  range: { fontVariantNumeric: 'tabular-nums' },
  buttons: { display: 'flex', columnGap: tokens.spacingHorizontalXS },
});
