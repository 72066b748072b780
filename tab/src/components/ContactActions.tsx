import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  Option,
  Radio,
  RadioGroup,
  Switch,
  Text,
} from '@fluentui/react-components';
import { MoreHorizontalRegular, PersonAddRegular } from '@fluentui/react-icons';
import { useState, type FormEvent } from 'react';
import { ApiError, guestFates, type ContactFormBody, type GuestFate, type PortfolioApi, type PortfolioClientView } from '../api';
import { format, useLanguage } from '../i18n';
import { useContactActionsStyles } from './ContactActions.styles';

type ContactView = PortfolioClientView['contacts'][number];
const formFields = ['lastName', 'firstName', 'mobile', 'landline', 'email', 'orgRole', 'address1', 'address2', 'address3', 'city'] as const;

function formOf(contact?: ContactView): ContactFormBody {
  return {
    lastName: contact?.lastName ?? '',
    firstName: contact?.firstName ?? '',
    mobile: contact?.mobile ?? '',
    landline: contact?.landline ?? '',
    email: contact?.email ?? '',
    orgRole: contact?.orgRole ?? '',
    address1: contact?.address.line1 ?? '',
    address2: contact?.address.line2 ?? '',
    address3: contact?.address.line3 ?? '',
    city: contact?.address.city ?? '',
  };
}

/** What the dialog shows: a form, or a confirmation stating exactly what will happen. */
type Step =
  | { kind: 'edit' }
  | { kind: 'identity'; plan: { from: string; to: string; openOffers: number; defaultOldGuestFate: GuestFate }; body: ContactFormBody }
  | { kind: 'unlink'; openOffers: number; primary: boolean }
  | { kind: 'delete'; files: number; openOffers: number; isGuest: boolean; defaultFate: GuestFate }
  | { kind: 'revoke' }
  | { kind: 'offer' };

export interface ContactActionsProps {
  api: PortfolioApi;
  client: PortfolioClientView;
  contact: ContactView;
  offers: ReadonlyMap<string, string>;
  /** Tells the drawer what was done (a sentence), so it says so and reloads. */
  onDone(message: string, intent?: 'success' | 'warning'): void;
}

