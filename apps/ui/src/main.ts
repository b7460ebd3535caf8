import { plugin as designSystem } from '@prefecthq/prefect-design';
import { applyColorModeClass, isColorMode, plugin as uiLibrary } from '@prefecthq/prefect-ui-library';
import { createApp } from 'vue';
import '@prefecthq/vue-charts/vue-charts.css';
import '@prefecthq/prefect-design/prefect-design.css';
import '@prefecthq/prefect-ui-library/prefect-ui-library.css';
import './styles.css';
// The app's components come after the libraries' stylesheets: import order is style order.
import App from './App.vue';
import { router } from './router';

const storedMode = localStorage.getItem('prefect-color-mode');
applyColorModeClass(isColorMode(storedMode) ? storedMode : null);

createApp(App).use(router).use(designSystem).use(uiLibrary).mount('#app');
