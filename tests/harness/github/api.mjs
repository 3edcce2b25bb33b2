// The "api" host (api.github.com's role) of the GitHub stand-in. Pages it follows:
//   [rest-start]  https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api
//                 ("User agent": requests without a User-Agent header are rejected with 403)
//   [auth]        https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api
//                 (Authorization: Bearer <token> or token <token>; a bad token gets 401 "Bad credentials")
//   [users]       https://docs.github.com/en/rest/users/users#get-the-authenticated-user
//   [emails]      https://docs.github.com/en/rest/users/emails#list-email-addresses-for-the-authenticated-user
//                 ("OAuth app tokens ... need the user:email scope"; statuses 200/304/401/403/404)
//   [scopes]      https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps
//                 (X-OAuth-Scopes / X-Accepted-OAuth-Scopes; "user" includes "user:email")
//   [oauth-apps]  https://docs.github.com/en/rest/apps/oauth-applications
//                 (check / delete an app token, Basic authentication with client_id:client_secret)

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { accountOf, hasScope, kApps } from './accounts.mjs';
import { readBody, sendJson, sendText } from './http.mjs';

const kDocs = 'https://docs.github.com';
const kUserDoc = `${kDocs}/rest/users/users#get-the-authenticated-user`;
const kEmailsDoc = `${kDocs}/rest/users/emails#list-email-addresses-for-the-authenticated-user`;
const kTokenDoc = `${kDocs}/rest/apps/oauth-applications`;
// [rest-start] the body github.com sends (as plain text) when the User-Agent header is missing.
const kNoUserAgent =
  'Request forbidden by administrative rules. Please make sure your request has a User-Agent header ' +
  '(https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). ' +
  'Check https://developer.github.com for other possible causes.\n';

function commonHeaders() {
  return {
    'X-GitHub-Media-Type': 'github.v3; format=json',
    'X-GitHub-Request-Id': randomBytes(8).toString('hex').toUpperCase(),
    'X-GitHub-Api-Version-Selected': '2022-11-28',
  };
}

function apiError(res, status, message, documentationUrl, headers = {}) {
  sendJson(res, status, { message, documentation_url: documentationUrl, status: String(status) }, { ...commonHeaders(), ...headers });
}

/** The token record of `Authorization: Bearer <t>` / `token <t>`; undefined when absent; null when bad. */
function bearer(store, req) {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(header);
  return (match && store.tokens.get(match[1])) || null;
}

function userJson(store, account, scopes) {
  const { apiBase, webBase } = store.config;
  const login = account.login;
  const user = {
    login,
    id: account.id,
    node_id: Buffer.from(`04:User${account.id}`).toString('base64'),
    avatar_url: `${webBase}/avatars/u/${account.id}?v=4`,
    gravatar_id: '',
    url: `${apiBase}/users/${login}`,
    html_url: `${webBase}/${login}`,
    followers_url: `${apiBase}/users/${login}/followers`,
    repos_url: `${apiBase}/users/${login}/repos`,
    type: 'User',
    user_view_type: 'public',
    site_admin: false,
    name: account.name,
    company: null,
    blog: '',
    location: null,
    email: account.publicEmail, // [users] the public email: null when none is public
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: '2020-01-01T00:00:00Z',
    updated_at: '2020-01-01T00:00:00Z',
  };
  // [users] the private fields appear for a token with the user scope.
  if (hasScope(scopes, 'user')) {
    Object.assign(user, { private_gists: 0, total_private_repos: 0, owned_private_repos: 0, disk_usage: 0, collaborators: 0, two_factor_authentication: false });
  }
  return user;
}

function scopeHeaders(record, accepted) {
  // [scopes] "X-OAuth-Scopes: repo, user"
  return { 'X-OAuth-Scopes': record.scopes.join(', '), 'X-Accepted-OAuth-Scopes': accepted };
}

