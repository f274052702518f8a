import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { RunConfig } from './schema.ts';

/** The part of JSON Schema that z.toJSONSchema writes for the run config. */
export interface JsonSchema {
  type?: string;
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
}

/** The config file's JSON Schema: what a user writes (defaults make keys optional). */
export function configJsonSchema(): JsonSchema & { $schema?: string } {
  // Draft 7: the draft editors' YAML and JSON support knows best.
  return z.toJSONSchema(RunConfig, { io: 'input', target: 'draft-7' }) as JsonSchema;
}

export interface ConfigKey {
  /** Dotted path; `[]` stands for every item of a list (`policy.endpoints[].weight`). */
  path: string;
  /** For a key of one kind of a union (policy, train): that kind's `type`. */
  variant?: string;
  type: string;
  default?: unknown;
  required: boolean;
  description?: string;
  /** A mapping whose keys are the user's (`policy.extraBody`, verifier options): any key below it is valid. */
  open: boolean;
}

/** Every key of the run config, depth first, in schema order. */
export function configKeys(schema: JsonSchema = configJsonSchema()): ConfigKey[] {
  const keys: ConfigKey[] = [];
  const visit = (node: JsonSchema, prefix: string, variant: string | undefined) => {
    const required = new Set(node.required ?? []);
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${name}` : name;
      const kinds = (child.oneOf ?? []).filter((member) => member.properties?.type?.const !== undefined);
      keys.push({
        path,
        variant,
        type: typeName(child),
        default: child.default,
        required: required.has(name),
        description: child.description,
        open: isOpen(child),
      });
      if (child.properties) visit(child, path, variant);
      if (child.items?.properties) visit(child.items, `${path}[]`, variant);
      for (const kind of kinds) visit(kind, path, String(kind.properties!.type.const));
    }
  };
  visit(schema, '', undefined);
  return keys;
}

/** A key a `--set` may name: known, or inside a mapping of free keys. */
export function assertKnownConfigKey(path: string, keys: ConfigKey[] = configKeys()): void {
  const settable = keys.filter((key) => !key.path.includes('[]'));
  if (settable.some((key) => key.path === path || (key.open && path.startsWith(`${key.path}.`)))) return;
  // A section the path is inside contains it by name, but is no nearer for that.
  const paths = [...new Set(settable.map((key) => key.path))].filter((known) => !path.startsWith(`${known}.`));
  throw new ConfigError(`--set ${path}: no such config key.${didYouMean(path, paths)}`);
}

function isOpen(node: JsonSchema): boolean {
  if (node.type === 'object' && !node.properties && node.additionalProperties !== false) return true;
  return (node.anyOf ?? []).some((member) => member.properties !== undefined || isOpen(member));
}

function typeName(node: JsonSchema): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum) return node.enum.map((value) => JSON.stringify(value)).join(' | ');
  const kinds = node.oneOf?.map((member) => member.properties?.type?.const);
  if (kinds?.every((kind) => kind !== undefined)) return `mapping, by type: ${kinds.map((kind) => JSON.stringify(kind)).join(' | ')}`;
  const members = node.oneOf ?? node.anyOf;
  if (members) return members.map(memberName).join(' | ');
  switch (node.type) {
    case 'integer':
    case 'number':
      return `${node.type}${bounds(node)}`;
    case 'string':
      return node.format === 'uri' ? 'URL' : 'string';
    case 'array': {
      const limit = node.maxItems !== undefined ? ` (at most ${node.maxItems})` : node.minItems ? ` (at least ${node.minItems})` : '';
      return `list of ${node.items ? memberName(node.items) : 'any'}${limit}`;
    }
    case 'object':
      return node.properties ? 'mapping' : 'mapping of any keys';
    default:
      return node.type ?? 'any';
  }
}

/** A member of a union or list: an object is shown by its keys. */
function memberName(node: JsonSchema): string {
  if (node.type === 'object' && node.properties) {
    const required = new Set(node.required ?? []);
    return `{${Object.keys(node.properties).map((key) => (required.has(key) ? key : `${key}?`)).join(', ')}}`;
  }
  return typeName(node);
}

function bounds(node: JsonSchema): string {
  const parts: string[] = [];
  if (node.exclusiveMinimum !== undefined) parts.push(node.type === 'integer' ? `≥ ${node.exclusiveMinimum + 1}` : `> ${node.exclusiveMinimum}`);
  if (node.minimum !== undefined) parts.push(`≥ ${node.minimum}`);
  if (node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER) parts.push(`≤ ${node.maximum}`);
  return parts.length ? `, ${parts.join(', ')}` : '';
}
