import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectToHost } from './teams';

void connectToHost().then((host) => {
  document.documentElement.lang = host.locale.toLowerCase().startsWith('en') ? 'en' : 'fr';
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App host={host} />
    </StrictMode>,
  );
});
