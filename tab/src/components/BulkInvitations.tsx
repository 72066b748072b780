import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Link,
  Menu,
  MenuButton,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar, MessageBarActions, MessageBarBody, ProgressBar, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { BulkSelection, JobView, OfferView, PortfolioApi } from '../api';
import { format, formatNumber, useLanguage } from '../i18n';
import { useFollowedJob } from '../useFollowedJob';
import { useBulkInvitationsStyles } from './BulkInvitations.styles';

/** The job being followed is kept in the browser: a reload of the tab shows the same progress. */
const storageKey = 'passerelle.bulkInvitationJob';

export interface BulkInvitationsProps {
  api: PortfolioApi;
  selection: BulkSelection;
  /** Every row of the page is ticked and the view has more: offer to select the whole view. */
  canSelectAllMatching: { total: number } | null;
  onSelectAllMatching(): void;
  onClear(): void;
  onFinished(): void;
  /** The firm's catalogue, for « Proposer une offre » (paid offers only for those who may commit the firm). */
  offers: OfferView[];
  can: { invite: boolean; proposeOffers: boolean };
}

/** Acts on the selected client files: invites their contacts, or reminds those still waiting, as one job followed until it ends. */
export function BulkInvitations({ api, selection, canSelectAllMatching, onSelectAllMatching, onClear, onFinished, offers, can }: BulkInvitationsProps) {
  const styles = useBulkInvitationsStyles();
  const language = useLanguage();
  const t = language.texts;
  const { job, error, setError, follow, forget } = useFollowedJob<JobView>(storageKey, (id, signal) => api.job(id, signal), onFinished);
  const [starting, setStarting] = useState(false);
  /** The offer waiting for confirmation: proposing writes to many clients. */
  const [offerToConfirm, setOfferToConfirm] = useState<OfferView | null>(null);
  const [filesWithoutPrimary, setFilesWithoutPrimary] = useState(0);

  const start = async (kind: JobView['kind'], offerId?: string) => {
    setStarting(true);
    setError(null);
    setOfferToConfirm(null);
    try {
      const requestId = crypto.randomUUID();
      const started =
        kind === 'remind'
          ? await api.remindClientFiles(selection, requestId)
          : kind === 'offer' && offerId
            ? await api.proposeOffer(selection, offerId, requestId)
            : await api.inviteClientFiles(selection, requestId);
      setFilesWithoutPrimary(started.filesWithoutPrimary ?? 0);
      follow(started);
      onClear();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setStarting(false);
    }
  };

  const dismiss = forget;

  const processed = job ? job.done + job.failed + job.skipped : 0;
  const count = selection.kind === 'ids' ? selection.ids.length : selection.total;
  const texts =
    job?.kind === 'remind'
      ? { none: t.reminderNone, finished: t.reminderFinished, running: t.reminderRunning }
      : job?.kind === 'offer'
        ? { none: t.proposalNone, finished: t.proposalFinished, running: t.proposalRunning }
        : { none: t.jobNone, finished: t.jobFinished, running: t.jobRunning };
  return (
    <>
      {count > 0 && (
        <div className={styles.bar} role="region" aria-label={t.inviteSelected}>
          <Text weight="semibold">{format(selection.kind === 'allMatching' ? t.allMatchingSelected : t.selectedCount, { count: formatNumber(count, language) })}</Text>
          {canSelectAllMatching && selection.kind === 'ids' && (
            <Link as="button" onClick={onSelectAllMatching}>
              {format(t.selectAllMatching, { count: formatNumber(canSelectAllMatching.total, language) })}
            </Link>
          )}
          {can.invite && (
            <>
              <Button appearance="primary" onClick={() => start('invite')} disabled={starting}>
                {t.inviteSelected}
              </Button>
              <Button onClick={() => start('remind')} disabled={starting}>
                {t.remindSelected}
              </Button>
            </>
          )}
          {can.proposeOffers && (
            <Menu>
              <MenuTrigger disableButtonEnhancement>
                <MenuButton disabled={starting || offers.length === 0}>{t.proposeOffer}</MenuButton>
              </MenuTrigger>
              <MenuPopover>
                <MenuList>
                  {offers.map((offer) => (
                    <MenuItem key={offer.id} onClick={() => setOfferToConfirm(offer)}>
                      {offer.paid ? format(t.offerPaid, { name: offer.name }) : offer.name}
                    </MenuItem>
                  ))}
                </MenuList>
              </MenuPopover>
            </Menu>
          )}
          <Button onClick={onClear}>{t.clearSelection}</Button>
        </div>
      )}
      <Dialog open={offerToConfirm !== null} onOpenChange={(_event, data) => !data.open && setOfferToConfirm(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{format(t.proposeTitle, { name: offerToConfirm?.name ?? '' })}</DialogTitle>
            <DialogContent>{format(offerToConfirm?.paid ? t.proposeConfirmPaid : t.proposeConfirm, { name: offerToConfirm?.name ?? '', count: formatNumber(count, language) })}</DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => offerToConfirm && start('offer', offerToConfirm.id)}>
                {t.proposeRun}
              </Button>
              <DialogTrigger disableButtonEnhancement>
                <Button>{t.cancel}</Button>
              </DialogTrigger>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{format(t.jobError, { message: error })}</MessageBarBody>
        </MessageBar>
      )}
      {job && (
        <MessageBar intent={job.status === 'finished' ? (job.failed > 0 ? 'warning' : 'success') : 'info'} data-testid="bulk-job">
          <MessageBarBody>
            {job.total === 0
              ? texts.none
              : job.status === 'finished'
                ? format(texts.finished, { done: job.done, skipped: job.skipped, failed: job.failed, total: job.total })
                : format(texts.running, { processed, total: job.total, done: job.done, skipped: job.skipped, failed: job.failed })}
            {job.kind === 'offer' && filesWithoutPrimary > 0 && <> {format(t.proposalWithoutPrimary, { count: filesWithoutPrimary })}</>}
            {job.status !== 'finished' && job.total > 0 && (
              <Field className={styles.progress} validationMessage="" validationState="none">
                <ProgressBar value={processed / job.total} />
              </Field>
            )}
          </MessageBarBody>
          {job.status === 'finished' && (
            <MessageBarActions>
              <Button onClick={dismiss}>{t.jobDismiss}</Button>
            </MessageBarActions>
          )}
        </MessageBar>
      )}
    </>
  );
}
