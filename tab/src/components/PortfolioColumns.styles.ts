import { makeStyles, tokens } from '@fluentui/react-components';

export const usePortfolioColumnsStyles = makeStyles({
  none: { color: tokens.colorNeutralForeground4 },
  siret: { whiteSpace: 'nowrap' },
  nowrap: { whiteSpace: 'nowrap' },
  missing: { color: tokens.colorPaletteRedForeground1 },
  secondary: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  list: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, listStyleType: 'none', margin: 0, padding: 0 },
  flow: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: '72px' },
  notes: { display: 'inline-block', maxWidth: '180px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', verticalAlign: 'bottom' },
});
