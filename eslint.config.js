import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const outsideShared = ['**/api/**', '**/extension/**', '**/addon/**'];

/**
 * Another package's internal files (its build output, sources, generated code, stores): only its entry points are
 * its interface, and internals move between releases without notice. Stylesheets are exempt: packages ship them
 * as files (uPlot's CSS is `uplot/dist/uPlot.min.css`).
 */
const packageInternals = {
  regex: '^(?:@[^/.][^/]*/)?[^/.][^/]*/(?:.+/)?(?:dist|lib|src/gen|store)/(?!.*\\.css$)',
  message: "Import the package's entry point, not its internal files.",
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.output/**', '.wxt/**', '.tsbuild/**', 'data/**', 'coverage/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: [packageInternals] }],
    },
  },
  {
    // The contract is the border: shared code never reaches into a deployable.
    files: ['shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: outsideShared, message: 'shared/ must not import from api/, extension/ or addon/.' }, packageInternals] },
      ],
    },
  },
  {
    // Panels talk to their surface only through PanelHost.
    files: ['shared/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'chrome', message: 'Use PanelHost.' },
        { name: 'browser', message: 'Use PanelHost.' },
        { name: 'google', message: 'Use PanelHost.' },
      ],
    },
  },
  {
    files: ['api/src/server.ts', 'api/src/cli/**', 'api/bench/**', 'api/test/**'],
    rules: { 'no-console': 'off' },
  },
);
