import { makeStyles, tokens } from '@fluentui/react-components';

export const useAuditJournalStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  filters: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  count: { color: tokens.colorNeutralForeground3 },
});
