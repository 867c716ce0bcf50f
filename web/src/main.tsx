import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { FIRST_RENDER_WAIT_MS, settledWithin } from './app/prime';
import { firstScreenPrimed } from './app/startup';
import './styles/global.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// The first render waits (briefly) for the first screen's data that boot.js asked for, so that
// screen is rendered and painted once, with it, rather than first with placeholders.
void settledWithin(firstScreenPrimed, FIRST_RENDER_WAIT_MS).then(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
