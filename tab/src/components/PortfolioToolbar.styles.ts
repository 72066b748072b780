import { makeStyles, tokens } from '@fluentui/react-components';

export const usePortfolioToolbarStyles = makeStyles({
  root: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalS },
  search: { flexGrow: 1, minWidth: '280px', maxWidth: '520px' },
  searchBox: { width: '100%', maxWidth: '100%' },
  dropdown: { minWidth: '200px' },
  checks: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS, paddingBottom: tokens.spacingVerticalXXS },
});