/** The actions on one contact of the client's page: every one confirmed in a dialog saying what will happen. */
export function ContactActions({ api, client, contact, offers, onDone }: ContactActionsProps) {
  const language = useLanguage();
  const t = language.texts.contactActions;
  const [step, setStep] = useState<Step | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  const guestState = contact.guest.state;
  const isGuest = guestState === 'invited' || guestState === 'accepted' || guestState === 'member';

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const finish = (message: string) => {
    setStep(null);
    onDone(message);
  };
  const open = (next: Step | (() => Promise<Step | null>)) =>
    run(async () => {
      const resolved = typeof next === 'function' ? await next() : next;
      if (resolved) setStep(resolved);
    });

  return (
    <>
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <Button size="small" appearance="subtle" icon={<MoreHorizontalRegular />} aria-label={format(t.menuLabel, { name })} />
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuItem onClick={() => open({ kind: 'edit' })}>{t.edit}</MenuItem>
            {(guestState === 'notInvited' || guestState === 'failed' || guestState === 'revoked') && (
              <MenuItem onClick={() => run(async () => { await api.inviteContact(contact.id, crypto.randomUUID()); onDone(format(t.invited, { name })); })}>{t.invite}</MenuItem>
            )}
            {guestState === 'invited' && (
              <MenuItem onClick={() => run(async () => { await api.remindContact(contact.id, client.id, crypto.randomUUID()); onDone(format(t.reminded, { name })); })}>{t.remind}</MenuItem>
            )}
            {isGuest && <MenuItem onClick={() => open({ kind: 'revoke' })}>{t.revoke}</MenuItem>}
            <MenuItem onClick={() => open({ kind: 'offer' })}>{contact.offer && contact.offer.state !== 'ended' ? t.changeOffer : t.proposeOffer}</MenuItem>
            <MenuItem onClick={() => open(async () => { const plan = await api.unlinkContact(contact.id, client.id, false); return { kind: 'unlink', openOffers: plan.openOffers ?? 0, primary: Boolean(plan.primary) }; })}>{t.unlink}</MenuItem>
            <MenuItem onClick={() => open(async () => { const plan = await api.deleteContact(contact.id, null); return { kind: 'delete', files: plan.files ?? 0, openOffers: plan.openOffers ?? 0, isGuest: Boolean(plan.isGuest), defaultFate: plan.defaultFate ?? 'keep' }; })}>{t.delete}</MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
      {error && !step && (
        <MessageBar intent="warning" role="alert">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <Dialog open={step !== null} onOpenChange={(_event, data) => !data.open && setStep(null)}>
        <DialogSurface aria-label={name}>
          {step?.kind === 'edit' && (
            <ContactFormBodyDialog
              title={format(t.editTitle, { name })}
              initial={formOf(contact)}
              busy={busy}
              error={error}
              api={api}
              submit={async (body) => {
                const answer = await api.updateContact(contact.id, body);
                if (answer.status === 'confirmIdentityChange') setStep({ kind: 'identity', plan: answer.plan, body });
                else finish(answer.status === 'unchanged' ? t.unchanged : t.updated);
              }}
              onCancel={() => setStep(null)}
              run={run}
            />
          )}
          {step?.kind === 'identity' && (
            <FateConfirmation
              title={format(t.identityTitle, { name })}
              lines={[
                format(t.identityIntro, { from: step.plan.from, to: step.plan.to }),
                format(t.identityInvite, { to: step.plan.to }),
                step.plan.openOffers > 0 ? format(t.identityOffers, { count: step.plan.openOffers, to: step.plan.to }) : t.identityNoOffers,
              ]}
              fateLabel={t.oldGuest}
              defaultFate={step.plan.defaultOldGuestFate}
              confirm={t.identityConfirm}
              busy={busy}
              error={error}
              onCancel={() => setStep(null)}
              onConfirm={(fate) => run(async () => {
                await api.updateContact(contact.id, { ...step.body, confirmIdentity: { oldGuestFate: fate!, expectedEmail: step.plan.from } });
                finish(format(t.identityStarted, { from: step.plan.from, to: step.plan.to }));
              })}
            />
          )}
          {step?.kind === 'unlink' && (
            <FateConfirmation
              title={format(t.unlinkTitle, { name, code: client.code })}
              lines={[
                format(t.unlinkIntro, { name, code: client.code }),
                ...(step.openOffers > 0 ? [format(t.unlinkOffers, { count: step.openOffers })] : []),
                ...(step.primary ? [t.unlinkPrimary] : []),
              ]}
              confirm={t.unlinkConfirm}
              busy={busy}
              error={error}
              onCancel={() => setStep(null)}
              onConfirm={() => run(async () => { await api.unlinkContact(contact.id, client.id, true); finish(format(t.unlinked, { name, code: client.code })); })}
            />
          )}
          {step?.kind === 'delete' && (
            <FateConfirmation
              title={format(t.deleteTitle, { name })}
              lines={[format(t.deleteIntro, { name, files: step.files }), ...(step.openOffers > 0 ? [format(t.deleteOffers, { count: step.openOffers })] : [])]}
              fateLabel={step.isGuest ? t.guestAccess : undefined}
              defaultFate={step.defaultFate}
              confirm={t.deleteConfirm}
              busy={busy}
              error={error}
              onCancel={() => setStep(null)}
              onConfirm={(fate) => run(async () => { await api.deleteContact(contact.id, { guestFate: fate ?? 'keep' }); finish(format(t.deleted, { name })); })}
            />
          )}
          {step?.kind === 'revoke' && (
            <FateConfirmation
              title={format(t.revokeTitle, { name })}
              lines={[t.revokeIntro, ...(contact.offer && contact.offer.state !== 'ended' ? [t.revokeOffers] : [])]}
              fateLabel={t.guestAccess}
              fates={['removeFromTeam', 'block', 'delete']}
              defaultFate="removeFromTeam"
              confirm={t.revokeConfirm}
              busy={busy}
              error={error}
              onCancel={() => setStep(null)}
              onConfirm={(fate) => run(async () => {
                const action = fate === 'block' ? 'blocked' : fate === 'delete' ? 'deleted' : 'removedFromTeam';
                const done = await api.revokeGuest(contact.id, action);
                finish(format(t.revoked, { name, count: done.endedOffers }));
              })}
            />
          )}
          {step?.kind === 'offer' && (
            <OfferChoice
              title={format(t.offerTitle, { name })}
              offers={offers}
              current={contact.offer && contact.offer.state !== 'ended' ? contact.offer.offerId : undefined}
              busy={busy}
              error={error}
              onCancel={() => setStep(null)}
              onConfirm={(offerId) => run(async () => {
                if (contact.offer && contact.offer.state !== 'ended') await api.changeOffer(contact.offer.id, contact.offer.version, offerId);
                else await api.proposeContactOffer(client.id, contact.id, offerId);
                finish(format(t.offerDone, { name, offer: offers.get(offerId) ?? offerId }));
              })}
            />
          )}
        </DialogSurface>
      </Dialog>
    </>
  );
}

/** A confirmation listing what will happen, with the guest's fate to choose when there is one (the firm's default preselected). */
export function FateConfirmation(props: {
  title: string;
  lines: string[];
  fateLabel?: string;
  fates?: GuestFate[];
  defaultFate?: GuestFate;
  confirm: string;
  busy: boolean;
  error: string | null;
  onCancel(): void;
  onConfirm(fate?: GuestFate): void;
}) {
  const language = useLanguage();
  const styles = useContactActionsStyles();
  const [fate, setFate] = useState<GuestFate>(props.defaultFate ?? 'keep');
  return (
    <DialogBody>
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent className={styles.lines}>
        {props.lines.map((line) => (
          <Text key={line}>{line}</Text>
        ))}
        {props.fateLabel && (
          <Field label={props.fateLabel}>
            <RadioGroup value={fate} onChange={(_event, data) => setFate(data.value as GuestFate)}>
              {(props.fates ?? guestFates).map((value) => (
                <Radio key={value} value={value} label={language.texts.contactActions.fates[value]} />
              ))}
            </RadioGroup>
          </Field>
        )}
        {props.error && (
          <MessageBar intent="warning" role="alert">
            <MessageBarBody>{props.error}</MessageBarBody>
          </MessageBar>
        )}
      </DialogContent>
      <DialogActions>
        <Button appearance="primary" disabled={props.busy} onClick={() => props.onConfirm(props.fateLabel ? fate : undefined)}>
          {props.confirm}
        </Button>
        <Button onClick={props.onCancel}>{language.texts.cancel}</Button>
      </DialogActions>
    </DialogBody>
  );
}

function OfferChoice(props: { title: string; offers: ReadonlyMap<string, string>; current?: string; busy: boolean; error: string | null; onCancel(): void; onConfirm(offerId: string): void }) {
  const language = useLanguage();
  const [offerId, setOfferId] = useState(props.current ?? [...props.offers.keys()][0] ?? '');
  return (
    <DialogBody>
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent>
        <Field label={language.texts.contactActions.offer}>
          <Dropdown value={props.offers.get(offerId) ?? offerId} selectedOptions={[offerId]} onOptionSelect={(_event, data) => setOfferId(String(data.optionValue))}>
            {[...props.offers].map(([id, label]) => (
              <Option key={id} value={id}>
                {label}
              </Option>
            ))}
          </Dropdown>
        </Field>
        {props.error && (
          <MessageBar intent="warning" role="alert">
            <MessageBarBody>{props.error}</MessageBarBody>
          </MessageBar>
        )}
      </DialogContent>
      <DialogActions>
        <Button appearance="primary" disabled={props.busy || !offerId || offerId === props.current} onClick={() => props.onConfirm(offerId)}>
          {language.texts.contactActions.offerConfirm}
        </Button>
        <Button onClick={props.onCancel}>{language.texts.cancel}</Button>
      </DialogActions>
    </DialogBody>
  );
}

/** The contact's form (every field of the creation form); a refused field shows its problem under it. */
function ContactFormBodyDialog(props: {
  title: string;
  initial: ContactFormBody;
  busy: boolean;
  error: string | null;
  api: PortfolioApi;
  extra?: React.ReactNode;
  submit(body: ContactFormBody): Promise<void>;
  onCancel(): void;
  run(action: () => Promise<void>): Promise<void>;
}) {
  const language = useLanguage();
  const t = language.texts.contactActions;
  const styles = useContactActionsStyles();
  const [body, setBody] = useState(props.initial);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void props.run(async () => {
      try {
        await props.submit(body);
        setProblems({});
      } catch (failure) {
        if (failure instanceof ApiError && failure.problems.length > 0) setProblems(Object.fromEntries(failure.problems.map((problem) => [problem.field ?? '', problem.message])));
        throw failure;
      }
    });
  };
  return (
    <form onSubmit={onSubmit}>
      <DialogBody>
        <DialogTitle>{props.title}</DialogTitle>
        <DialogContent>
          <div className={styles.form}>
            {formFields.map((field) => (
              <Field key={field} label={t.fields[field]} required={field === 'lastName' || field === 'mobile' || field === 'email'} validationMessage={problems[field]} className={field === 'email' ? styles.wide : undefined}>
                <Input value={body[field]} onChange={(_event, data) => setBody({ ...body, [field]: data.value })} type={field === 'email' ? 'email' : 'text'} />
              </Field>
            ))}
            {props.extra}
          </div>
          {props.error && (
            <MessageBar intent="warning" role="alert">
              <MessageBarBody>{props.error}</MessageBarBody>
            </MessageBar>
          )}
        </DialogContent>
        <DialogActions>
          <Button appearance="primary" type="submit" disabled={props.busy}>
            {t.save}
          </Button>
          <Button onClick={props.onCancel}>{language.texts.cancel}</Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}

/** « Ajouter un interlocuteur » and « Lier un interlocuteur existant » on the client's page. */
export function AddContact({ api, client, onDone }: { api: PortfolioApi; client: PortfolioClientView; onDone(message: string): void }) {
  const language = useLanguage();
  const t = language.texts.contactActions;
  const styles = useContactActionsStyles();
  const [mode, setMode] = useState<'new' | 'link' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [primary, setPrimary] = useState(false);
  const [email, setEmail] = useState('');
  const [requestId] = useState(() => crypto.randomUUID());
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const close = (message?: string) => {
    setMode(null);
    if (message) onDone(message);
  };
  const primarySwitch = <Switch className={styles.wide} checked={primary} onChange={(_event, data) => setPrimary(data.checked)} label={t.primary} />;
  return (
    <div className={styles.toolbar}>
      <Button size="small" icon={<PersonAddRegular />} onClick={() => setMode('new')}>
        {t.add}
      </Button>
      <Button size="small" onClick={() => setMode('link')}>
        {t.link}
      </Button>
      <Dialog open={mode !== null} onOpenChange={(_event, data) => !data.open && close()}>
        <DialogSurface aria-label={mode === 'new' ? t.add : t.link}>
          {mode === 'new' && (
            <ContactFormBodyDialog
              title={format(t.addTitle, { code: client.code })}
              initial={formOf()}
              busy={busy}
              error={error}
              api={api}
              extra={primarySwitch}
              submit={async (body) => {
                await api.addContact(client.id, { ...body, requestId, primary });
                close(format(t.added, { name: [body.firstName, body.lastName].filter(Boolean).join(' ') }));
              }}
              onCancel={() => close()}
              run={run}
            />
          )}
          {mode === 'link' && (
            <DialogBody>
              <DialogTitle>{format(t.linkTitle, { code: client.code })}</DialogTitle>
              <DialogContent className={styles.lines}>
                <Field label={t.fields.email} required>
                  <Input type="email" value={email} onChange={(_event, data) => setEmail(data.value)} />
                </Field>
                {primarySwitch}
                {error && (
                  <MessageBar intent="warning" role="alert">
                    <MessageBarBody>{error}</MessageBarBody>
                  </MessageBar>
                )}
              </DialogContent>
              <DialogActions>
                <Button appearance="primary" disabled={busy} onClick={() => run(async () => { await api.linkContact(client.id, email, primary); close(format(t.linked, { email })); })}>
                  {t.linkConfirm}
                </Button>
                <Button onClick={() => close()}>{language.texts.cancel}</Button>
              </DialogActions>
            </DialogBody>
          )}
        </DialogSurface>
      </Dialog>
    </div>
  );
}
