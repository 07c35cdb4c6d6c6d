/**
 * Resolves the names a file binds with `import` statements, so `tnn.Conv2d`, `Conv2d` (from
 * `from torch.nn import Conv2d`) and `tf.keras.layers.Dense` all lead to the same canonical name.
 */
import type { SyntaxNode } from '@lezer/common';
import { children, dottedName } from './syntax';
import type { SourceFramework } from './types';

/** Local name → fully qualified module or object path. */
export type ImportTable = ReadonlyMap<string, string>;

/** Reads every import statement in the tree (nested ones too: imports inside functions are common). */
export function collectImports(top: SyntaxNode, text: string): ImportTable {
  const table = new Map<string, string>();
  const cursor = top.cursor();
  do {
    if (cursor.name === 'ImportStatement') addImport(cursor.node, text, table);
  } while (cursor.next());
  return table;
}

function addImport(node: SyntaxNode, text: string, table: Map<string, string>): void {
  const parts = children(node);
  const word = (part: SyntaxNode): string => text.slice(part.from, part.to);
  const importIndex = parts.findIndex((part) => part.name === 'import');
  if (parts[0]?.name === 'from') {
    const module = parts.slice(1, importIndex).map(word).join('');
    const names = parts.slice(importIndex + 1);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      if (name.name !== 'VariableName') continue;
      const imported = word(name);
      const hasAlias = names[i + 1]?.name === 'as';
      // A cut-off `import a as` (a syntax error) binds nothing.
      const aliasNode = hasAlias ? names[i + 2] : name;
      if (hasAlias) i += 2;
      if (aliasNode) table.set(word(aliasNode), `${module}.${imported}`);
    }
    return;
  }
  // import a.b.c [as d], e
  let dotted: string[] = [];
  for (let i = importIndex + 1; i <= parts.length; i++) {
    const part = parts[i];
    if (!part || part.name === ',') {
      const [root] = dotted;
      if (root !== undefined) table.set(root, root);
      dotted = [];
      continue;
    }
    if (part.name === 'VariableName') dotted.push(word(part));
    if (part.name === 'as') {
      const aliasNode = parts[i + 1];
      if (aliasNode) table.set(word(aliasNode), dotted.join('.'));
      dotted = [];
      i += 1;
    }
  }
}

/** Canonical name of a callee: imports applied, `tensorflow.` shortened to `tf.`. */
export function qualifiedName(callee: SyntaxNode, text: string, imports: ImportTable): string | undefined {
  const dotted = dottedName(callee, text);
  if (dotted === undefined) return undefined;
  const dot = dotted.indexOf('.');
  const head = dot < 0 ? dotted : dotted.slice(0, dot);
  const rest = dot < 0 ? '' : dotted.slice(dot);
  const resolved = imports.get(head);
  const full = resolved !== undefined ? resolved + rest : guessUnimported(head) + rest;
  return full.startsWith('tensorflow.') ? `tf.${full.slice('tensorflow.'.length)}` : full;
}

/** Snippets often use the conventional aliases without importing them. */
function guessUnimported(head: string): string {
  switch (head) {
    case 'nn': return 'torch.nn';
    case 'F': return 'torch.nn.functional';
    case 'layers': return 'keras.layers';
    default: return head;
  }
}

export interface FrameworkSymbol {
  readonly framework: SourceFramework;
  /** 'layers' for layer classes, 'functional' for torch.nn.functional, 'model' for Sequential/Model/Input. */
  readonly namespace: 'layers' | 'functional' | 'model' | 'torch';
  readonly name: string;
}

const KERAS_PREFIXES = ['tf.keras.', 'keras.', 'tf_keras.'];

/** Classifies a canonical name as a PyTorch or Keras symbol. */
export function frameworkSymbol(qualified: string): FrameworkSymbol | undefined {
  if (qualified.startsWith('torch.nn.functional.')) {
    return { framework: 'pytorch', namespace: 'functional', name: qualified.slice('torch.nn.functional.'.length) };
  }
  if (qualified.startsWith('torch.nn.')) {
    const name = qualified.slice(qualified.lastIndexOf('.') + 1);
    return { framework: 'pytorch', namespace: name === 'Sequential' ? 'model' : 'layers', name };
  }
  if (qualified.startsWith('torch.')) return { framework: 'pytorch', namespace: 'torch', name: qualified.slice('torch.'.length) };
  for (const prefix of KERAS_PREFIXES) {
    if (!qualified.startsWith(prefix)) continue;
    const rest = qualified.slice(prefix.length);
    const name = rest.slice(rest.lastIndexOf('.') + 1);
    if (name === 'Sequential' || name === 'Model' || name === 'Input') return { framework: 'keras', namespace: 'model', name };
    if (rest.startsWith('layers.')) return { framework: 'keras', namespace: 'layers', name };
    if (rest.startsWith('models.')) return { framework: 'keras', namespace: 'model', name };
  }
  return undefined;
}
