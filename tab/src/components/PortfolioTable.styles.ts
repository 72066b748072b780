import { makeStyles, tokens } from '@fluentui/react-components';

export const usePortfolioTableStyles = makeStyles({
  wrapper: { position: 'relative', overflowX: 'auto' },
  table: { minWidth: '1120px' },
  busy: { opacity: 0.6 },
  spinner: { position: 'absolute', top: tokens.spacingVerticalXXL, left: '50%' },
  selectColumn: { width: '44px' },
  companyColumn: { width: '240px' },
  contactsColumn: { width: '190px' },
  companyName: { fontWeight: tokens.fontWeightSemibold, textAlign: 'start' },
  secondary: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  row: { cursor: 'pointer' },
  missing: { color: tokens.colorPaletteRedForeground1 },
  message: { padding: tokens.spacingVerticalXL, textAlign: 'center', color: tokens.colorNeutralForeground3 },
});
