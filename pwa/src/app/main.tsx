import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createBrowserServices } from './browser-services.ts';
import { TillContext } from './till-context.ts';
import './app.css';

const services = createBrowserServices();
const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: true } },
});

// Only a production build has a service worker to register (the server serves it at /sw.js).
if (import.meta.env.PROD) services.updater.register('/sw.js');

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TillContext.Provider value={services}>
        <App />
      </TillContext.Provider>
    </QueryClientProvider>
  </StrictMode>,
);
