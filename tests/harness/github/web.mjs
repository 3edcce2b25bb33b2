// The "web" host (github.com's role) of the GitHub stand-in: the web application flow and the
// token endpoint. Behaviour follows docs.github.com; each rule cites the page it comes from:
//   [authorize]   https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
//   [authz-errors] https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-authorization-request-errors
//   [token-errors] https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors
//   [pkce]        https://github.blog/changelog/2025-07-14-pkce-support-for-oauth-and-github-app-authentication
//                 and the code_challenge rows of
//                 https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-user-access-token-for-a-github-app

import { createHash, randomBytes } from 'node:crypto';
import { accountOf, isValidLogin, kApps, needsVerifiedEmail, normalizeScopes } from './accounts.mjs';
import { devicePoll, kDeviceGrantType } from './device.mjs';
import { parseCookies, readParams, redirect, sendHtml, sendOAuth } from './http.mjs';
import { authorizePage, loginPage, messagePage } from './pages.mjs';

const kDocs = 'https://docs.github.com';
const kAuthzErrorsUri = `${kDocs}/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/`;
const kTokenErrorsUri = `${kDocs}/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/`;
const kSessionCookie = 'user_session';
const kLoopbackHosts = new Set(['127.0.0.1', '[::1]', 'localhost']);

// [token-errors]: the documented error bodies (error_uri made absolute, as github.com sends it).
export const kTokenErrors = {
  incorrect_client_credentials: ['The client_id and/or client_secret passed are incorrect.', `${kTokenErrorsUri}#incorrect-client-credentials`],
  redirect_uri_mismatch: [
    'The redirect_uri MUST match the registered callback URL for this application.',
    `${kAuthzErrorsUri}#redirect-uri-mismatch2`,
  ],
  bad_verification_code: ['The code passed is incorrect or expired.', `${kTokenErrorsUri}#bad-verification-code`],
  unverified_user_email: ['The user must have a verified primary email.', `${kTokenErrorsUri}#unverified_user_email`],
  // Not documented by GitHub: the error of a failed PKCE check. RFC 7636 §4.6 names invalid_grant.
  invalid_grant: ['The code_verifier does not match the code_challenge of the authorization request.', `${kDocs}/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps`],
  unsupported_grant_type: ['The grant type is not supported.', `${kDocs}/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#error-codes-for-the-device-flow`],
};

export function sendTokenError(req, res, error, extra = {}) {
  const [description, uri] = kTokenErrors[error];
  sendOAuth(req, res, { error, error_description: description, error_uri: uri, ...extra });
}

function randomHex(bytes) {
  return randomBytes(bytes).toString('hex');
}

const kBase62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** An OAuth app user token: prefix gho_ (docs.github.com/en/rest/apps/oauth-applications) + 36 chars. */
export function newAccessToken() {
  const bytes = randomBytes(36);
  return `gho_${[...bytes].map((b) => kBase62[b % 62]).join('')}`;
}

/**
 * [authorize] "Redirect URLs": the redirect_uri's host and port must match the callback URL and its
 * path must be the callback's path or a subdirectory of it; "Loopback redirect urls": for a loopback
 * callback the port may differ. Returns the parsed URL, or null when it does not qualify.
 */
export function matchRedirect(app, raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const callback = new URL(app.callbackUrl);
  if (url.protocol !== callback.protocol || url.hostname !== callback.hostname || url.hash) return null;
  if (!kLoopbackHosts.has(callback.hostname) && url.port !== callback.port) return null;
  const base = callback.pathname.replace(/\/+$/, '');
  if (url.pathname !== callback.pathname && url.pathname !== base && !url.pathname.startsWith(`${base}/`)) return null;
  return url;
}

function redirectWith(res, target, params) {
  const url = new URL(target);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  redirect(res, url.toString());
}

export function sessionLogin(store, req) {
  const id = parseCookies(req)[kSessionCookie];
  return id ? store.sessions.get(id) : undefined;
}

function grantKey(app, login) {
  return `${app.clientId}\n${login.toLowerCase()}`;
}

export function rememberGrant(store, app, login, scopes) {
  const key = grantKey(app, login);
  store.grants.set(key, normalizeScopes([...(store.grants.get(key) ?? []), ...scopes].join(' ')));
}

