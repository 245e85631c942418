// Account messages: the verification and reset links (English and German), and the security
// notices (a new-device sign-in in both languages too). Links carry the single-use token from the
// auth event; it is escaped like any value.
import type {
  AuthAccountLockedV1,
  AuthEmailVerificationRequestedV1,
  AuthNewDeviceSignedInV1,
  AuthPasswordChangedV1,
  AuthPasswordResetRequestedV1,
  AuthRegistrationRepeatedV1,
  EventData,
} from '@shopnow/contracts';
import { html } from '../domain/escape.ts';
import { formatInstant } from '../domain/format.ts';
import { button, page } from './layout.ts';
import type { Template } from './types.ts';

type TokenParams = EventData<typeof AuthEmailVerificationRequestedV1>;

export const verifyEmail: Template<TokenParams> = {
  en: (p, ctx) => {
    const link = ctx.links.verifyEmail(p.token);
    const until = formatInstant(p.expiresAt, ctx.locale);
    return page(
      {
        language: 'en',
        subject: 'Confirm your email address',
        body: html`<p>Please confirm that ${p.email} is your email address.</p>
${button(link, 'Confirm my email')}
<p>Or open this link: <a href="${link}">${link}</a></p>
<p>The link works once, until ${until} (UTC). If you did not create a ShopNow account, ignore this email.</p>`,
        text: `Please confirm that ${p.email} is your email address by opening this link:\n\n${link}\n\nThe link works once, until ${until} (UTC). If you did not create a ShopNow account, ignore this email.`,
        inbox: { title: 'Confirm your email address', body: `Confirm ${p.email}.`, link: null },
      },
      ctx,
    );
  },
  de: (p, ctx) => {
    const link = ctx.links.verifyEmail(p.token);
    const until = formatInstant(p.expiresAt, ctx.locale);
    return page(
      {
        language: 'de',
        subject: 'Bestätigen Sie Ihre E-Mail-Adresse',
        body: html`<p>Bitte bestätigen Sie, dass ${p.email} Ihre E-Mail-Adresse ist.</p>
${button(link, 'E-Mail bestätigen')}
<p>Oder öffnen Sie diesen Link: <a href="${link}">${link}</a></p>
<p>Der Link gilt einmal, bis ${until} (UTC). Wenn Sie kein ShopNow-Konto angelegt haben, ignorieren Sie diese E-Mail.</p>`,
        text: `Bitte bestätigen Sie, dass ${p.email} Ihre E-Mail-Adresse ist, mit diesem Link:\n\n${link}\n\nDer Link gilt einmal, bis ${until} (UTC). Wenn Sie kein ShopNow-Konto angelegt haben, ignorieren Sie diese E-Mail.`,
        inbox: { title: 'E-Mail-Adresse bestätigen', body: `Bestätigen Sie ${p.email}.`, link: null },
      },
      ctx,
    );
  },
};

export const passwordReset: Template<EventData<typeof AuthPasswordResetRequestedV1>> = {
  en: (p, ctx) => {
    const link = ctx.links.resetPassword(p.token);
    const until = formatInstant(p.expiresAt, ctx.locale);
    return page(
      {
        language: 'en',
        subject: 'Reset your ShopNow password',
        body: html`<p>Someone asked to reset the password of the ShopNow account ${p.email}.</p>
${button(link, 'Choose a new password')}
<p>Or open this link: <a href="${link}">${link}</a></p>
<p>The link works once, until ${until} (UTC). If it was not you, ignore this email: your password stays as it is.</p>`,
        text: `Someone asked to reset the password of the ShopNow account ${p.email}. Choose a new password here:\n\n${link}\n\nThe link works once, until ${until} (UTC). If it was not you, ignore this email: your password stays as it is.`,
        inbox: { title: 'Password reset requested', body: 'A password reset link was sent.', link: null },
      },
      ctx,
    );
  },
  de: (p, ctx) => {
    const link = ctx.links.resetPassword(p.token);
    const until = formatInstant(p.expiresAt, ctx.locale);
    return page(
      {
        language: 'de',
        subject: 'Setzen Sie Ihr ShopNow-Passwort zurück',
        body: html`<p>Jemand hat verlangt, das Passwort des ShopNow-Kontos ${p.email} zurückzusetzen.</p>
${button(link, 'Neues Passwort wählen')}
<p>Oder öffnen Sie diesen Link: <a href="${link}">${link}</a></p>
<p>Der Link gilt einmal, bis ${until} (UTC). Waren Sie es nicht, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.</p>`,
        text: `Jemand hat verlangt, das Passwort des ShopNow-Kontos ${p.email} zurückzusetzen. Wählen Sie hier ein neues Passwort:\n\n${link}\n\nDer Link gilt einmal, bis ${until} (UTC). Waren Sie es nicht, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.`,
        inbox: { title: 'Passwort-Zurücksetzung angefordert', body: 'Ein Link wurde gesendet.', link: null },
      },
      ctx,
    );
  },
};

export const accountLocked: Template<EventData<typeof AuthAccountLockedV1>> = {
  en: (p, ctx) => {
    const until = formatInstant(p.lockedUntil, ctx.locale);
    const reset = ctx.links.forgotPassword();
    return page(
      {
        language: 'en',
        subject: 'Your ShopNow account was locked',
        body: html`<p>After ${p.failedAttempts} failed sign-in attempts, sign-ins to ${p.email} are blocked until ${until} (UTC).</p>
<p>If these attempts were not yours, someone may be guessing your password: once the lock ends, choose a new one (<a href="${reset}">reset your password</a>).</p>`,
        text: `After ${p.failedAttempts} failed sign-in attempts, sign-ins to ${p.email} are blocked until ${until} (UTC).\n\nIf these attempts were not yours, someone may be guessing your password: once the lock ends, choose a new one at ${reset}`,
        inbox: { title: 'Account locked', body: `Sign-ins are blocked until ${until} (UTC).`, link: null },
      },
      ctx,
    );
  },
};

