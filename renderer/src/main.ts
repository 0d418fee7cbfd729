/** Entry point: connect to the core (preload or web host) and mount the app. */
import { mount } from 'svelte';
import App from './App.svelte';
import { connect } from './api/connect';
import { Workspace } from './state/workspace.svelte';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

const connection = connect();
if (typeof connection === 'string') {
  mount(App, { target, props: { problem: connection } });
} else {
  const workspace = new Workspace(connection.client);
  mount(App, { target, props: { workspace, onclose: connection.onClose } });
  void workspace.start();
}
