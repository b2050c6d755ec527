/** POST /graphql on the API that served the console, with the session's bearer token. */

export interface Grant {
  role: string;
  trialId?: string | null;
  siteId?: string | null;
}

export interface Session {
  token: string;
  expiresAt: string;
  actor: { userId: string; printedName: string; authMethod: string; grants: Grant[] };
}

const KEY = 'radledger.console.session';

/** The token lives in sessionStorage: gone when the tab closes, never in a cookie (no CSRF surface). */
export function loadSession(): Session | undefined {
  try {
    const text = sessionStorage.getItem(KEY);
    if (!text) return undefined;
    const session = JSON.parse(text) as Session;
    return Date.parse(session.expiresAt) > Date.now() ? session : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

let onUnauthenticated: () => void = () => undefined;
export function whenSignedOut(handler: () => void): void {
  onUnauthenticated = handler;
}

/**
 * `signing`: the call carries a signer's re-entered password (21 CFR 11.200); a wrong one is
 * UNAUTHENTICATED naming `credentials.password`, which is the signer's typo, not a lost session:
 * the user stays signed in and may try again.
 */
export async function graphql<T>(query: string, variables: Record<string, unknown> = {}, options: { signing?: boolean } = {}): Promise<T> {
  const session = loadSession();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (session) headers['authorization'] = `Bearer ${session.token}`;
  let res: Response;
  try {
    res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new ApiError('The RadLedger API cannot be reached.', 'NETWORK');
  }
  const body = (await res.json().catch(() => ({}))) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? 'ERROR';
    const badSignerPassword = options.signing === true && first.message.startsWith('credentials.password');
    if ((code === 'UNAUTHENTICATED' || code === 'PASSWORD_CHANGE_REQUIRED') && !badSignerPassword) {
      if (session) {
        saveSession(undefined);
        onUnauthenticated();
      }
    }
    throw new ApiError(first.message, code);
  }
  if (!body.data) throw new ApiError(`The API answered HTTP ${res.status} without data.`, 'HTTP_' + res.status);
  return body.data;
}

/** Saves text as a file the user downloads (CSV, proof bundles): built in the page, nothing sent. */
export function downloadText(name: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
