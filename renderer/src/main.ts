import { createApp } from 'vue';
import { createPinia } from 'pinia';
import 'uplot/dist/uPlot.min.css';
import './styles/base.css';
import './styles/tree.css';
import App from './App.vue';
import { i18n } from './i18n';

createApp(App).use(createPinia()).use(i18n).mount('#app');
