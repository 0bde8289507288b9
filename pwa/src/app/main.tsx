import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createBrowserServices } from './browser-services.ts';
import { TillContext } from './till-context.ts';
import './app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

/** The console's code could not be fetched (offline before it was ever cached). */
function ConsoleNotLoaded() {
  return (
    <p className="app-loading">The manager console could not be loaded: it needs the server. Reload when online.</p>
  );
}

/** `/manage` and below is the manager console; everything else is the till. */
const isConsole = /^\/manage(\/|$)/.test(location.pathname);

if (isConsole) {
  // A chunk of its own, so the till never loads the console's code. The console makes no till
  // database, sync engine or service worker registration: a manager's laptop is not a till.
  const ManageApp = lazy(() =>
    import('../features/manage/ManageApp.tsx').then(
      (module) => ({ default: module.ManageApp }),
      () => ({ default: ConsoleNotLoaded }),
    ),
  );
  // The console's requests fail fast when offline (networkMode 'always') instead of pausing, so
  // it can say "offline" and keep the figures it has.
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: true, networkMode: 'always' },
      mutations: { networkMode: 'always' },
    },
  });
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <Suspense fallback={<p className="app-loading">Opening the manager console…</p>}>
          <ManageApp />
        </Suspense>
      </QueryClientProvider>
    </StrictMode>,
  );
} else {
  const services = createBrowserServices();
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: true } },
  });

  // Only a production build has a service worker to register (the server serves it at /sw.js).
  if (import.meta.env.PROD) services.updater.register('/sw.js');

  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <TillContext.Provider value={services}>
          <App />
        </TillContext.Provider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
