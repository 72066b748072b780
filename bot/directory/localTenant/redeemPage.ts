/** The small French pages a guest sees when opening a redeem link of the local tenant. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: "Segoe UI", system-ui, sans-serif; margin: 0; background: #f5f5f5; color: #242424; }
  main { max-width: 48rem; margin: 10vh auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 2px 8px rgba(0,0,0,.12); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  a { color: #5b5fc7; }
  small { color: #616161; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .4rem; border-bottom: 1px solid #e0e0e0; vertical-align: top; }
</style>
</head>
<body><main>${body}</main></body>
</html>
`;
}

export function acceptedPage(displayName: string, redirectUrl: string): string {
  return page(
    'Invitation acceptée',
    `<h1>Invitation acceptée – vous pouvez ouvrir Microsoft Teams</h1>
<p>Bonjour ${escapeHtml(displayName)}, votre accès invité au cabinet est actif.</p>
<p><a href="${escapeHtml(redirectUrl)}">Ouvrir Microsoft Teams</a></p>
<p><small>Tenant local de développement : aucune connexion Microsoft n’a eu lieu.</small></p>`,
  );
}

export function unknownLinkPage(): string {
  return page(
    'Lien d’invitation invalide',
    `<h1>Lien d’invitation invalide ou expiré</h1>
<p>Demandez au cabinet de vous envoyer une nouvelle invitation.</p>`,
  );
}

export function blockedPage(): string {
  return page(
    'Accès bloqué',
    `<h1>Accès bloqué</h1>
<p>Le cabinet a suspendu votre accès invité. Contactez votre interlocuteur au cabinet.</p>`,
  );
}

/** The local inbox: what each invited guest would find in their mailbox, with the link to accept. */
export function inboxPage(
  entries: { email: string; displayName: string; state: string; sentAt: string; redeemUrl: string }[],
  mails: { from: string; to: string[]; subject: string; body: string; sentAt: string }[] = [],
): string {
  const rows = entries
    .map(
      (entry) => `<tr><td>${escapeHtml(entry.displayName)}<br><small>${escapeHtml(entry.email)}</small></td><td>${escapeHtml(entry.sentAt)}</td>
<td>${entry.state === 'Accepted' ? 'Acceptée' : 'En attente'}</td><td>${entry.state === 'Accepted' ? '' : `<a href="${escapeHtml(entry.redeemUrl)}">Accepter l’invitation</a>`}</td></tr>`,
    )
    .join('\n');
  return page(
    'Invitations du tenant local',
    `<h1>Invitations du tenant local</h1>
<p>Ce que chaque invité recevrait par e-mail de Microsoft. Ouvrez un lien pour jouer le client qui accepte.</p>
${entries.length === 0 ? '<p>Aucune invitation pour l’instant.</p>' : `<table><thead><tr><th>Invité</th><th>Envoyée le</th><th>État</th><th></th></tr></thead><tbody>${rows}</tbody></table>`}
${mails.length ? `<h2>E-mails envoyés par le cabinet</h2>${mails.map((mail) => `<article><p><strong>${escapeHtml(mail.subject)}</strong><br><small>${escapeHtml(mail.sentAt)} · de ${escapeHtml(mail.from)} à ${escapeHtml(mail.to.join(', '))}</small></p><pre style="white-space: pre-wrap">${escapeHtml(mail.body)}</pre></article>`).join('')}` : ''}
<p><small>Tenant local de développement : aucun e-mail n’est réellement envoyé.</small></p>`,
  );
}
