/** The model id recorded on samples: names the exact weights, so a new checkpoint never reuses cached samples. */
export function embeddedModelId(digest: string): string {
  return `embedded:${digest}`;
}
