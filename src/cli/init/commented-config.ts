import { stringify } from 'yaml';
import { type ConfigKey, configKeys } from '../../config/keys.ts';

/**
 * A run config in YAML that lists every key of the schema, each under its description: the keys
 * in `values` are set, every other one is commented out with its default, so removing `# ` from
 * a line (and from the lines of the mapping it is in) sets it. For a policy or trainer, the keys
 * of the chosen `type` come first and those of every other type follow, commented out.
 * Generated from the config schema (src/config/schema.ts), as docs/config.md is, so it never
 * lists a key that does not exist or misses one that does.
 */
export function commentedConfig(values: Record<string, unknown>, header: string[] = [], keys: ConfigKey[] = configKeys()): string {
  const lines = header.map((line) => (line ? `# ${line}` : '#'));
  for (const key of childrenOf(keys, '', undefined)) {
    lines.push('');
    renderKey(keys, key, values[leaf(key.path)], '', true, lines);
  }
  return lines.join('\n') + '\n';
}

const WIDTH = 100;
const INDENT = '  ';

function renderKey(keys: ConfigKey[], key: ConfigKey, value: unknown, indent: string, parentSet: boolean, lines: string[]): void {
  const set = parentSet && isSet(value);
  describe(key, indent, lines);
  const name = leaf(key.path);
  const line = (text: string, on: boolean) => lines.push(on ? `${indent}${text}` : `${indent}# ${text}`);
  if (isUnion(key)) {
    line(`${name}:`, set);
    const chosen = String((set ? (value as { type?: unknown }).type : undefined) ?? (key.default as { type?: unknown } | undefined)?.type ?? variantsOf(keys, key)[0]);
    renderVariant(keys, key, chosen, set ? (value as Record<string, unknown>) : {}, indent + INDENT, set, lines);
    for (const variant of variantsOf(keys, key).filter((v) => v !== chosen)) {
      lines.push(`${indent}${INDENT}#`, `${indent}${INDENT}# With type: ${variant} instead, these keys apply:`);
      renderVariant(keys, key, variant, {}, indent + INDENT, false, lines);
    }
  } else if (isMapping(key)) {
    line(`${name}:`, set);
    for (const child of childrenOf(keys, key.path, key.variant)) {
      renderKey(keys, child, set ? (value as Record<string, unknown>)[leaf(child.path)] : undefined, indent + INDENT, set, lines);
    }
  } else if (isListOfMappings(keys, key) && !set) {
    line(`${name}:`, false);
    childrenOf(keys, `${key.path}[]`, key.variant).forEach((child, i) => {
      describe(child, indent + INDENT, lines);
      const dash = i === 0 ? '- ' : '  ';
      lines.push(`${indent}${INDENT}# ${dash}${leaf(child.path)}:${valueText(child.default)}`);
    });
  } else {
    // Unset keys show their default; a `type` of a kind not chosen shows that kind.
    line(`${name}:${valueText(set ? value : (value ?? key.default))}`, set);
  }
}

function renderVariant(keys: ConfigKey[], union: ConfigKey, variant: string, value: Record<string, unknown>, indent: string, set: boolean, lines: string[]): void {
  for (const child of childrenOf(keys, union.path, variant)) {
    const own = leaf(child.path) === 'type' ? variant : value[leaf(child.path)];
    renderKey(keys, child, own, indent, set, lines);
  }
}

function describe(key: ConfigKey, indent: string, lines: string[]): void {
  const kind = isMapping(key) || isUnion(key) || leaf(key.path) === 'type' ? '' : ` (${key.type}${key.required ? ', required' : ''})`;
  for (const text of wrap(`${key.description ?? ''}${kind}`.trim(), WIDTH - indent.length - 2)) lines.push(`${indent}# ${text}`);
}

/** ` value` as YAML on one line, or nothing for a key without a value. */
function valueText(value: unknown): string {
  if (value === undefined) return '';
  const text = stringify(value, { collectionStyle: 'flow', lineWidth: 0, doubleQuotedAsJSON: true }).trim();
  // A string with line breaks (a prompt template) would span lines, only the first commented out: JSON is YAML on one line.
  return ` ${text.includes('\n') ? JSON.stringify(value) : text}`;
}

function isSet(value: unknown): boolean {
  if (value === undefined) return false;
  // A mapping with nothing set in it would be written as an empty key, which YAML reads as null.
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return Object.keys(value).length > 0;
  return true;
}

const leaf = (path: string) => path.split('.').at(-1)!;
const parentOf = (path: string) => {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(0, dot);
};
const isUnion = (key: ConfigKey) => key.type.startsWith('mapping, by type');
const isMapping = (key: ConfigKey) => key.type === 'mapping';
const isListOfMappings = (keys: ConfigKey[], key: ConfigKey) => keys.some((k) => parentOf(k.path) === `${key.path}[]`);

function childrenOf(keys: ConfigKey[], parent: string, variant: string | undefined): ConfigKey[] {
  return keys.filter((key) => parentOf(key.path) === parent && key.variant === variant);
}

function variantsOf(keys: ConfigKey[], union: ConfigKey): string[] {
  return [...new Set(keys.filter((key) => parentOf(key.path) === union.path && key.variant !== undefined).map((key) => key.variant!))];
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
