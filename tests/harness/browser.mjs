// Test-only "user's browser" for Latchkey: drives Debian chromium (playwright-core, headless) to a URL,
// completes oidc-provider's devInteractions login and consent pages (or cancels with --deny), follows
// the redirect to the app's loopback listener and exits 0 once that page loaded.
//
// It is also the "other device" of a device sign-in (RFC 8628): given the verification URL (the
// complete form, with ?user_code=), it continues on the "Confirm Device" page (or clicks
// "[ Abort ]" with --deny), logs in and consents as above, and ends on the provider's
// "Sign-in Success" page (or, denied, on its code page saying the request was interrupted). With
// --user-code CODE it also types the code on the plain verification page (oidc-provider's, or the
// GitHub stand-in's "Device Activation" page, whose [ Cancel ] with --deny refuses the code when
// the URL names it: <web>/login/device?user_code=CODE).
//
//   node tests/harness/browser.mjs <url> [--login NAME] [--deny] [--user-code CODE]
//
// stdout: exactly one JSON line {"path": "/callback/test", "status": 200, "heading": "Signed in"} for
//         the final page: its path (never the query: it carries the authorization code), HTTP status
//         and the text of its first <h1> ("" when it has none). A device sign-in ends with e.g.
//         {"path": "/device/<uid>", "status": 200, "heading": "Sign-in Success"}.
// stderr: progress, without query strings.
// Exit codes: 0 loaded, 1 navigation failed / unexpected page, 2 usage, 3 timed out.
//
// Environment (also how QDesktopServices::openUrl, which cannot pass flags, selects behaviour):
//   LATCHKEY_TEST_BROWSER_LOGIN       default login name (default "alice")
//   LATCHKEY_TEST_BROWSER_DENY=1      same as --deny
//   LATCHKEY_TEST_BROWSER_TIMEOUT_MS  overall deadline (default 60000)
//   LATCHKEY_TEST_TMP                 where the throwaway profile and HOME are made (default: os tmpdir)

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const kChromium = '/usr/bin/chromium';
const kChromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const kLoopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
const kMaxSteps = 8; // code + confirm + login + consent + final page, with room for a repeated prompt

function log(message) {
  process.stderr.write(`latchkey-browser: ${message}\n`);
}

// Never print a query or fragment: authorization responses carry codes and state.
function redact(url) {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<unparsable url>';
  }
}

function parseCommandLine() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { login: { type: 'string' }, deny: { type: 'boolean' }, 'user-code': { type: 'string' } },
  });
  if (positionals.length !== 1) {
    log('usage: latchkey-browser <url> [--login NAME] [--deny] [--user-code CODE]');
    process.exit(2);
  }
  return {
    url: positionals[0],
    login: values.login ?? process.env.LATCHKEY_TEST_BROWSER_LOGIN ?? 'alice',
    deny: values.deny ?? process.env.LATCHKEY_TEST_BROWSER_DENY === '1',
    userCode: values['user-code'],
    timeoutMs: Number.parseInt(process.env.LATCHKEY_TEST_BROWSER_TIMEOUT_MS ?? '60000', 10),
  };
}

// Identify the oidc-provider devInteractions page we are on (see oidc-provider lib/views/*.js), or
// its device flow pages (features.deviceFlow's userCodeInputSource / userCodeConfirmSource). The code
// page counts only when there is a code to type and it shows no error (a denied or failed device
// sign-in ends there).
async function interactionKind(page, options) {
  if ((await page.locator('form input[name="prompt"][value="login"]').count()) > 0) return 'login';
  if ((await page.locator('form input[name="prompt"][value="consent"]').count()) > 0) return 'consent';
  if ((await page.locator('form[id="op.deviceConfirmForm"]').count()) > 0) return 'device-confirm';
  if (
    options.userCode &&
    (await page.locator('form[id="op.deviceInputForm"]').count()) > 0 &&
    (await page.locator('p.red').count()) === 0
  ) {
    return 'device-code';
  }
  return null;
}

async function submitAndWait(page, action) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
  return response;
}

