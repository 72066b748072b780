import { makeStyles, tokens } from '@fluentui/react-components';

export const useImportDialogStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  errors: { maxHeight: '280px', overflowY: 'auto', margin: 0, paddingLeft: tokens.spacingHorizontalL },
  help: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});
