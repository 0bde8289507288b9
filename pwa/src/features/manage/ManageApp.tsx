import type { ManagerSession } from '@till/shared/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ManagePage } from './page-props.ts';
import { navigateTo, parseRoute, useLocationKey } from './router.ts';
import { SignInScreen } from './session/SignInScreen.tsx';
import { useSession } from './session/use-session.ts';
import { PageErrorBoundary } from './shell/ErrorBoundary.tsx';
import { Nav } from './shell/Nav.tsx';
import { OfflineBanner } from './shell/OfflineBanner.tsx';
import { PAGES } from './shell/pages.tsx';
import { TopBar } from './shell/TopBar.tsx';
import { useConnection } from './shell/use-connection.ts';
import { useSessionGuard } from './shell/use-session-guard.ts';
import { useStoreChoice } from './shell/use-store-choice.ts';
import { DataState } from './ui/DataState.tsx';
import './manage.css';

const SESSION_ENDED = 'Your session ended, sign in again.';

/**
 * The manager console at `/manage`: sign-in, then the pages of one store. It is loaded lazily by
 * `main.tsx` and shares nothing with the till but React and TanStack Query — no IndexedDB, no
 * sync engine, no service worker registration.
 */
export function ManageApp() {
  const session = useSession();
  const connection = useConnection();
  const [notice, setNotice] = useState<string | null>(null);
  const signingOut = useRef(false);
  const hadSession = useRef(false);
  const lastEmail = useRef('');

  useSessionGuard(() => setNotice(SESSION_ENDED));

  // A session check that comes back empty after a session was there: it ended on the server.
  useEffect(() => {
    if (session.data) {
      hadSession.current = true;
      lastEmail.current = session.data.manager.email;
      signingOut.current = false;
      setNotice(null);
    } else if (session.data === null && hadSession.current) {
      hadSession.current = false;
      if (!signingOut.current) setNotice(SESSION_ENDED);
    }
  }, [session.data]);

  useEffect(() => {
    document.title = 'Till · Manager console';
  }, []);

  const current = session.data;
  return (
    <div className="m-app">
      {current ? (
        <Console
          session={current}
          connection={connection}
          onSigningOut={(active) => {
            signingOut.current = active;
          }}
        />
      ) : (
        <>
          {connection.offline && <OfflineBanner figuresAt={null} store={null} />}
          {current === null ? (
            <SignInScreen notice={notice} email={notice ? lastEmail.current : ''} />
          ) : (
            <main className="m-page">
              <DataState query={session} loading="Checking your session…">
                {() => null}
              </DataState>
            </main>
          )}
        </>
      )}
    </div>
  );
}

function Console({
  session,
  connection,
  onSigningOut,
}: {
  session: ManagerSession;
  connection: ReturnType<typeof useConnection>;
  onSigningOut: (active: boolean) => void;
}) {
  const locationKey = useLocationKey();
  const route = useMemo(() => {
    const url = new URL(locationKey, location.origin);
    return parseRoute(url.pathname, url.search);
  }, [locationKey]);
  const [store, chooseStore] = useStoreChoice(session);
  const navigate = useCallback(
    (page: ManagePage, params?: Record<string, string>, options?: { replace?: boolean }) =>
      navigateTo(page, params, options),
    [],
  );

  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    document.title = `${PAGES[route.page].label} · Till manager`;
    main.current?.scrollTo({ top: 0 });
  }, [route.page]);

  const { Page } = PAGES[route.page];
  return (
    <>
      <TopBar
        session={session}
        store={store}
        onChooseStore={(storeId) => {
          chooseStore(storeId);
          // Ids in the URL (a sale, a batch) belong to the store being left.
          navigate(route.page);
        }}
        onSigningOut={onSigningOut}
      />
      {connection.offline && <OfflineBanner figuresAt={connection.figuresAt} store={store} />}
      <div className="m-body">
        <Nav current={route.page} role={session.manager.role} onNavigate={(page) => navigate(page)} />
        <main className="m-main" ref={main}>
          {store === null ? (
            <div className="m-page">
              <div className="m-state">Your account may not see any store yet. Ask the owner to give you one.</div>
            </div>
          ) : (
            <PageErrorBoundary key={`${route.page}:${store.id}`}>
              <Page session={session} store={store} navigate={navigate} params={route.params} />
            </PageErrorBoundary>
          )}
        </main>
      </div>
    </>
  );
}
