/**
 * Just enough of the `vscode` API for extension/packet-path-panel.ts, recording what the panel does.
 * panel.test.ts bundles the panel with `vscode` resolved to this file (panel-entry.ts), so panel and
 * test share one instance.
 */

type Listener<T> = (event: T) => unknown;

export class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return { dispose: () => { this.listeners.delete(listener); } };
  };
  fire(event: T): void {
    for (const listener of [...this.listeners]) listener(event);
  }
  get size(): number { return this.listeners.size; }
}

export class Uri {
  private constructor(private readonly value: string) {}
  static parse(value: string): Uri { return new Uri(value); }
  static file(path: string): Uri { return new Uri(`file://${path}`); }
  static joinPath(base: Uri, ...parts: string[]): Uri { return new Uri([base.value, ...parts].join('/')); }
  toString(): string { return this.value; }
}

export interface PositionLike { line: number; character: number }

export class Range {
  readonly start: PositionLike;
  readonly end: PositionLike;
  constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number) {
    this.start = { line: startLine, character: startCharacter };
    this.end = { line: endLine, character: endCharacter };
  }
}

export class ThemeColor { constructor(readonly id: string) {} }

export enum ViewColumn { Active = -1, Beside = -2, One = 1, Two = 2 }
export enum TextEditorRevealType { Default = 0, InCenter = 1, InCenterIfOutsideViewport = 2, AtTop = 3 }

export const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

export class FakeWebview {
  readonly cspSource = CSP_SOURCE;
  html = '';
  options: Record<string, unknown> = {};
  readonly posted: unknown[] = [];
  readonly received = new Emitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  asWebviewUri(uri: Uri): Uri { return Uri.parse(`${CSP_SOURCE}${uri.toString().replace(/^file:\/\//, '')}`); }
  postMessage(message: unknown): Promise<boolean> {
    this.posted.push(structuredClone(message));
    return Promise.resolve(true);
  }
}

export class FakePanel {
  readonly webview = new FakeWebview();
  viewColumn: ViewColumn | undefined = ViewColumn.Two;
  revealed = 0;
  private readonly disposed = new Emitter<void>();
  readonly onDidDispose = this.disposed.event;
  constructor(readonly viewType: string, public title: string, readonly showOptions: unknown) {}
  reveal(): void { this.revealed++; }
  dispose(): void { this.disposed.fire(); }
}

export class FakeEditor {
  readonly document: { uri: Uri; languageId: string };
  readonly viewColumn = ViewColumn.One;
  selection: { active: PositionLike };
  readonly revealedRanges: Range[] = [];
  readonly decorations = new Map<unknown, Range[]>();
  constructor(uri: string, languageId = 'vnet') {
    this.document = { uri: Uri.parse(uri), languageId };
    this.selection = { active: { line: 0, character: 0 } };
  }
  revealRange(range: Range): void { this.revealedRanges.push(range); }
  setDecorations(type: unknown, ranges: Range[]): void { this.decorations.set(type, ranges); }
}

export const fake = {
  panels: [] as FakePanel[],
  serializers: new Map<string, { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> }>(),
  shown: [] as { uri: string; options: Record<string, unknown>; editor: FakeEditor }[],
  warnings: [] as string[],
  selection: new Emitter<{ textEditor: FakeEditor; selections: { active: PositionLike }[] }>(),
  documentChange: new Emitter<{ document: { uri: Uri }; contentChanges: { range: Range; text: string }[] }>(),
  visibleEditorsChange: new Emitter<FakeEditor[]>(),
  reset(): void {
    this.panels.length = 0;
    this.serializers.clear();
    this.shown.length = 0;
    this.warnings.length = 0;
    window.visibleTextEditors = [];
  },
};

export const window = {
  visibleTextEditors: [] as FakeEditor[],
  createWebviewPanel(viewType: string, title: string, showOptions: unknown, options: Record<string, unknown>): FakePanel {
    const panel = new FakePanel(viewType, title, showOptions);
    panel.webview.options = options;
    fake.panels.push(panel);
    return panel;
  },
  registerWebviewPanelSerializer(viewType: string, serializer: { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> }) {
    fake.serializers.set(viewType, serializer);
    return { dispose: () => { fake.serializers.delete(viewType); } };
  },
  createTextEditorDecorationType(options: unknown) {
    return { options, dispose() { /* nothing to free in the fake */ } };
  },
  onDidChangeTextEditorSelection: fake.selection.event,
  onDidChangeVisibleTextEditors: fake.visibleEditorsChange.event,
  async showTextDocument(uri: Uri, options: Record<string, unknown>): Promise<FakeEditor> {
    const editor = window.visibleTextEditors.find(e => e.document.uri.toString() === uri.toString()) ?? new FakeEditor(uri.toString());
    fake.shown.push({ uri: uri.toString(), options, editor });
    return editor;
  },
  showWarningMessage(message: string): Promise<undefined> {
    fake.warnings.push(message);
    return Promise.resolve(undefined);
  },
};

export const workspace = {
  onDidChangeTextDocument: fake.documentChange.event,
};
