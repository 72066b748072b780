import type { ArticleContent } from './article.js';

/**
 * The articles every firm starts with, in Passerelle's own words, from the procedures the firms
 * followed by hand (seeds 000 to 004). Each has a stable key: a firm gets each one once, and what its
 * editors then change or archive stays theirs.
 */
export interface StarterArticle {
  key: string;
  content: ArticleContent;
}

const fr = (key: string, content: Omit<ArticleContent, 'language'>): StarterArticle => ({ key: `${key}.fr`, content: { ...content, language: 'fr' } });
const en = (key: string, content: Omit<ArticleContent, 'language'>): StarterArticle => ({ key: `${key}.en`, content: { ...content, language: 'en' } });

export const starterArticles: readonly StarterArticle[] = [
  fr('offers', {
    title: 'Les trois offres collaboratives : Start, Consultation et Co-production',
    product: 'loop',
    domain: 'offers',
    audience: 'both',
    keywords: ['offre', 'Start', 'Consultation', 'Co-production', 'abonnement', 'gratuit', 'payant', 'GED', 'dossier comptable'],
    body: [
      'Le cabinet propose à chaque interlocuteur d’un dossier client un service collaboratif, au choix parmi trois offres.',
      '**Start** (gratuite) : le chef d’entreprise consulte l’espace documentaire (GED), y dépose ses pièces et voit le tableau de bord de l’application mobile. Il n’a pas accès au dossier comptable. Après l’activation, le widget Start du tableau de bord du dossier est initialisé.',
      '**Consultation** (abonnement payant) : il lit son dossier comptable, en lecture seule, sans rien pouvoir modifier.',
      '**Co-production** (abonnement payant) : il tient tout ou partie de sa comptabilité avec les modules que le cabinet autorise. La révision de fin d’exercice et la liasse fiscale restent au cabinet.',
      'Plusieurs offres peuvent être proposées sur un même dossier, à plusieurs interlocuteurs. Dans Passerelle, écrivez « proposer <e-mail> » ou ouvrez la fiche de l’interlocuteur : le client reçoit une carte qui lui dit ce qu’il a et ce qu’il doit faire ensuite.',
    ].join('\n\n'),
  }),
  en('offers', {
    title: 'The three collaborative offers: Start, Consultation and Co-production',
    product: 'loop',
    domain: 'offers',
    audience: 'both',
    keywords: ['offer', 'Start', 'Consultation', 'Co-production', 'subscription', 'free', 'paid', 'documents', 'accounting file'],
    body: [
      'The firm offers each contact of a client file a collaborative service, one of three offers.',
      '**Start** (free): the business owner views the document space, uploads documents and sees the mobile app’s dashboard. They have no access to the accounting file. Once activated, the file’s Start dashboard widget is initialised.',
      '**Consultation** (paid subscription): they read their accounting file, read-only, without changing anything.',
      '**Co-production** (paid subscription): they keep all or part of their books with the modules the firm allows. The year-end review and the tax return stay with the firm.',
      'Several offers can be proposed on one client file, to several contacts. In Passerelle, type “propose <e-mail>” or open the contact: the client receives a card telling them what they have and what to do next.',
    ].join('\n\n'),
  }),
  fr('microsoftAccount', {
    title: 'Le compte Microsoft du client et son invitation dans le tenant du cabinet',
    product: 'microsoft365',
    domain: 'accounts',
    audience: 'staff',
    keywords: ['compte Microsoft', 'invité', 'invitation', 'tenant', 'Entra ID', 'Azure Active Directory', 'adresse e-mail', 'Teams', 'identifiant'],
    body: [
      'Pour se connecter, le client utilise un compte Microsoft. Son adresse e-mail doit être la même partout : celle de la fiche interlocuteur, celle du compte Microsoft et celle de l’invité dans le tenant Microsoft 365 du cabinet.',
      'Passerelle invite le client comme invité (B2B) du tenant du cabinet : écrivez « inviter <e-mail> », ou « inviter tous » pour plusieurs interlocuteurs. Passerelle cherche d’abord la personne dans l’annuaire et n’envoie une invitation que si elle n’y est pas.',
      'Le client reçoit l’e-mail d’invitation de Microsoft et doit l’accepter. S’il n’a pas encore de compte Microsoft pour cette adresse, il le crée au moment d’accepter. Passerelle suit l’acceptation et l’ajoute ensuite à l’équipe Teams de son dossier.',
      'Les anciens identifiants Start de la forme prenom.nom@onloop.onmicrosoft.com sont à remplacer par l’adresse du client : la commande « anciens accès » les liste.',
    ].join('\n\n'),
  }),
  en('microsoftAccount', {
    title: 'The client’s Microsoft account and their invitation to the firm’s tenant',
    product: 'microsoft365',
    domain: 'accounts',
    audience: 'staff',
    keywords: ['Microsoft account', 'guest', 'invitation', 'invite', 'tenant', 'Entra ID', 'Azure Active Directory', 'e-mail address', 'Teams', 'sign-in'],
    body: [
      'To sign in, the client uses a Microsoft account. Their e-mail address must be the same everywhere: the contact record’s, the Microsoft account’s and the guest’s in the firm’s Microsoft 365 tenant.',
      'Passerelle invites the client as a (B2B) guest of the firm’s tenant: type “invite <e-mail>”, or “invite all” for several contacts. Passerelle first looks the person up in the directory and only sends an invitation when they are not there.',
      'The client receives Microsoft’s invitation e-mail and must accept it. Without a Microsoft account for that address, they create one while accepting. Passerelle follows the acceptance, then adds them to their client file’s Teams team.',
      'Old Start identifiers such as firstname.lastname@onloop.onmicrosoft.com are to be replaced by the client’s own address: the “legacy accesses” command lists them.',
    ].join('\n\n'),
  }),
  fr('acceptInvitation', {
    title: 'Accepter l’invitation de votre cabinet',
    product: 'microsoft365',
    domain: 'accounts',
    audience: 'clients',
    keywords: ['accepter', 'invitation', 'e-mail', 'compte Microsoft', 'se connecter', 'connexion', 'mot de passe', 'Teams'],
    body: [
      'Votre cabinet vous a invité à collaborer dans son espace Microsoft 365. Vous recevez un e-mail de Microsoft (invitations@microsoft.com) : ouvrez-le et choisissez « Accepter l’invitation ».',
      'Connectez-vous avec l’adresse e-mail à laquelle l’invitation est arrivée : c’est celle que votre cabinet a enregistrée.',
      '- Vous avez déjà un compte Microsoft avec cette adresse : saisissez votre mot de passe habituel.',
      '- Vous n’en avez pas encore : Microsoft vous propose d’en créer un pour cette adresse ; suivez les étapes, puis revenez à l’invitation.',
      'Acceptez ensuite les autorisations demandées. Votre cabinet est prévenu de votre acceptation et vous ajoute à votre équipe Teams, où vous retrouvez les informations de votre dossier. L’e-mail n’est pas arrivé ? Regardez dans les courriers indésirables, puis demandez à votre cabinet de vous renvoyer l’invitation.',
    ].join('\n'),
  }),
  en('acceptInvitation', {
    title: 'Accepting your firm’s invitation',
    product: 'microsoft365',
    domain: 'accounts',
    audience: 'clients',
    keywords: ['accept', 'invitation', 'e-mail', 'Microsoft account', 'sign in', 'password', 'Teams'],
    body: [
      'Your accounting firm has invited you to work together in its Microsoft 365 space. You receive an e-mail from Microsoft (invitations@microsoft.com): open it and choose “Accept invitation”.',
      'Sign in with the e-mail address the invitation was sent to: the one your firm has on record.',
      '- You already have a Microsoft account with that address: type your usual password.',
      '- You do not have one yet: Microsoft offers to create one for that address; follow the steps, then come back to the invitation.',
      'Then accept the permissions asked for. Your firm is told you accepted and adds you to your Teams team, where you find the news about your file. No e-mail? Look in your junk mail, then ask your firm to send the invitation again.',
    ].join('\n'),
  }),
  fr('flowSteps', {
    title: 'Mettre en route Flow pour un client : les cinq étapes',
    product: 'flow',
    domain: 'activation',
    audience: 'staff',
    keywords: ['Flow', 'mise en route', 'étapes', 'autoriser', 'paramétrage', 'DSP2', 'protocole bancaire', 'activer'],
    body: [
      'Flow s’ouvre à un client en cinq étapes, que la commande « flow <code dossier> » suit dossier par dossier :',
      '1. **Autoriser l’application Flow** dans l’organisation Microsoft du cabinet (une fois pour le cabinet).',
      '2. **Vérifier le paramétrage du dossier comptable** du client.',
      '3. **Inviter chaque utilisateur du client** comme invité du tenant : Passerelle cherche d’abord dans l’annuaire et n’invite que les absents (nom, e-mail, message personnel facultatif). Chacun doit accepter l’e-mail de Microsoft.',
      '4. **Activer Flow pour le dossier** dans Cegid Loop.',
      '5. **Activer DSP2**, le protocole bancaire, pour que les flux bancaires arrivent.',
      'Prévenez le client avant de commencer : il reçoit des messages automatiques pendant la procédure.',
    ].join('\n'),
  }),
  en('flowSteps', {
    title: 'Setting up Flow for a client: the five steps',
    product: 'flow',
    domain: 'activation',
    audience: 'staff',
    keywords: ['Flow', 'setup', 'steps', 'authorise', 'settings', 'DSP2', 'PSD2', 'bank protocol', 'activate'],
    body: [
      'Flow opens to a client in five steps, which the “flow <file code>” command follows file by file:',
      '1. **Authorise the Flow app** in the firm’s Microsoft organisation (once for the firm).',
      '2. **Check the accounting file settings** of the client.',
      '3. **Invite each of the client’s users** as a guest of the tenant: Passerelle first searches the directory and only invites those absent (name, e-mail, optional personal message). Each must accept Microsoft’s e-mail.',
      '4. **Activate Flow for the file** in Cegid Loop.',
      '5. **Activate DSP2** (PSD2), the bank protocol, so that bank feeds arrive.',
      'Tell the client before you start: they receive automatic messages during the procedure.',
    ].join('\n'),
  }),
  fr('shineActivation', {
    title: 'Activer la facturation Shine pour un client',
    product: 'shine',
    domain: 'activation',
    audience: 'staff',
    keywords: ['Shine', 'facturation', 'activer', 'activation', 'achats', 'ventes', 'mode de facturation', 'formule', 'Easy', 'Plus', 'e-mail'],
    body: [
      'Shine s’active dossier par dossier, pour les **achats**, les **ventes** ou les deux : écrivez « shine <code dossier> » ou utilisez la colonne Achat ou Vente du portefeuille.',
      '1. Choisissez le **mode de facturation** : Shine facture le client, ou le cabinet le refacture lui-même.',
      '2. Choisissez la **formule** : Easy, Start ou Plus.',
      '3. Relisez l’**e-mail de présentation** préparé pour le client, modifiez-le si besoin, puis envoyez-le depuis la boîte du cabinet (ou depuis une adresse sans réponse).',
      'Le client valide ensuite son compte Shine en toute autonomie. Depuis le portefeuille, chaque collaborateur peut ouvrir le Shine d’un client sans s’y ajouter comme utilisateur.',
    ].join('\n'),
  }),
  en('shineActivation', {
    title: 'Activating Shine invoicing for a client',
    product: 'shine',
    domain: 'activation',
    audience: 'staff',
    keywords: ['Shine', 'invoicing', 'activate', 'activation', 'purchases', 'sales', 'billing mode', 'plan', 'Easy', 'Plus', 'e-mail'],
    body: [
      'Shine is activated file by file, for **purchases**, **sales** or both: type “shine <file code>” or use the Purchases or Sales column of the portfolio.',
      '1. Choose the **billing mode**: Shine bills the client, or the firm re-bills the client itself.',
      '2. Choose the **plan**: Easy, Start or Plus.',
      '3. Read the **introduction e-mail** prepared for the client, edit it if needed, then send it from the firm’s mailbox (or from a no-reply address).',
      'The client then validates their Shine account on their own. From the portfolio, any member of staff can open a client’s Shine without being added as a user.',
    ].join('\n'),
  }),
  fr('shinePrerequisites', {
    title: 'Shine : les prérequis (contact principal, SIRET, une adresse par compte)',
    product: 'shine',
    domain: 'activation',
    audience: 'staff',
    keywords: ['Shine', 'prérequis', 'contact principal', 'SIRET', 'obligatoire', 'alias', 'adresse e-mail', 'plusieurs entreprises'],
    body: [
      'Avant d’activer Shine, le dossier doit avoir :',
      '- un **contact principal** : ouvrez le dossier et cochez « principal » sur l’interlocuteur qui recevra Shine (ou ajoutez-le) ;',
      '- un **SIRET valide** : « Le SIRET est obligatoire pour inviter la TPE ».',
      'Un compte Shine correspond à **une seule adresse e-mail**. Un dirigeant de plusieurs entreprises reçoit une adresse alias par compte supplémentaire : client+alias1@entreprise.com, client+alias2@entreprise.com (n’oubliez pas le « + »). Tous les e-mails arrivent dans sa boîte principale ; il se connecte à chaque compte avec l’adresse correspondante. Passerelle propose l’alias quand l’adresse a déjà un compte.',
      'Pour tester Shine, le cabinet peut ouvrir gratuitement une formule Easy, avec une adresse qui ne sert pas déjà à se connecter aux outils Cegid.',
    ].join('\n'),
  }),
  en('shinePrerequisites', {
    title: 'Shine: the prerequisites (primary contact, SIRET, one address per account)',
    product: 'shine',
    domain: 'activation',
    audience: 'staff',
    keywords: ['Shine', 'prerequisites', 'requirements', 'primary contact', 'SIRET', 'required', 'alias', 'e-mail address', 'several companies'],
    body: [
      'Before activating Shine, the client file needs:',
      '- a **primary contact**: open the file and tick “primary” on the contact who will get Shine (or add one);',
      '- a **valid SIRET**: “The SIRET is required to invite the business”.',
      'A Shine account belongs to **one e-mail address only**. An owner of several companies gets an alias address per extra account: client+alias1@company.com, client+alias2@company.com (do not forget the “+”). All e-mails reach the main mailbox; they sign in to each account with its own address. Passerelle proposes the alias when the address already has an account.',
      'To try Shine, the firm can open a free Easy plan, with an address not already used to sign in to Cegid tools.',
    ].join('\n'),
  }),
  fr('structures', {
    title: 'Structures, services, gestionnaire principal et profils',
    product: 'passerelle',
    domain: 'organisation',
    audience: 'staff',
    keywords: ['structure', 'service', 'gestionnaire principal', 'profil', 'habilitation', 'rattacher', 'détacher', 'approbation', 'demande', 'transférer'],
    body: [
      'Un **utilisateur** est une personne du cabinet ; il est rattaché à une ou plusieurs **structures**, éventuellement à certains **services** seulement (les services servent à répartir les dossiers).',
      'Un **profil** est une application avec un niveau : consultation ou modification (par exemple « Offres – consultation »). L’**habilitation** d’un utilisateur est l’ensemble de ses profils : « mes droits » les affiche, « demander profil » en demande un de plus.',
      'Chaque structure a un seul **gestionnaire principal** : par défaut le premier utilisateur rattaché. Il rattache (« rattacher <e-mail> ») et détache les utilisateurs (un commentaire est obligatoire), modifie leurs profils et approuve ou refuse les demandes (« demandes », avec un motif en cas de refus). Il peut confier le profil « Organisation – modification » à d’autres administrateurs.',
      'Avant de partir, le gestionnaire principal **transfère son rôle** (« transférer gestionnaire <e-mail> ») : sinon plus personne n’approuve les demandes.',
    ].join('\n\n'),
  }),
  en('structures', {
    title: 'Structures, services, the main manager and profiles',
    product: 'passerelle',
    domain: 'organisation',
    audience: 'staff',
    keywords: ['structure', 'service', 'main manager', 'profile', 'permissions', 'attach', 'detach', 'approval', 'request', 'hand over'],
    body: [
      'A **user** is a person of the firm; they are attached to one or more **structures**, possibly to some **services** only (services split the client files between teams).',
      'A **profile** is an application with a level: consultation or modification (for example “Offers – consultation”). A user’s **permissions** are the set of their profiles: “my rights” shows them, “request profile” asks for one more.',
      'Each structure has exactly one **main manager**: by default the first user attached. They attach (“attach <e-mail>”) and detach users (a comment is required), change their profiles and approve or refuse requests (“requests”, with a reason when refusing). They can give the “Organisation – modification” profile to other administrators.',
      'Before leaving, the main manager **hands over the role** (“hand over main manager <e-mail>”): otherwise nobody approves requests any more.',
    ].join('\n\n'),
  }),
  fr('askForHelp', {
    title: 'Obtenir de l’aide : chercher un article ou faire une demande au support',
    product: 'passerelle',
    domain: 'support',
    audience: 'both',
    keywords: ['aide', 'support', 'assistance', 'chercher', 'recherche', 'article', 'demande', 'ticket', 'question'],
    body: [
      'Écrivez **« aide »** suivi de quelques mots, par exemple « aide inviter un client » ou « aide Shine SIRET » : Passerelle cherche dans la base de connaissances du cabinet, quels que soient les accents, le pluriel ou la forme du verbe, et affiche les meilleurs articles. Filtrez par produit ou par domaine, puis ouvrez l’article.',
      'Dites-nous si l’article vous a aidé (« Oui » / « Non ») : le cabinet améliore ainsi ses articles.',
      'Vous ne trouvez pas la réponse ? Faites une **demande au support** : décrivez le problème (catégorie, titre, description, pièces jointes). Vous suivez ensuite votre demande jusqu’à sa résolution, et acceptez ou refusez la solution proposée.',
      '« aide » seul affiche la liste des commandes.',
    ].join('\n\n'),
  }),
  en('askForHelp', {
    title: 'Getting help: search for an article or ask the support',
    product: 'passerelle',
    domain: 'support',
    audience: 'both',
    keywords: ['help', 'support', 'assistance', 'search', 'article', 'request', 'ticket', 'question'],
    body: [
      'Type **“help”** followed by a few words, for example “help invite a client” or “help Shine SIRET”: Passerelle searches the firm’s knowledge base, whatever the accents, plurals or verb forms, and shows the best articles. Filter by product or domain, then open the article.',
      'Tell us whether the article helped you (“Yes” / “No”): that is how the firm improves its articles.',
      'No answer there? Send a **request to the support**: describe the problem (category, title, description, attachments). You then follow your request until it is solved, and accept or refuse the solution proposed.',
      '“help” alone lists the commands.',
    ].join('\n\n'),
  }),
];
