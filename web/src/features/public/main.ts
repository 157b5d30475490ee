// The citizen pages' own entry (public.html): no session, no staff shell, only public messages.
import { mount } from 'svelte';
import PublicApp from './PublicApp.svelte';
import '../../app.css';
import { registerServiceWorker } from '../../lib/offline/register';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from public.html');

registerServiceWorker();

export default mount(PublicApp, { target });
