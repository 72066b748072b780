import { useLanguage } from '../i18n';
import { useLegalFooterStyles } from './LegalFooter.styles';

/** The manifest's privacy and terms URLs point at these anchors (#confidentialite, #conditions). */
export function LegalFooter() {
  const styles = useLegalFooterStyles();
  const { texts: t } = useLanguage();
  const anchor = typeof window === 'undefined' ? '' : window.location.hash;
  return (
    <footer className={styles.root}>
      <details id="confidentialite" open={anchor === '#confidentialite'}>
        <summary className={styles.summary}>{t.privacy}</summary>
        <p>{t.privacyText}</p>
      </details>
      <details id="conditions" open={anchor === '#conditions'}>
        <summary className={styles.summary}>{t.terms}</summary>
        <p>{t.termsText}</p>
      </details>
    </footer>
  );
}
