// Builds the UI into apps/ui/dist. Every URL is prefixed with a placeholder that the server
// replaces with PREFECT_UI_SERVE_BASE when it copies the build to its static directory, so one
// build serves under any base path.
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export const SERVE_BASE_PLACEHOLDER = '/ORRERY_UI_SERVE_BASE_PLACEHOLDER';

export default defineConfig({
  base: `${SERVE_BASE_PLACEHOLDER}/`,
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
    dedupe: ['vue', 'vue-router', '@prefecthq/prefect-design', '@prefecthq/vue-compositions'],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    sourcemap: false,
    // The plugin-timing report is noise in `npm start`'s output.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
