import { mount } from 'svelte';
import App from './App.svelte';
import { i18n, loadLang } from './i18n/index.svelte';
import './app.css';
import { registerServiceWorker } from './lib/offline/register';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

// English is a lazy chunk: someone who chose it gets it before the first paint (offline: Vietnamese).
void loadLang(i18n.lang)
  .catch(() => undefined)
  .then(() => mount(App, { target }));

registerServiceWorker();
