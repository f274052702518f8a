import { isDeepStrictEqual } from 'node:util';

/** A setting whose stored value differs from the one given now; `undefined` is unset. */
export interface SettingChange {
  key: string;
  from: unknown;
  to: unknown;
}

/**
 * Settings as JSON reads them back (an `undefined` member is no member), with every nested mapping
 * flattened to dotted keys (`answer.minShare`); lists are values of their own.
 */
export function flattenSettings(settings: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(JSON.parse(JSON.stringify(settings)) as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, flattenSettings(value as Record<string, unknown>, path));
    else out[path] = value;
  }
  return out;
}

/** Every dotted key whose value differs between the stored settings and the ones given now, sorted; a key set in one only differs too. */
export function settingChanges(stored: Record<string, unknown>, given: Record<string, unknown>): SettingChange[] {
  const before = flattenSettings(stored);
  const after = flattenSettings(given);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((key) => !isDeepStrictEqual(before[key], after[key])).map((key) => ({ key, from: before[key], to: after[key] }));
}

/** One line: `rougeThreshold 0.7 → 0.5; blacklist unset → ["x"]`, each value cut at 80 characters. */
export function describeSettingChanges(changes: readonly SettingChange[]): string {
  const show = (value: unknown) => {
    const text = value === undefined ? 'unset' : JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}…` : text;
  };
  return changes.map(({ key, from, to }) => `${key} ${show(from)} → ${show(to)}`).join('; ');
}