// GET /login/oauth/authorize
async function authorize(store, req, res, url) {
  const q = Object.fromEntries(url.searchParams);
  const app = kApps.get(q.client_id ?? '');
  if (!app) {
    // github.com shows its 404 page for an unknown client_id (no redirect: there is no app to trust).
    sendHtml(res, 404, messagePage('Not Found', 'No OAuth app has this client_id.'));
    return;
  }
  let redirectUri = app.callbackUrl;
  if (q.redirect_uri !== undefined) {
    if (!matchRedirect(app, q.redirect_uri)) {
      // [authz-errors] "Redirect URI mismatch": sent to the *registered* callback URL.
      redirectWith(res, app.callbackUrl, {
        error: 'redirect_uri_mismatch',
        error_description: 'The redirect_uri MUST match the registered callback URL for this application.',
        error_uri: `${kAuthzErrorsUri}#redirect-uri-mismatch`,
        state: q.state,
      });
      return;
    }
    redirectUri = q.redirect_uri;
  }
  // [pkce] only S256; code_challenge is "Required if code_challenge_method is included" and is "a 43
  // character SHA-256 hash". GitHub does not document the error; RFC 6749 §4.1.2.1 invalid_request.
  if (q.code_challenge !== undefined || q.code_challenge_method !== undefined) {
    if (q.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(q.code_challenge ?? '')) {
      redirectWith(res, redirectUri, {
        error: 'invalid_request',
        error_description: 'code_challenge must be a 43-character S256 challenge and code_challenge_method must be S256.',
        state: q.state,
      });
      return;
    }
  }
  const id = randomHex(16);
  store.authorizations.set(id, {
    app,
    redirectUri,
    state: q.state,
    // [authorize] "scope: If not provided, scope defaults to an empty list for users that have not
    // authorized any scopes for the application" (and to the authorized ones for users who have).
    scopes: q.scope === undefined ? null : normalizeScopes(q.scope),
    codeChallenge: q.code_challenge,
    expiresAt: Date.now() + store.config.codeTtlMs,
  });
  const login = sessionLogin(store, req);
  const cancelUrl = `/login/oauth/cancel?authorization=${id}`;
  const continueUrl = `/login/oauth/authorize/continue?authorization=${id}`;
  // [authorize] prompt=select_account "Forces the account picker to appear": here, the sign-in page.
  if (!login || q.prompt === 'select_account') {
    sendHtml(res, 200, loginPage({ returnTo: continueUrl, cancelUrl, login: q.login ?? '' }));
    return;
  }
  continueAuthorization(store, res, id, login);
}

function pendingAuthorization(store, id) {
  const record = store.authorizations.get(id ?? '');
  if (!record || record.expiresAt < Date.now()) return null;
  return record;
}

function continueAuthorization(store, res, id, login) {
  const record = store.authorizations.get(id);
  const granted = store.grants.get(grantKey(record.app, login));
  if (record.scopes === null) record.scopes = granted ?? [];
  // [authorize] "For users who have authorized scopes for the application, the user won't be shown
  // the OAuth authorization page": a grant that already covers the request completes at once.
  if (granted && record.scopes.every((s) => granted.includes(s))) {
    issueCode(store, res, id, login);
    return;
  }
  const cancelUrl = `/login/oauth/cancel?authorization=${id}`;
  sendHtml(res, 200, authorizePage({ app: record.app, login, scopes: record.scopes, authorizationId: id, cancelUrl }));
}

function issueCode(store, res, id, login) {
  const record = store.authorizations.get(id);
  store.authorizations.delete(id);
  rememberGrant(store, record.app, login, record.scopes);
  // [authorize] "a temporary code ... The temporary code will expire after 10 minutes".
  const code = randomHex(10);
  store.codes.set(code, {
    app: record.app,
    login,
    scopes: record.scopes,
    redirectUri: record.redirectUri,
    codeChallenge: record.codeChallenge,
    expiresAt: Date.now() + store.config.codeTtlMs,
  });
  redirectWith(res, record.redirectUri, { code, state: record.state });
}

// GET /login/oauth/authorize/continue?authorization=ID (after signing in)
function authorizeContinue(store, req, res, url) {
  const id = url.searchParams.get('authorization');
  const record = pendingAuthorization(store, id);
  const login = sessionLogin(store, req);
  if (!record || !login) {
    sendHtml(res, 400, messagePage('Authorization expired', 'Start signing in from the application again.'));
    return;
  }
  continueAuthorization(store, res, id, login);
}

