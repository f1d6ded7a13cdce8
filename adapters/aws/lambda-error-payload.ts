// What Lambda puts in the response payload of an invocation whose function failed (a throw, a timeout, out of memory).

/** The `{ errorType, errorMessage }` object Lambda puts in the payload of a failed invocation, read leniently. */
export function lambdaErrorPayload(payload: string): { errorType: string; errorMessage: string } {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { errorType: 'Unknown', errorMessage: payload || '(no error payload)' };
  }
  const o = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return {
    errorType: typeof o['errorType'] === 'string' ? o['errorType'] : 'Unknown',
    errorMessage: typeof o['errorMessage'] === 'string' ? o['errorMessage'] : payload,
  };
}
