// Test-only OpenID provider for Latchkey: one panva/oidc-provider instance per port given on the
// command line, each an independent issuer `http://127.0.0.1:<port>` with its own signing keys
// (a second issuer exists for mix-up tests, RFC 9207 / RFC 9700 §4.4).
//
//   node tests/harness/oidc/provider.mjs --port 40001 --port 40002
//   node tests/harness/oidc/provider.mjs --port 40001 --key-generation 2
//
// --key-generation N (a positive integer, optional) names the signing key `latchkey-test-<port>-g<N>`
// instead of `latchkey-test-<port>`. oidc-provider cannot change keys while running, so a key-rotation
// test stops the provider and starts it again on the same port with the next generation: a new key
// under a new `kid` (OIDC Core §10.1.1), as a real provider publishes after rotating.
//
// --issuer-port P (with a single --port) names the issuer `http://127.0.0.1:P` while the provider
// listens on --port: a test puts a forwarder on P and stops it to make the provider unreachable
// without losing its grants (tests/harness/tcpforward.py).
//
// Prints one line `oidc-provider ready issuer=http://127.0.0.1:<port> pid=<pid>` per issuer once
// it listens. Everything is in memory (the default adapter); nothing survives a restart.
//
// Clients (both `application_type: native`, redirect URIs http://127.0.0.1/callback/<id> for ids
// test, acme, google, other, cli, any port; grants authorization_code + refresh_token + device_code
// (RFC 8628; features.deviceFlow: device_authorization_endpoint /device/auth, the person's page
// /device, user codes like "BCDF-GHJK"); scopes
// openid email profile offline_access; revocation enabled):
//   latchkey-public   token_endpoint_auth_method none, PKCE S256 mandatory
//   latchkey-desktop  client_secret_post, secret "desktop-not-secret" (like Google's Desktop app)
// Accounts: any login name; claims sub=<login>, email=<login>@example.com, email_verified=true,
// name=<Login>, no picture; email/name are in the ID token (conformIdTokenClaims: false). A login
// starting with "ws-" is a Google Workspace-like account: its claims add hd=example.com; one
// starting with "pic-" has a picture too (https://pictures.example.com/<login>.png).
// A hostile provider for refresh tests: a login starting with "switch-on-refresh-" signs in as
// itself, but the ID token of every refresh names sub=mallory (OIDC Core §12.2 forbids this).
// offline_access needs prompt=consent (OIDC Core §11).
//
// Hostile or slow answers, chosen by the login name (so tests running side by side do not interfere):
//   forged-<name>  the token response's ID token is re-signed with a key that is not in the JWKS
//                  (same kid): a well-formed token whose signature does not verify
//   slow-<name>    the token endpoint answers kSlowTokenMs (2 s) late
//
// Optional environment (for tests that need short lifetimes):
//   LATCHKEY_TEST_OIDC_ACCESS_TOKEN_TTL  access-token lifetime in seconds (default 3600)
//   LATCHKEY_TEST_OIDC_ID_TOKEN_TTL      ID-token lifetime in seconds (default 3600)
//   LATCHKEY_TEST_OIDC_DEVICE_CODE_TTL   device-code lifetime (`expires_in`) in seconds (default 600)
//   LATCHKEY_TEST_OIDC_DEVICE_INTERVAL   `interval` to put in device authorization responses, in
//                                        seconds (default: none, so clients use RFC 8628's 5 s)
//   LATCHKEY_TEST_OIDC_DEVICE_SLOW_DOWN_BELOW
//                                        answer `slow_down` (RFC 8628 §3.5) when a device code is
//                                        polled sooner than this many seconds after its previous
//                                        poll while it is still pending (default: never).
//                                        oidc-provider 8 defines the error but never sends it, so
//                                        the harness turns such an `authorization_pending` into
//                                        `slow_down`. Every poll restarts the count; the log says
//                                        `device poll slow_down` or `device poll after <ms> ms`.

