import { fileURLToPath } from 'node:url';

/** Absolute path of a run directory fixture written for these tests. */
export const runFixture = (name: string) => fileURLToPath(new URL(`../fixtures/runs/${name}`, import.meta.url));
