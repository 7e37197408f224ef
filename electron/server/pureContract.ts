// A build plugin for the renderer (electron.vite.config.ts and buildRenderer.ts use it alike): the
// renderer imports a few constants and two schemas from shared/contract, and importing a module runs
// all of it, so without this the window built every zod schema of those modules at load (~30 ms of a
// fresh window's first paint on the 2-vCPU machine, docs/benchmarks.md). Zod's factories are already
// marked free of side effects, but a chain such as `z.object({...}).strict()` is not, so the bundler
// kept them. This marks each call in a contract module's top-level declarations /* @__PURE__ */, so
// the bundle keeps only the schemas the renderer uses. Function bodies are left alone (a call there
// runs when the function does), and a module whose positions do not line up is left unchanged.
import type { Plugin } from 'vite';

/** The modules whose top-level values are schemas and constants only. */
const CONTRACT = /[\\/]shared[\\/](?:contract[\\/][^\\/]+|shell)\.ts$/;

interface Node {
  type: string;
  start: number;
  [key: string]: unknown;
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';

/** The identifier a call chain starts with (`z` in `z.object({}).strict()`), if it starts with one. */
function rootName(node: Node): string | null {
  let n: Node = node;
  for (;;) {
    if (n.type === 'CallExpression') n = n.callee as Node;
    else if (n.type === 'MemberExpression') n = n.object as Node;
    else return n.type === 'Identifier' ? (n.name as string) : null;
  }
}

/** The calls evaluated when the module loads, in one top-level declaration's value: where each starts and its first identifier. */
function callsIn(node: unknown, out: { at: number; name: string | null }[]): void {
  if (!isNode(node)) return;
  switch (node.type) {
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'ClassExpression':
      return; // runs later, if at all
    case 'CallExpression':
    case 'NewExpression':
      if (node.type === 'CallExpression') out.push({ at: node.start, name: rootName(node) });
      break;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' || key === 'start' || key === 'end' || key === 'range' || key === 'loc') continue;
    if (Array.isArray(value)) for (const v of value) callsIn(v, out);
    else callsIn(value, out);
  }
}

/** `files`: which modules to mark (the contract's, by default). */
export function pureContract(files: RegExp = CONTRACT): Plugin {
  return {
    name: 'canary:pure-contract',
    enforce: 'pre',
    transform(code, id) {
      if (!files.test(id)) return null;
      const program = this.parse(code, { lang: 'ts' }) as unknown as { body: Node[] };
      const calls: { at: number; name: string | null }[] = [];
      for (const stmt of program.body) {
        const decl = stmt.type === 'ExportNamedDeclaration' ? (stmt.declaration as Node | null) : stmt;
        if (decl?.type !== 'VariableDeclaration') continue;
        for (const d of decl.declarations as Node[]) callsIn(d.init, calls);
      }
      // Each chain must start where the parser says, with its identifier (else positions are not this text's).
      if (!calls.length || calls.some((c) => (c.name === null ? !/[([]/.test(code[c.at] ?? '') : !code.startsWith(c.name, c.at)))) return null;
      let out = code;
      for (const i of [...new Set(calls.map((c) => c.at))].sort((a, b) => b - a)) out = `${out.slice(0, i)}/* @__PURE__ */ ${out.slice(i)}`;
      return { code: out, map: null };
    },
  };
}
