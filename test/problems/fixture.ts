import { fileURLToPath } from 'node:url';

/** Absolute path of a problem fixture written for these tests. */
export const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/problems/${name}`, import.meta.url));
