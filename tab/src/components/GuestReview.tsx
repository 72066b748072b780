import { Button, Dialog, DialogSurface, MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { ApiError, type GuestFate, type GuestReviewView, type PortfolioApi } from '../api';
import { format, formatDate, useLanguage } from '../i18n';
import { FateConfirmation } from './ContactActions';

type Loaded = { status: 'loading' } | { status: 'ready'; review: GuestReviewView } | { status: 'error'; message: string };
type Guest = GuestReviewView['guests'][number];

/**
 * « Invités à revoir »: guests without an active offer for the firm's review delay, each decided on
 * (keep, remove from the team, block, delete) after a confirmation; every decision is recorded.
 */
export function GuestReview({ api }: { api: PortfolioApi }) {
  const language = useLanguage();
  const t = language.texts.guestReview;
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [reloads, setReloads] = useState(0);
  const [deciding, setDeciding] = useState<Guest | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api.guestReview(controller.signal).then(
      (review) => setLoaded({ status: 'ready', review }),
      (failure: unknown) => !controller.signal.aborted && setLoaded({ status: 'error', message: failure instanceof ApiError ? failure.message : String(failure) }),
    );
    return () => controller.abort();
  }, [api, reloads]);

  const decide = async (guest: Guest, decision: GuestFate) => {
    setBusy(true);
    setError(null);
    try {
      await api.decideGuestReview(guest.contact.id, decision);
      setDeciding(null);
      setNotice(format(t.done, { name: nameOf(guest), decision: language.texts.contactActions.fates[decision] }));
      setReloads((count) => count + 1);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  if (loaded.status === 'loading') return <Spinner label={language.texts.loading} />;
  if (loaded.status === 'error')
    return (
      <MessageBar intent="error">
        <MessageBarBody>{loaded.message}</MessageBarBody>
      </MessageBar>
    );
  const { review } = loaded;
  return (
    <section aria-labelledby="guest-review">
      <Text as="h2" size={500} weight="semibold" id="guest-review">
        {t.title}
      </Text>
      <Text as="p">{format(review.guests.length === 0 ? t.none : t.intro, { days: review.afterDays })}</Text>
      {notice && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {review.guests.length > 0 && (
        <Table aria-labelledby="guest-review" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t.name}</TableHeaderCell>
              <TableHeaderCell>{t.email}</TableHeaderCell>
              <TableHeaderCell>{t.idleSince}</TableHeaderCell>
              <TableHeaderCell>{t.decision}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {review.guests.map((guest) => (
              <TableRow key={guest.contact.id}>
                <TableCell>{nameOf(guest)}</TableCell>
                <TableCell>{guest.contact.email}</TableCell>
                <TableCell>{format(t.idle, { date: formatDate(guest.idleSince, language), days: guest.idleDays })}</TableCell>
                <TableCell>
                  <Button size="small" aria-label={format(t.decideLabel, { name: nameOf(guest) })} onClick={() => setDeciding(guest)}>
                    {t.decide}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Dialog open={deciding !== null} onOpenChange={(_event, data) => !data.open && setDeciding(null)}>
        <DialogSurface aria-label={deciding ? nameOf(deciding) : undefined}>
          {deciding && (
            <FateConfirmation
              title={format(t.decideLabel, { name: nameOf(deciding) })}
              lines={[format(t.idle, { date: formatDate(deciding.idleSince, language), days: deciding.idleDays })]}
              fateLabel={t.decision}
              defaultFate="keep"
              confirm={t.decide}
              busy={busy}
              error={error}
              onCancel={() => setDeciding(null)}
              onConfirm={(fate) => void decide(deciding, fate ?? 'keep')}
            />
          )}
        </DialogSurface>
      </Dialog>
    </section>
  );
}

function nameOf(guest: Guest): string {
  return [guest.contact.firstName, guest.contact.lastName].filter(Boolean).join(' ');
}
