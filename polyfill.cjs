// Langium 4.4 depends on chevrotain 13.2, which calls Object.groupBy / Map.groupBy (Node 21+).
// We run on Node 20, so we provide both here: loaded by mocha (.mocharc.json), by the langium CLI
// (npm run langium:generate) and prepended to the server and CLI bundles (esbuild banner).
// See ../shared/reference/langium-and-vscode.md §0.1.
if (typeof Object.groupBy !== 'function') {
  Object.defineProperty(Object, 'groupBy', {
    configurable: true, writable: true,
    value: function groupBy(items, keyOf) {
      const out = Object.create(null);
      let i = 0;
      for (const item of items) {
        const key = keyOf(item, i++);
        (out[key] ??= []).push(item);
      }
      return out;
    },
  });
}
if (typeof Map.groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true, writable: true,
    value: function groupBy(items, keyOf) {
      const out = new Map();
      let i = 0;
      for (const item of items) {
        const key = keyOf(item, i++);
        const list = out.get(key);
        if (list) list.push(item); else out.set(key, [item]);
      }
      return out;
    },
  });
}