import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const kLoopbackHost = '127.0.0.1';
const kCallbackIds = ['test', 'acme', 'google', 'other', 'cli'];
// RFC 8252 §7.3: a registered loopback redirect without a port matches any port; the path must
// match exactly. oidc-provider applies that rule for `application_type: native` clients.
const kRedirectUris = kCallbackIds.map((id) => `http://${kLoopbackHost}/callback/${id}`);
const kScopes = 'openid email profile offline_access';
const kSlowTokenMs = 2000;
const kDeviceCodeGrant = 'urn:ietf:params:oauth:grant-type:device_code';
// Signs the ID tokens of `forged-*` logins; never published in any JWKS.
const kForgeryKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

function positiveIntFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number.parseInt(raw, 10);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer (seconds), got "${raw}"`);
  }
  return value;
}

function capitalise(name) {
  return name.length ? name[0].toUpperCase() + name.slice(1) : name;
}

// Each issuer (and each key generation) gets a fresh RSA key, so an ID token from one never
// verifies against another.
function signingJwks(port, generation) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = generation === undefined ? `latchkey-test-${port}` : `latchkey-test-${port}-g${generation}`;
  return { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] };
}

function configuration(port, generation) {
  const accessTokenTtl = positiveIntFromEnv('LATCHKEY_TEST_OIDC_ACCESS_TOKEN_TTL', 3600);
  const idTokenTtl = positiveIntFromEnv('LATCHKEY_TEST_OIDC_ID_TOKEN_TTL', 3600);
  const deviceCodeTtl = positiveIntFromEnv('LATCHKEY_TEST_OIDC_DEVICE_CODE_TTL', 600);
  const common = {
    application_type: 'native',
    redirect_uris: kRedirectUris,
    grant_types: ['authorization_code', 'refresh_token', kDeviceCodeGrant],
    response_types: ['code'],
    scope: kScopes,
  };
  return {
    clients: [
      // Public native client: no secret, so PKCE (S256) is mandatory (RFC 9700 §2.1.1).
      { ...common, client_id: 'latchkey-public', token_endpoint_auth_method: 'none' },
      // Google-style "Desktop app" client: a secret that is not really secret.
      {
        ...common,
        client_id: 'latchkey-desktop',
        client_secret: 'desktop-not-secret',
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: signingJwks(port, generation),
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'picture', 'hd'],
    },
    // Put email/name into the ID token as Google does.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      deviceFlow: { enabled: true }, // RFC 8628; default pages, charset base-20, mask ****-****
    },
    pkce: {
      methods: ['S256'], // RFC 7636 §4.2: no "plain"
      // RFC 9700 §2.1.1: mandatory for the public client. Like Google's "Desktop app" clients, the
      // confidential-by-name desktop client may omit it (Latchkey sends it anyway).
      required: (ctx, client) => client.clientAuthMethod === 'none',
    },
    async findAccount(ctx, id, token) {
      const switched = token?.kind === 'RefreshToken' && id.startsWith('switch-on-refresh-');
      return {
        accountId: id,
        async claims() {
          return {
            sub: switched ? 'mallory' : id,
            email: `${id}@example.com`,
            email_verified: true,
            name: capitalise(id),
            ...(id.startsWith('ws-') ? { hd: 'example.com' } : {}),
            ...(id.startsWith('pic-') ? { picture: `https://pictures.example.com/${id}.png` } : {}),
          };
        },
      };
    },
    ttl: {
      AccessToken: accessTokenTtl,
      AuthorizationCode: 60,
      DeviceCode: deviceCodeTtl,
      IdToken: idTokenTtl,
      RefreshToken: 14 * 24 * 3600,
      Interaction: 600,
      Session: 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
  };
}

function idTokenSubject(idToken) {
  const payload = idToken.split('.')[1] ?? '';
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).sub ?? '';
  } catch {
    return '';
  }
}

// The same header and claims, signed with kForgeryKey instead of the issuer's key.
function forge(idToken) {
  const [header, payload] = idToken.split('.');
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), kForgeryKey);
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

// Runs around oidc-provider: changes token responses for the forged-* and slow-* logins.
async function hostileTokenResponses(ctx, next) {
  await next();
  if (ctx.method !== 'POST' || ctx.oidc?.route !== 'token' || typeof ctx.body?.id_token !== 'string') {
    return;
  }
  const subject = idTokenSubject(ctx.body.id_token);
  if (subject.startsWith('forged-')) {
    ctx.body.id_token = forge(ctx.body.id_token);
  } else if (subject.startsWith('slow-')) {
    await new Promise((resolve) => setTimeout(resolve, kSlowTokenMs));
  }
}

