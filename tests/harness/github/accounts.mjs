// The GitHub stand-in's registered OAuth apps, its user accounts (made up from the login name) and
// GitHub's scope rules. See standin.mjs for the contract these implement.

import { createHash } from 'node:crypto';

/**
 * OAuth apps registered with the stand-in. A GitHub OAuth app has exactly one "Authorization
 * callback URL"; a redirect_uri may name it or a subdirectory of it, and for a loopback callback any
 * port (docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#redirect-urls,
 * "Loopback redirect urls"). So http://127.0.0.1/callback admits http://127.0.0.1:<port>/callback/github,
 * /callback/cli, /callback/test, ...
 */
export const kApps = new Map([
  [
    'Ov23liLatchkeyTest01',
    {
      clientId: 'Ov23liLatchkeyTest01',
      clientSecret: 'c0ffee5ec2e7c0ffee5ec2e7c0ffee5ec2e7aa01',
      name: 'Latchkey (test)',
      callbackUrl: 'http://127.0.0.1/callback',
      deviceFlow: true,
    },
  ],
  [
    // Device flow not enabled in its settings: /login/device/code answers device_flow_disabled.
    'Ov23liLatchkeyNoDev1',
    {
      clientId: 'Ov23liLatchkeyNoDev1',
      clientSecret: 'c0ffee5ec2e7c0ffee5ec2e7c0ffee5ec2e7aa02',
      name: 'Latchkey (test, no device flow)',
      callbackUrl: 'http://127.0.0.1/callback',
      deviceFlow: false,
    },
  ],
]);

// GitHub login names: alphanumerics and single inner hyphens, at most 39 characters.
const kLoginPattern = /^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$/;

export function isValidLogin(login) {
  return typeof login === 'string' && kLoginPattern.test(login);
}

/** A stable positive numeric id for a login (GitHub logins are case-insensitive). */
export function userIdOf(login) {
  const digest = createHash('sha256').update(login.toLowerCase()).digest();
  return 1_000_000 + (digest.readUInt32BE(0) % 90_000_000);
}

/**
 * The account behind a login name:
 *   <login>                primary <login>@users.example.com, verified, public (the profile's email)
 *   private-<name>         same address, verified, but not public: /user has "email": null
 *   noemail-<name>         no email addresses at all; /user has "email": null
 *   unverified-<name>      primary <login>@users.example.com UNVERIFIED (so not public), plus a
 *                          verified non-primary <login>.verified@users.example.com
 *   unverified-refused-<name>  as unverified-, and the token endpoint refuses it with
 *                          unverified_user_email (documented, see web.mjs)
 */
export function accountOf(login) {
  const lower = login.toLowerCase();
  const primary = `${lower}@users.example.com`;
  let emails;
  let publicEmail = null;
  if (lower.startsWith('noemail-')) {
    emails = [];
  } else if (lower.startsWith('unverified-')) {
    emails = [
      { email: primary, primary: true, verified: false, visibility: 'private' },
      { email: `${lower}.verified@users.example.com`, primary: false, verified: true, visibility: null },
    ];
  } else if (lower.startsWith('private-')) {
    emails = [{ email: primary, primary: true, verified: true, visibility: 'private' }];
  } else {
    emails = [{ email: primary, primary: true, verified: true, visibility: 'public' }];
    publicEmail = primary;
  }
  return {
    login,
    id: userIdOf(login),
    name: login.charAt(0).toUpperCase() + login.slice(1),
    publicEmail,
    emails,
    refusesTokens: lower.startsWith('unverified-refused-'),
  };
}

/** True when a token request for this account is refused: its primary address is unverified. */
export function needsVerifiedEmail(account) {
  return account.refusesTokens && account.emails.some((e) => e.primary && !e.verified);
}

// Scopes that include others ("Normalized scopes" in
// docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps).
const kScopeParents = {
  'repo:status': 'repo',
  repo_deployment: 'repo',
  public_repo: 'repo',
  'repo:invite': 'repo',
  security_events: 'repo',
  'write:repo_hook': 'admin:repo_hook',
  'read:repo_hook': 'admin:repo_hook',
  'write:org': 'admin:org',
  'read:org': 'admin:org',
  'write:public_key': 'admin:public_key',
  'read:public_key': 'admin:public_key',
  'read:user': 'user',
  'user:email': 'user',
  'user:follow': 'user',
  'read:project': 'project',
  'write:gpg_key': 'admin:gpg_key',
  'read:gpg_key': 'admin:gpg_key',
};

/**
 * The scope parameter (space-delimited per the docs; commas are accepted too) as the normalized
 * list GitHub stores: duplicates and scopes implied by another requested one are dropped.
 */
export function normalizeScopes(raw) {
  const requested = [...new Set(String(raw ?? '').split(/[\s,]+/).filter(Boolean))];
  return requested.filter((s) => !(kScopeParents[s] && requested.includes(kScopeParents[s])));
}

/** True when the granted scopes include `scope` directly or through a parent scope. */
export function hasScope(granted, scope) {
  return granted.includes(scope) || (kScopeParents[scope] !== undefined && granted.includes(kScopeParents[scope]));
}