// GET /user
function getUser(store, req, res) {
  const record = bearer(store, req);
  if (record === undefined) return apiError(res, 401, 'Requires authentication', kUserDoc);
  if (record === null) return apiError(res, 401, 'Bad credentials', `${kDocs}/rest`);
  sendJson(res, 200, userJson(store, accountOf(record.login), record.scopes), { ...commonHeaders(), ...scopeHeaders(record, '') });
}

// GET /user/emails
function getEmails(store, req, res) {
  const record = bearer(store, req);
  if (record === undefined) return apiError(res, 401, 'Requires authentication', kEmailsDoc);
  if (record === null) return apiError(res, 401, 'Bad credentials', `${kDocs}/rest`);
  const headers = scopeHeaders(record, 'user, user:email');
  // [emails] needs user:email (or user, which includes it [scopes]); without it github.com answers
  // 404 Not Found, as for anything a token may not see.
  if (!hasScope(record.scopes, 'user:email')) return apiError(res, 404, 'Not Found', kEmailsDoc, headers);
  sendJson(res, 200, accountOf(record.login).emails, { ...commonHeaders(), ...headers });
}

function sameSecret(a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
}

/** [oauth-apps] Basic authentication as the app named in the path; returns the app or null. */
function basicApp(req, clientId) {
  const match = /^basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const app = kApps.get(decoded.slice(0, colon));
  if (colon < 0 || !app || app.clientId !== clientId || !sameSecret(decoded.slice(colon + 1), app.clientSecret)) return null;
  return app;
}

async function tokenFromBody(req) {
  try {
    const value = JSON.parse((await readBody(req)) || '{}').access_token;
    return typeof value === 'string' && value ? value : null;
  } catch {
    return null;
  }
}

// POST /applications/{client_id}/token (check a token) and DELETE (delete an app token).
async function appToken(store, req, res, clientId) {
  const token = await tokenFromBody(req); // read first: answering before the body is read resets the connection
  const app = basicApp(req, clientId);
  // github.com answers a request without valid Basic credentials for the app with 404 Not Found.
  if (!app) return apiError(res, 404, 'Not Found', kTokenDoc);
  if (!token) return apiError(res, 422, 'Invalid request.\n\n"access_token" wasn\'t supplied.', kTokenDoc);
  const record = store.tokens.get(token);
  if (!record || record.app !== app) return apiError(res, 404, 'Not Found', kTokenDoc);
  if (req.method === 'DELETE') {
    store.tokens.delete(token); // [oauth-apps] "Delete an app token": 204 No Content
    return sendJson(res, 204, null, commonHeaders());
  }
  const account = accountOf(record.login);
  sendJson(res, 200, {
    id: record.id,
    url: `${store.config.apiBase}/authorizations/${record.id}`,
    app: { name: app.name, url: `${store.config.webBase}/`, client_id: app.clientId },
    token,
    hashed_token: null,
    token_last_eight: token.slice(-8),
    note: null,
    note_url: null,
    created_at: record.createdAt.toISOString(),
    updated_at: record.createdAt.toISOString(),
    scopes: record.scopes,
    fingerprint: null,
    expires_at: null,
    user: userJson(store, account, []),
  }, commonHeaders());
}

/** Dispatches one API request. */
export async function handleApi(store, req, res, url) {
  if (req.method === 'GET' || req.method === 'HEAD') req.resume();
  // [rest-start] "Requests with no User-Agent header will be rejected."
  if (!req.headers['user-agent']) return sendText(res, 403, kNoUserAgent);
  if (url.pathname === '/user' && req.method === 'GET') return getUser(store, req, res);
  if (url.pathname === '/user/emails' && req.method === 'GET') return getEmails(store, req, res);
  const token = /^\/applications\/([^/]+)\/token$/.exec(url.pathname);
  if (token && (req.method === 'POST' || req.method === 'DELETE')) return appToken(store, req, res, decodeURIComponent(token[1]));
  req.resume(); // discard an unread body before answering
  return apiError(res, 404, 'Not Found', `${kDocs}/rest`);
}