async function drive(context, options) {
  const page = await context.newPage();
  log(`open ${redact(options.url)}`);
  let response = await page.goto(options.url, { waitUntil: 'load' });
  for (let step = 0; step < kMaxSteps; ++step) {
    const kind = await interactionKind(page, options);
    if (kind === null) break;
    if (kind === 'device-code') {
      log('device code page: type the code'); // the user code is meant to be shown; still not logged
      await page.fill('form[id="op.deviceInputForm"] input[name="user_code"]', options.userCode);
      response = await submitAndWait(page, () => page.click('button[form="op.deviceInputForm"]'));
    } else if (kind === 'device-confirm') {
      log(`device confirm page: ${options.deny ? 'abort' : 'continue'}`);
      const button = options.deny ? 'button[name="abort"]' : 'button[autofocus]';
      response = await submitAndWait(page, () => page.click(button));
    } else if (options.deny) {
      log(`${kind} page: cancel`);
      response = await submitAndWait(page, () => page.getByText('[ Cancel ]').click());
    } else if (kind === 'login') {
      log(`login page: sign in as "${options.login}"`);
      await page.fill('input[name="login"]', options.login);
      await page.fill('input[name="password"]', 'any-password');
      response = await submitAndWait(page, () => page.click('button[type="submit"]'));
    } else {
      // The GitHub stand-in's "Device Activation" page is a consent form with the code to type.
      const codeInput = page.locator('form input[type="text"][name="user_code"]');
      if (options.userCode && (await codeInput.count()) > 0 && !(await codeInput.inputValue())) {
        log('device activation page: type the code');
        await codeInput.fill(options.userCode);
      }
      log('consent page: continue');
      response = await submitAndWait(page, () => page.click('button[type="submit"]'));
    }
  }
  if ((await interactionKind(page, options)) !== null) {
    throw new Error(`still on a provider page after ${kMaxSteps} steps: ${redact(page.url())}`);
  }
  const finalUrl = new URL(page.url());
  const status = response ? response.status() : null;
  const headings = page.locator('h1');
  const heading = (await headings.count()) > 0 ? (await headings.first().innerText()).trim() : '';
  log(`loaded ${redact(page.url())} status=${status}`);
  return { path: finalUrl.pathname, status, heading };
}

async function main() {
  const options = parseCommandLine();
  const scratch = mkdtempSync(join(process.env.LATCHKEY_TEST_TMP || tmpdir(), 'browser-'));
  const home = join(scratch, 'home');
  let context;
  const deadline = setTimeout(() => {
    log(`timed out after ${options.timeoutMs} ms`);
    process.exitCode = 3;
    context?.close().catch(() => {});
    rmSync(scratch, { recursive: true, force: true });
    process.exit(3);
  }, options.timeoutMs);
  try {
    // A fresh --user-data-dir per run, and a throwaway HOME because chromium writes $HOME/.config.
    context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
      executablePath: kChromium,
      headless: true,
      args: kChromiumArgs,
      // No session bus for the browser: it needs none, and would otherwise D-Bus-activate an
      // accessibility bus (at-spi) that outlives it and touch the app's keyring.
      env: {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        DBUS_SESSION_BUS_ADDRESS: 'disabled:',
      },
      timeout: options.timeoutMs,
    });
    context.setDefaultTimeout(options.timeoutMs);
    // Block everything off this machine (devInteractions pulls a web font; CI has no network).
    await context.route('**/*', (route) => {
      const { hostname } = new URL(route.request().url());
      const host = hostname.startsWith('[') ? hostname : hostname.includes(':') ? `[${hostname}]` : hostname;
      if (kLoopbackHosts.has(host)) return route.continue();
      log(`blocked ${redact(route.request().url())}`);
      return route.abort('blockedbyclient');
    });
    const result = await drive(context, options);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exitCode = 0;
  } catch (err) {
    log(`failed: ${String(err.message ?? err).split('\n')[0].replace(/\?\S*/g, '?<redacted>')}`);
    process.exitCode = 1;
  } finally {
    clearTimeout(deadline);
    await context?.close().catch(() => {});
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
