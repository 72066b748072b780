import { makeStyles, tokens } from '@fluentui/react-components';

export const useLegalFooterStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  summary: { cursor: 'pointer' },
});
