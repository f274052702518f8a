export { loadProblems, readProblemFile, type LoadProblemsOptions, type ProblemFile } from './load.ts';
export { checkProblems, ProblemFileCheck, CONFIG_VERIFIER_KEY } from './check.ts';
export { lastBoxed } from '../util/boxed.ts';
export { gsm8kGold } from './gsm8k.ts';
export type { ConcreteProblemFormat } from './detect.ts';
