/** The webview page and the message guard, without a browser. */
import assert from 'node:assert/strict';
import { createNonce, packetPathHtml } from '../../extension/webview-html.js';
import { isFromWebviewMessage } from '../../extension/webview-messages.js';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const NONCE = 'abcdefghijklmnopqrstuvwxyz012345';

describe('packet path page (extension/webview-html.ts)', () => {
  const html = packetPathHtml(CSP_SOURCE, NONCE, `${CSP_SOURCE}/ext/out/webview/main.js`, `${CSP_SOURCE}/ext/out/webview/packet-path.css`);

  it('declares the strict Content Security Policy', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.equal(csp, `default-src 'none'; style-src ${CSP_SOURCE}; img-src ${CSP_SOURCE} data:; script-src 'nonce-${NONCE}'`);
  });

  it('loads one script, with the nonce, and one stylesheet, from the resource origin', () => {
    assert.deepEqual([...html.matchAll(/<script\b[^>]*>/g)].map(m => m[0]),
      [`<script nonce="${NONCE}" src="${CSP_SOURCE}/ext/out/webview/main.js">`]);
    assert.deepEqual([...html.matchAll(/<link\b[^>]*>/g)].map(m => m[0]),
      [`<link rel="stylesheet" href="${CSP_SOURCE}/ext/out/webview/packet-path.css">`]);
  });

  it('has no inline script, style or event handler', () => {
    assert.doesNotMatch(html, /<script\b[^>]*>[^<]+<\/script>/);
    assert.doesNotMatch(html, /<style\b/);
    assert.doesNotMatch(html, /\sstyle=/);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
  });

  it('refuses a nonce that could break out of the policy, and escapes the URIs', () => {
    assert.throws(() => packetPathHtml(CSP_SOURCE, "x'; script-src *", 'a', 'b'), /nonce/);
    assert.throws(() => packetPathHtml(CSP_SOURCE, 'short', 'a', 'b'), /nonce/);
    const odd = packetPathHtml(CSP_SOURCE, NONCE, 'https://x/"><script>alert(1)</script>', 'https://x/a.css');
    assert.equal([...odd.matchAll(/<script\b/g)].length, 1);
    assert.match(odd, /src="https:\/\/x\/&quot;&gt;&lt;script&gt;/);
  });

  it('makes nonces of 32 letters and digits from the random source', () => {
    const nonce = createNonce(size => new Uint8Array(size).map((_, i) => i * 37));
    assert.match(nonce, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(nonce, createNonce(size => new Uint8Array(size).map((_, i) => i * 11)));
  });
});

describe('webview messages (extension/webview-messages.ts)', () => {
  const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } };

  it('accepts the four messages a webview may send', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'reveal', uri: 'file:///ws/a.vnet', range },
      { type: 'select', hopIndex: 0 },
      { type: 'pin', pinned: true },
    ]) assert.equal(isFromWebviewMessage(message), true, JSON.stringify(message));
  });

  it('rejects anything else', () => {
    for (const message of [
      null, 'ready', 42, {}, { type: 'showPath' },
      { type: 'reveal', uri: 'file:///ws/a.vnet' },
      { type: 'reveal', uri: 7, range },
      { type: 'reveal', uri: 'file:///ws/a.vnet', range: { start: { line: 1 }, end: range.end } },
      { type: 'select', hopIndex: -1 },
      { type: 'select', hopIndex: 1.5 },
      { type: 'pin', pinned: 'yes' },
    ]) assert.equal(isFromWebviewMessage(message), false, JSON.stringify(message));
  });
});
