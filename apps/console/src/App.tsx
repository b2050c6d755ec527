import { useCallback, useEffect, useState } from 'react';
import { loadSession, saveSession, whenSignedOut, type Session } from './api/client.js';
import { homeFor, pagesFor, trialsOf } from './roles.js';
import { SignInPage } from './pages/SignInPage.js';
import { LedgerPage } from './pages/LedgerPage.js';
import { LineagePage } from './pages/LineagePage.js';
import { AuditTrailPage } from './pages/AuditTrailPage.js';
import { AuditReviewsPage } from './pages/AuditReviewsPage.js';
import { MonitorPage } from './pages/MonitorPage.js';
import { RegulatoryPage } from './pages/RegulatoryPage.js';

/** Hash routes (`#/monitor`): the API serves one page at `/`, nothing to configure on the server. */
function useHashRoute(): [string, URLSearchParams, (to: string) => void] {
  const read = () => {
    const [path = '', query = ''] = window.location.hash.replace(/^#/, '').split('?');
    return { path: path || '/', query };
  };
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const go = useCallback((to: string) => {
    window.location.hash = to;
  }, []);
  return [route.path, new URLSearchParams(route.query), go];
}

export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [path, params, go] = useHashRoute();
  const [notice, setNotice] = useState<string>();
  const grants = session?.actor.grants ?? [];
  const trials = trialsOf(grants);
  const [trialId, setTrialId] = useState<string>(trials[0] ?? 'GLIO-RAD-01');

  useEffect(() => {
    whenSignedOut(() => {
      setSession(undefined);
      setNotice('Your session has ended. Sign in again.');
    });
  }, []);
  useEffect(() => {
    if (trials.length > 0 && !trials.includes(trialId)) setTrialId(trials[0]!);
  }, [trials, trialId]);

  if (!session) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(s) => {
          saveSession(s);
          setSession(s);
          setNotice(undefined);
          const t = trialsOf(s.actor.grants);
          if (t[0]) setTrialId(t[0]);
          go(path === '/' || path === '/signin' ? homeFor(s.actor.grants) : path);
        }}
      />
    );
  }

  const pages = pagesFor(grants);
  const current = pages.find((p) => p.path === path) ? path : homeFor(grants);
  const roles = [...new Set(grants.map((g) => g.role))].join(', ') || 'no role';
  const signOut = () => {
    saveSession(undefined);
    setSession(undefined);
    go('/');
  };

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">RadLedger</span>
        <nav aria-label="Pages">
          <ul>
            {pages.map((p) => (
              <li key={p.path}>
                <a href={`#${p.path}`} aria-current={p.path === current ? 'page' : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <label>
            <span className="sr-only">Trial</span>
            <select value={trialId} onChange={(e) => setTrialId(e.target.value)} aria-label="Trial">
              {(trials.length > 0 ? trials : [trialId]).map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <span data-testid="signed-in-as">
            {session.actor.printedName} <small>({roles})</small>
          </span>
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">
        {current === '/ledger' && <LedgerPage key={params.get('event') ?? ''} initialEventId={params.get('event') ?? undefined} trialId={trialId} />}
        {current === '/monitor' && <MonitorPage trialId={trialId} />}
        {current === '/qa/lineage' && <LineagePage key={params.get('id') ?? ''} trialId={trialId} initialId={params.get('id') ?? undefined} />}
        {current === '/qa/audit' && <AuditTrailPage trialId={trialId} />}
        {current === '/qa/reviews' && <AuditReviewsPage trialId={trialId} canComplete={grants.some((g) => ['qa', 'regulatory', 'admin'].includes(g.role))} />}
        {current === '/regulatory' && <RegulatoryPage trialId={trialId} />}
      </main>
    </div>
  );
}
