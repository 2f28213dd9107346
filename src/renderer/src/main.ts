/**
 * Renderer entry: picks the transport (desktop bridge or browser-mode WebSocket), then mounts the app. A
 * startup failure is shown in the page, never a blank window.
 */
import './style-nonce.ts'; // first: stamps the CSP nonce on style elements created from here on
import { mount } from 'svelte';
import App from './App.svelte';
import { chooseApi } from './app/choose-api.ts';
import './app.css';

const target = document.getElementById('app')!;

function showFatal(message: string): void {
  const box = document.createElement('div');
  box.className = 'fatal';
  box.setAttribute('role', 'alert');
  const h = document.createElement('h1');
  h.textContent = 'Loopscope cannot start';
  const p = document.createElement('p');
  p.textContent = message;
  box.append(h, p);
  target.replaceChildren(box);
}

let disconnected: (reason: string) => void = (reason) => showFatal(reason);

chooseApi((reason) => disconnected(reason)).then(
  (api) => {
    const app = mount(App, { target, props: { api, onDisconnect: (fn: (reason: string) => void) => (disconnected = fn) } });
    void app;
  },
  (e: unknown) => showFatal(e instanceof Error ? e.message : String(e)),
);
