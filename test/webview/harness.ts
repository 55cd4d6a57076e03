/**
 * Serves the real packet path webview to headless Chromium: the HTML from extension/webview-html.ts,
 * the script bundled from extension/webview/main.ts with esbuild's API (into a temp dir, not through
 * the project's build), and the stylesheet, all from a fake origin standing in for VS Code's
 * `webview.cspSource`. acquireVsCodeApi is stubbed by an init script (a string: tsx rewrites
 * functions, which would break inside the page) that records posted messages and keeps the
 * webview state in sessionStorage, so a reload behaves like VS Code reviving the view.
 */
import * as esbuild from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { packetPathHtml } from '../../extension/webview-html.js';
import type { FromWebviewMessage, ToWebviewMessage } from '../../extension/webview-messages.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ORIGIN = 'https://webview.test';
const NONCE = 'dGVzdC1ub25jZS0wMTIzNDU2Nzg5YWJjZGVm';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** VS Code "Dark Modern" values of the variables the view uses (VS Code sets them on <html>). */
const DARK_THEME: Record<string, string> = {
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-widget-border': '#313131',
  '--vscode-editorWidget-background': '#202020',
  '--vscode-editor-inactiveSelectionBackground': '#3a3d41',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-testing-iconFailed': '#f14c4c',
  '--vscode-errorForeground': '#f85149',
  '--vscode-inputValidation-errorBackground': '#5a1d1d',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-list-activeSelectionBackground': '#04395e',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-textCodeBlock-background': '#2b2b2b',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
};

/**
 * Waits until a page expression is true. Polls with `page.evaluate` (the DevTools protocol, outside
 * the page's CSP) rather than `page.waitForFunction`, whose in-page polling needs `eval`, which the
 * webview's Content-Security-Policy rightly forbids: under load its first check can come too early
 * and the retry is reported as a CSP violation.
 */
export async function waitUntil(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await page.evaluate(expression)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${expression}`);
    await new Promise(r => setTimeout(r, 25));
  }
}

export interface Bundle { script: string; bytes: number; dir: string }

export async function bundleWebview(): Promise<Bundle> {
  const dir = mkdtempSync(join(tmpdir(), 'vnet-webview-'));
  const outfile = join(dir, 'main.js');
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['extension/webview/main.ts'],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    outfile,
    logLevel: 'silent',
  });
  const script = readFileSync(outfile, 'utf8');
  return { script, bytes: Buffer.byteLength(script), dir };
}

export function removeBundle(bundle: Bundle | undefined): void {
  if (bundle) rmSync(bundle.dir, { recursive: true, force: true });
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: the webview tests need a real browser. ` +
      'Install it (apt-get install chromium) or point CHROMIUM_PATH at a Chromium binary.');
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface View {
  page: Page;
  /** CSP violations seen by the page (securitypolicyviolation events and console reports). */
  violations(): Promise<string[]>;
  /** Uncaught errors in the page. */
  errors: string[];
  sent(): Promise<FromWebviewMessage[]>;
  post(message: ToWebviewMessage): Promise<void>;
  clearSent(): Promise<void>;
}

export async function openView(browser: Browser, bundle: Bundle, options: { width?: number; height?: number; theme?: 'dark' | 'high-contrast' } = {}): Promise<View> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 900, height: options.height ?? 1000 } });
  const consoleViolations: string[] = [];
  const errors: string[] = [];
  page.on('console', message => {
    if (/Content Security Policy|Refused to/i.test(message.text())) consoleViolations.push(message.text());
  });
  page.on('pageerror', error => errors.push(String(error)));

  const html = packetPathHtml(ORIGIN, NONCE, `${ORIGIN}/out/webview/main.js`, `${ORIGIN}/out/webview/packet-path.css`);
  const css = readFileSync(join(ROOT, 'extension/webview/packet-path.css'), 'utf8');
  await page.route(`${ORIGIN}/**`, route => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') return route.fulfill({ status: 200, contentType: 'text/html', body: html });
    if (path === '/out/webview/main.js') return route.fulfill({ status: 200, contentType: 'text/javascript', body: bundle.script });
    if (path === '/out/webview/packet-path.css') return route.fulfill({ status: 200, contentType: 'text/css', body: css });
    return route.fulfill({ status: 404, body: '' });
  });

  const theme = JSON.stringify(DARK_THEME);
  const bodyClass = options.theme === 'high-contrast' ? 'vscode-high-contrast' : 'vscode-dark';
  await page.addInitScript({
    content: `
      window.__sent = [];
      window.__csp = [];
      let acquired = false;
      window.acquireVsCodeApi = () => {
        // VS Code throws when a webview acquires the API twice; so does the stub.
        if (acquired) throw new Error('acquireVsCodeApi called twice');
        acquired = true;
        return {
          postMessage: m => window.__sent.push(JSON.parse(JSON.stringify(m))),
          getState: () => { const s = sessionStorage.getItem('vscodeState'); return s ? JSON.parse(s) : undefined; },
          setState: s => { sessionStorage.setItem('vscodeState', JSON.stringify(s)); return s; },
        };
      };
      document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
      const theme = ${theme};
      document.addEventListener('DOMContentLoaded', () => {
        for (const [name, value] of Object.entries(theme)) document.documentElement.style.setProperty(name, value);
        document.body.classList.add(${JSON.stringify(bodyClass)});
      });
    `,
  });
  await page.goto(`${ORIGIN}/index.html`);
  await waitUntil(page, 'window.__sent.some(m => m.type === "ready")');

  return {
    page,
    errors,
    async violations() {
      const fromEvents = await page.evaluate('window.__csp') as string[];
      return [...fromEvents, ...consoleViolations];
    },
    async sent() { return await page.evaluate('window.__sent') as FromWebviewMessage[]; },
    async post(message) {
      await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
    },
    async clearSent() { await page.evaluate('window.__sent.length = 0'); },
  };
}
