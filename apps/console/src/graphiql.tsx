import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';

/**
 * GraphiQL for development, bundled and served by the API at /graphiql (no CDN). Queries go to
 * /graphql with the bearer token of the console's session when there is one (sign in at /).
 */
function fetcher(params: unknown) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  try {
    const session = JSON.parse(sessionStorage.getItem('radledger.console.session') ?? 'null') as { token?: string } | null;
    if (session?.token) headers['authorization'] = `Bearer ${session.token}`;
  } catch {
    // no console session: anonymous
  }
  return fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) }).then((r) => r.json());
}

createRoot(document.getElementById('graphiql')!).render(<GraphiQL fetcher={fetcher} defaultEditorToolsVisibility={true} />);
