import { createWorkspaceRouteRecords, RouteGuardExecutioner } from '@prefecthq/prefect-ui-library';
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { serveBase } from './services/base';
import { storedCredentials } from './services/credentials';
import { loadUiSettings } from './services/uiSettings';

/**
 * Every page of Prefect's UI, under the route names the library links to (its components build
 * links with `createWorkspaceRoutes()`), plus our login, settings and server pages.
 */
const workspacePages = createWorkspaceRouteRecords({
  dashboard: () => import('./pages/DashboardPage.vue'),
  runs: () => import('./pages/RunsPage.vue'),
  flowRun: () => import('./pages/FlowRunPage.vue'),
  taskRun: () => import('./pages/TaskRunPage.vue'),
  flows: () => import('./pages/FlowsPage.vue'),
  flow: () => import('./pages/FlowPage.vue'),
  deployments: () => import('./pages/DeploymentsPage.vue'),
  deployment: () => import('./pages/DeploymentPage.vue'),
  deploymentEdit: () => import('./pages/DeploymentFormPage.vue'),
  deploymentDuplicate: () => import('./pages/DeploymentFormPage.vue'),
  deploymentFlowRunCreate: () => import('./pages/FlowRunCreatePage.vue'),
  workPools: () => import('./pages/WorkPoolsPage.vue'),
  workPool: () => import('./pages/WorkPoolPage.vue'),
  workPoolCreate: () => import('./pages/WorkPoolCreatePage.vue'),
  workPoolEdit: () => import('./pages/WorkPoolEditPage.vue'),
  workPoolQueue: () => import('./pages/WorkPoolQueuePage.vue'),
  workPoolQueueCreate: () => import('./pages/WorkPoolQueueFormPage.vue'),
  workPoolQueueEdit: () => import('./pages/WorkPoolQueueFormPage.vue'),
  blocks: () => import('./pages/BlocksPage.vue'),
  blocksCatalog: () => import('./pages/BlocksCatalogPage.vue'),
  blocksCatalogView: () => import('./pages/BlockTypePage.vue'),
  blockCreate: () => import('./pages/BlockCreatePage.vue'),
  block: () => import('./pages/BlockPage.vue'),
  blockEdit: () => import('./pages/BlockEditPage.vue'),
  variables: () => import('./pages/VariablesPage.vue'),
  automations: () => import('./pages/AutomationsPage.vue'),
  automation: () => import('./pages/AutomationPage.vue'),
  automationCreate: () => import('./pages/AutomationFormPage.vue'),
  automationEdit: () => import('./pages/AutomationFormPage.vue'),
  events: () => import('./pages/EventsPage.vue'),
  event: () => import('./pages/EventPage.vue'),
  concurrencyLimits: () => import('./pages/ConcurrencyLimitsPage.vue'),
  concurrencyLimit: () => import('./pages/ConcurrencyLimitPage.vue'),
  artifacts: () => import('./pages/ArtifactsPage.vue'),
  artifact: () => import('./pages/ArtifactPage.vue'),
  artifactKey: () => import('./pages/ArtifactKeyPage.vue'),
});

const records: RouteRecordRaw[] = [
  {
    path: '/',
    component: () => import('./components/AppShell.vue'),
    children: [
      { path: '', name: 'root', redirect: { name: 'workspace.dashboard' } },
      ...(workspacePages as RouteRecordRaw[]),
      { path: 'settings', name: 'settings', component: () => import('./pages/SettingsPage.vue') },
      { path: 'server', name: 'server', component: () => import('./pages/ServerPage.vue') },
    ],
  },
  {
    path: '/login',
    name: 'login',
    component: () => import('./pages/LoginPage.vue'),
    props: (route) => ({ redirect: typeof route.query.redirect === 'string' ? route.query.redirect : '/' }),
  },
  { path: '/:pathMatch(.*)*', name: '404', component: () => import('./pages/NotFoundPage.vue') },
];

export const router = createRouter({ history: createWebHistory(`${serveBase()}/`), routes: records });

// With an auth string on the server and no credentials here, no page may mount (it would call the
// API and be refused): the login page comes first.
router.beforeEach(async (to) => {
  if (to.name === 'login' || to.name === '404') return true;
  const settings = await loadUiSettings();
  if (settings.auth !== null && storedCredentials() === null) {
    return { name: 'login', query: { redirect: to.fullPath } };
  }
  return true;
});
router.beforeEach((to, from) => RouteGuardExecutioner.before(to, from));
router.afterEach((to, from) => {
  if (to.fullPath !== from.fullPath) document.title = 'Orrery';
  return RouteGuardExecutioner.after(to, from);
});
