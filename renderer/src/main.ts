/** Entry point: connect to the core (preload or web host) and mount the app. */
import { mount } from 'svelte';
import App from './App.svelte';
import { connect } from './api/connect';
import Blocked from './components/Blocked.svelte';
import { Workspace } from './state/workspace.svelte';
import { Home } from './home/home.svelte';
import { Simulator } from './simulation/simulator.svelte';
import { Exercise } from './exercise/exercise.svelte';
import { ScriptFlow } from './exercise/script-flow.svelte';
import { Theme } from './state/theme.svelte';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

const connection = connect();
if (typeof connection === 'string') {
  mount(Blocked, { target, props: { problem: connection } });
} else {
  const workspace = new Workspace(connection.client);
  const home = new Home(connection.client);
  const simulator = new Simulator(connection.client, workspace);
  const exercise = new Exercise(connection.client, workspace);
  const flow = new ScriptFlow(workspace, simulator, exercise);
  const theme = new Theme(connection.client);
  void theme.start();
  mount(App, {
    target,
    props: { workspace, home, simulator, exercise, flow, theme, onclose: connection.onClose },
  });
  void workspace.start();
  void home.start();
}