// POST /login/oauth/authorize (the Authorize button)
async function authorizeSubmit(store, req, res, url) {
  const params = await readParams(req, url);
  const record = pendingAuthorization(store, params.authorization);
  const login = sessionLogin(store, req);
  if (!record || !login) {
    sendHtml(res, 400, messagePage('Authorization expired', 'Start signing in from the application again.'));
    return;
  }
  issueCode(store, res, params.authorization, login);
}

// GET /login/oauth/cancel?authorization=ID: [authz-errors] "Access denied".
function authorizeCancel(store, req, res, url) {
  const id = url.searchParams.get('authorization');
  const record = pendingAuthorization(store, id);
  if (!record) {
    sendHtml(res, 400, messagePage('Authorization expired', 'Start signing in from the application again.'));
    return;
  }
  store.authorizations.delete(id);
  redirectWith(res, record.redirectUri, {
    error: 'access_denied',
    error_description: 'The user has denied your application access.',
    error_uri: `${kAuthzErrorsUri}#access-denied`,
    state: record.state,
  });
}

// POST /session: any password; the login name chooses the account (accounts.mjs).
async function signIn(store, req, res, url) {
  const params = await readParams(req, url);
  const returnTo = /^\/(?!\/)/.test(params.return_to ?? '') ? params.return_to : '/';
  const cancelUrl = /^\/(?!\/)/.test(params.cancel_to ?? '') ? params.cancel_to : '/';
  if (!isValidLogin(params.login) || !params.password) {
    sendHtml(res, 200, loginPage({ returnTo, cancelUrl, login: params.login ?? '', error: 'Incorrect username or password.' }));
    return;
  }
  const session = randomHex(24);
  store.sessions.set(session, params.login);
  redirect(res, returnTo, { 'Set-Cookie': `${kSessionCookie}=${session}; Path=/; HttpOnly; SameSite=Lax` });
}

function s256(verifier) {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

// POST /login/oauth/access_token, web application flow ([authorize] step 2).
function exchangeCode(store, req, res, params) {
  const app = kApps.get(params.client_id ?? '');
  if (!app || params.client_secret !== app.clientSecret) return sendTokenError(req, res, 'incorrect_client_credentials');
  const record = store.codes.get(params.code ?? '');
  if (!record || record.app !== app || record.expiresAt < Date.now()) {
    if (record && record.expiresAt < Date.now()) store.codes.delete(params.code);
    return sendTokenError(req, res, 'bad_verification_code');
  }
  store.codes.delete(params.code); // single use: a second exchange is bad_verification_code
  // [authorize] redirect_uri: "We can use this to match against the URI originally provided when the
  // code was issued".
  if (params.redirect_uri !== undefined && (!matchRedirect(app, params.redirect_uri) || params.redirect_uri !== record.redirectUri)) {
    return sendTokenError(req, res, 'redirect_uri_mismatch');
  }
  if (record.codeChallenge !== undefined) {
    // [pkce] "It must then include the corresponding code_verifier"; RFC 7636 §4.1 verifier syntax.
    const verifier = params.code_verifier ?? '';
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || s256(verifier) !== record.codeChallenge) {
      return sendTokenError(req, res, 'invalid_grant');
    }
  }
  const account = accountOf(record.login);
  if (needsVerifiedEmail(account)) return sendTokenError(req, res, 'unverified_user_email');
  const token = newAccessToken();
  store.tokens.set(token, { app, login: record.login, scopes: record.scopes, createdAt: new Date(), id: store.nextTokenId++ });
  // [authorize]: access_token, scope (comma-separated, as GitHub returns it), token_type=bearer.
  sendOAuth(req, res, { access_token: token, scope: record.scopes.join(','), token_type: 'bearer' });
}

// POST /login/oauth/access_token: the device grant when grant_type says so, else the web flow.
async function accessToken(store, req, res, url) {
  const params = await readParams(req, url);
  if (params.grant_type === kDeviceGrantType) return devicePoll(store, req, res, params);
  if (params.device_code !== undefined || (params.grant_type !== undefined && params.grant_type !== 'authorization_code')) {
    return sendTokenError(req, res, 'unsupported_grant_type');
  }
  return exchangeCode(store, req, res, params);
}

export const kWebRoutes = {
  'GET /login/oauth/authorize': authorize,
  'GET /login/oauth/authorize/continue': authorizeContinue,
  'POST /login/oauth/authorize': authorizeSubmit,
  'GET /login/oauth/cancel': authorizeCancel,
  'POST /session': signIn,
  'POST /login/oauth/access_token': accessToken,
};

