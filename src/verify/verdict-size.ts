/**
 * A verdict's text fields are stored with every verdict of a run, and a verifier (a plug-in, or
 * one echoing model output) may return any amount: a reason is cut to a size a reader can use, an
 * extracted answer too long to be one is dropped (cut, it could vote with a different answer).
 */
export const MAX_REASON_CHARS = 4_000;
export const MAX_EXTRACTED_CHARS = 4_000;

export function capReason(reason: string): string {
  if (reason.length <= MAX_REASON_CHARS) return reason;
  return `${reason.slice(0, MAX_REASON_CHARS)}… [${reason.length - MAX_REASON_CHARS} more characters cut]`;
}

/** The verdict's reason and extracted answer within the limits. */
export function capVerdictText(reason: string, extracted: string | undefined): { reason: string; extracted?: string } {
  if (extracted === undefined || extracted.length <= MAX_EXTRACTED_CHARS) return { reason: capReason(reason), ...(extracted === undefined ? {} : { extracted }) };
  return { reason: `${capReason(reason)} [extracted answer of ${extracted.length} characters not kept]` };
}
