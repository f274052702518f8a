/** One case of a rule table: the gold, the answer a candidate boxes, the verdict it must get. */
export type Verdict = 'correct' | 'incorrect' | 'unparseable';
export type Case = readonly [gold: string, prediction: string, verdict: Verdict];
