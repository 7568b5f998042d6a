import { mount } from "svelte";
// Every rule is in a global sheet here (components have no <style> blocks); each area's rules
// start with its component's root class, so none reaches beyond it.
import "./styles/app.css";
import "./styles/icons.css";
import "./styles/client-import.css";
import "./styles/console.css";
import "./styles/settings.css";
import "./styles/reports.css";
import "./styles/xpm.css";
import App from "./App.svelte";
import { mark } from "./lib/perf";

mark("script-started");

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

export default mount(App, { target });
