/**
 * The packet path webview's HTML page, as a pure function so tests can serve the exact page VS Code
 * shows (test/webview/) without VS Code.
 *
 * Strict Content Security Policy: nothing but the one bundled script carrying the nonce and the
 * stylesheet from the extension's own resource origin; no inline script, no inline style, no remote
 * content. The page body is an empty mount point: extension/webview/main.ts builds the DOM with
 * createElement/textContent, never innerHTML, because names come from the user's files.
 */

export interface WebviewHtmlOptions {
  /** `webview.cspSource`: the origin VS Code serves local resources from. */
  cspSource: string;
  /** A fresh random value per page load (see `createNonce`). */
  nonce: string;
  /** `webview.asWebviewUri(out/webview/main.js)`. */
  scriptUri: string;
  /** `webview.asWebviewUri(out/webview/packet-path.css)`. */
  styleUri: string;
}

export function packetPathHtml(cspSource: string, nonce: string, scriptUri: string, styleUri: string): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) {
    // A nonce with quotes or spaces would break out of the CSP; refuse instead of weakening it.
    throw new Error('packetPathHtml: the nonce must be at least 16 base64 characters');
  }
  const csp = [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(styleUri)}">
<title>Packet path</title>
</head>
<body>
<main id="app"></main>
<div id="status" class="visually-hidden" role="status"></div>
<script nonce="${nonce}" src="${escapeAttribute(scriptUri)}"></script>
</body>
</html>
`;
}

export function packetPathHtmlFrom(options: WebviewHtmlOptions): string {
  return packetPathHtml(options.cspSource, options.nonce, options.scriptUri, options.styleUri);
}

/** 32 random alphanumeric characters from a cryptographic source. */
export function createNonce(randomBytes: (size: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(32);
  let nonce = '';
  // 62 symbols: `% 62` biases a little toward the first 8 symbols; irrelevant for an unguessable nonce of 190 bits.
  for (const b of bytes) nonce += alphabet[b % alphabet.length];
  return nonce;
}

function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