export const registrationRepeated: Template<EventData<typeof AuthRegistrationRepeatedV1>> = {
  en: (p, ctx) => {
    const reset = ctx.links.forgotPassword();
    return page(
      {
        language: 'en',
        subject: 'Someone tried to sign up with your email',
        body: html`<p>Someone tried to create a ShopNow account with ${p.email}, which already has one: nothing was changed.</p>
<p>If it was you, sign in instead, or <a href="${reset}">reset your password</a> if you forgot it. If it was not you, you need to do nothing.</p>`,
        text: `Someone tried to create a ShopNow account with ${p.email}, which already has one: nothing was changed.\n\nIf it was you, sign in instead, or reset your password at ${reset} if you forgot it. If it was not you, you need to do nothing.`,
        inbox: { title: 'Sign-up attempt', body: 'Someone tried to sign up with your email.', link: null },
      },
      ctx,
    );
  },
};

export const passwordChanged: Template<EventData<typeof AuthPasswordChangedV1>> = {
  en: (p, ctx) => {
    const how = p.via === 'reset' ? 'with a reset link' : 'from your account settings';
    const reset = ctx.links.forgotPassword();
    return page(
      {
        language: 'en',
        subject: 'Your ShopNow password was changed',
        body: html`<p>The password of ${p.email} was changed ${how}. Every device was signed out.</p>
<p>If you did not do this, <a href="${reset}">reset your password</a> at once.</p>`,
        text: `The password of ${p.email} was changed ${how}. Every device was signed out.\n\nIf you did not do this, reset your password at once: ${reset}`,
        inbox: { title: 'Password changed', body: 'Your password was changed.', link: null },
      },
      ctx,
    );
  },
};

type NewDeviceParams = EventData<typeof AuthNewDeviceSignedInV1>;

/**
 * A sign-in from a device the account had not used: what auth knows of it (a label such as
 * "Firefox on Linux", in English as auth writes it; the network, not the address), and the way out.
 */
export const newDeviceSignin: Template<NewDeviceParams> = {
  en: (p, ctx) => {
    const at = formatInstant(p.signedInAt, ctx.locale);
    const network = p.ipPrefix ?? 'unknown';
    const reset = ctx.links.forgotPassword();
    return page(
      {
        language: 'en',
        subject: 'New sign-in to your ShopNow account',
        body: html`<p>Your ShopNow account ${p.email} was just signed in to from a device it had not been used on before:</p>
<ul>
<li>Device: ${p.device}</li>
<li>Network: ${network} (roughly where the sign-in came from, not the exact address)</li>
<li>Time: ${at} (UTC)</li>
</ul>
<p>If this was you, there is nothing to do.</p>
<p>If this wasn't you: <a href="${reset}">reset your password</a>. A new password signs every device out.</p>`,
        text: `Your ShopNow account ${p.email} was just signed in to from a device it had not been used on before:\n\nDevice: ${p.device}\nNetwork: ${network} (roughly where the sign-in came from, not the exact address)\nTime: ${at} (UTC)\n\nIf this was you, there is nothing to do.\n\nIf this wasn't you: reset your password at ${reset}\nA new password signs every device out.`,
        inbox: { title: 'New sign-in', body: `${p.device}, ${at} (UTC)`, link: null },
      },
      ctx,
    );
  },
  de: (p, ctx) => {
    const at = formatInstant(p.signedInAt, ctx.locale);
    const network = p.ipPrefix ?? 'unbekannt';
    const reset = ctx.links.forgotPassword();
    return page(
      {
        language: 'de',
        subject: 'Neue Anmeldung bei Ihrem ShopNow-Konto',
        body: html`<p>Bei Ihrem ShopNow-Konto ${p.email} hat sich soeben jemand von einem Gerät angemeldet, das bisher nicht dafür verwendet wurde:</p>
<ul>
<li>Gerät: ${p.device}</li>
<li>Netz: ${network} (ungefähr, woher die Anmeldung kam, nicht die genaue Adresse)</li>
<li>Zeit: ${at} (UTC)</li>
</ul>
<p>Waren Sie das, ist nichts zu tun.</p>
<p>Waren Sie das nicht: <a href="${reset}">Setzen Sie Ihr Passwort zurück</a>. Ein neues Passwort meldet alle Geräte ab.</p>`,
        text: `Bei Ihrem ShopNow-Konto ${p.email} hat sich soeben jemand von einem Gerät angemeldet, das bisher nicht dafür verwendet wurde:\n\nGerät: ${p.device}\nNetz: ${network} (ungefähr, woher die Anmeldung kam, nicht die genaue Adresse)\nZeit: ${at} (UTC)\n\nWaren Sie das, ist nichts zu tun.\n\nWaren Sie das nicht: Setzen Sie Ihr Passwort zurück: ${reset}\nEin neues Passwort meldet alle Geräte ab.`,
        inbox: { title: 'Neue Anmeldung', body: `${p.device}, ${at} (UTC)`, link: null },
      },
      ctx,
    );
  },
};
