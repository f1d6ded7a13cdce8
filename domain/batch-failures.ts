// How much of a rejected batch is listed: the first failures by position, the rest counted, so one huge bad input
// cannot turn its refusal into hundreds of megabytes of text.

/**
 * Failures a `BatchRejectedError` lists (in its message, and in the HTTP answer's `failures`); any beyond are counted
 * ("… and K more", `failuresOmitted`). Why: a 2 MB body of a million bad events was answered 500 MB after 100 s.
 */
export const LISTED_FAILURES = 100;

/** The message of a batch whose `failures` (by position) were rejected out of `total` events. */
export function batchRejectedMessage(failures: readonly { readonly index: number; readonly error: { readonly message: string } }[], total: number): string {
  const lines = failures.slice(0, LISTED_FAILURES).map((f) => `#${f.index}: ${f.error.message}`);
  if (failures.length > LISTED_FAILURES) lines.push(`… and ${failures.length - LISTED_FAILURES} more`);
  return `${failures.length} of ${total} event(s) rejected; nothing was written:\n${lines.join('\n')}`;
}