// RFC 8628 test knobs (see the header): an `interval` in device authorization responses, and
// `slow_down` for a device code polled too soon after its previous poll.
function deviceFlowKnobs(issuer) {
  const interval = positiveIntFromEnv('LATCHKEY_TEST_OIDC_DEVICE_INTERVAL', 0);
  const slowDownBelowMs = positiveIntFromEnv('LATCHKEY_TEST_OIDC_DEVICE_SLOW_DOWN_BELOW', 0) * 1000;
  const lastPoll = new Map(); // device_code -> time of its last poll (ms)
  return async (ctx, next) => {
    await next();
    if (interval > 0 && ctx.oidc?.route === 'device_authorization' && ctx.status === 200 && ctx.body) {
      ctx.body.interval = interval;
    }
    if (slowDownBelowMs === 0 || ctx.oidc?.route !== 'token' || ctx.oidc.params?.grant_type !== kDeviceCodeGrant) {
      return;
    }
    const code = String(ctx.oidc.params.device_code ?? '');
    const now = Date.now();
    const previous = lastPoll.get(code);
    lastPoll.set(code, now);
    if (previous === undefined) return;
    // Only a "not yet" becomes "slow down": an approval or a refusal is never held back.
    if (now - previous < slowDownBelowMs && ctx.body?.error === 'authorization_pending') {
      console.error(`oidc-provider ${issuer} device poll slow_down`);
      ctx.body = { error: 'slow_down', error_description: 'polling too quickly' };
    } else {
      console.error(`oidc-provider ${issuer} device poll after ${now - previous} ms`);
    }
  };
}

function start(port, generation, issuerPort = port) {
  const issuer = `http://${kLoopbackHost}:${issuerPort}`;
  const provider = new Provider(issuer, configuration(issuerPort, generation));
  provider.use(deviceFlowKnobs(issuer));
  provider.use(hostileTokenResponses);
  provider.on('server_error', (ctx, err) => {
    console.error(`oidc-provider ${issuer} server_error: ${err.stack ?? err}`);
  });
  // Log outcomes without tokens, codes or query strings.
  provider.on('authorization.error', (ctx, err) => {
    console.error(`oidc-provider ${issuer} authorization.error: ${err.error} (${err.error_description ?? ''})`);
  });
  provider.on('grant.error', (ctx, err) => {
    console.error(`oidc-provider ${issuer} grant.error: ${err.error} (${err.error_description ?? ''})`);
  });
  provider.on('grant.success', (ctx) => {
    console.error(`oidc-provider ${issuer} grant.success client=${ctx.oidc.client?.clientId}`);
  });
  return new Promise((resolve, reject) => {
    const server = provider.listen(port, kLoopbackHost);
    server.once('error', reject);
    server.once('listening', () => {
      console.log(`oidc-provider ready issuer=${issuer} pid=${process.pid}`);
      resolve(server);
    });
  });
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', multiple: true },
    'key-generation': { type: 'string' },
    'issuer-port': { type: 'string' },
  },
});
const ports = (values.port ?? []).map((p) => Number.parseInt(p, 10));
const rawGeneration = values['key-generation'];
const generation = rawGeneration === undefined ? undefined : Number(rawGeneration);
const issuerPort = values['issuer-port'] === undefined ? undefined : Number(values['issuer-port']);
if (
  ports.length === 0 ||
  (issuerPort !== undefined && (ports.length !== 1 || !Number.isInteger(issuerPort))) ||
  ports.some((p) => !Number.isInteger(p) || p <= 0 || p > 65535) ||
  (generation !== undefined && (!/^[0-9]+$/.test(rawGeneration) || generation <= 0))
) {
  console.error('usage: node provider.mjs --port <port> [--port <port> ...] [--key-generation <N>]' +
    ' | --port <port> --issuer-port <port>');
  process.exit(2);
}

try {
  const servers = await Promise.all(ports.map((port) => start(port, generation, issuerPort ?? port)));
  const stop = () => {
    for (const server of servers) server.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (err) {
  console.error(`oidc-provider failed to start: ${err.message}`);
  process.exit(1);
}
