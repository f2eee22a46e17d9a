// ESLint flat config: typescript-eslint strict + stylistic (type-checked), and the layer
// rules from CONVENTIONS.md enforced with no-restricted-imports so the architecture cannot rot.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', '.tap/', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      curly: ['error', 'multi-line'],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Fastify plugins and port methods are async by contract, whether or not they await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  // domain is pure: nothing but lib, no Node, no I/O.
  layer(['src/domain/**'], [
    { group: ['node:*', 'fs', 'net', 'dgram', 'http'], message: 'domain is pure: no Node imports' },
    { group: ['**/ports/**', '**/flows/**', '**/engines/**', '**/storage/**', '**/http/**', '**/config/**'], message: 'domain depends on lib only' },
  ]),
  // ports are interfaces only.
  layer(['src/ports/**'], [{ group: ['**/engines/**', '**/flows/**', '**/storage/**', '**/http/**'], message: 'ports depend on nothing above them' }]),
  // flows see ports and domain, never an engine, storage internals via its interface only.
  layer(['src/flows/**'], [{ group: ['**/engines/**', '**/http/**', 'drachtio-*', 'modesl'], message: 'flows talk to engines only through ports' }]),
  // engines never import each other, nor the product.
  layer(['src/engines/embedded/**'], [{ group: ['**/engines/freeswitch/**', '**/flows/**', '**/http/**', '**/storage/**', 'drachtio-*', 'modesl'], message: 'the embedded engine sees ports only' }]),
  layer(['src/engines/freeswitch/**'], [{ group: ['**/engines/embedded/**', '**/flows/**', '**/http/**', '**/storage/**'], message: 'the freeswitch engine sees ports only' }]),
  layer(['src/http/**'], [{ group: ['**/engines/**', '**/storage/**'], message: 'http reaches the product through flows, admin and read models' }]),
  // admin holds the administrative use cases over storage; it never sees the edges or the calls.
  layer(['src/admin/**'], [{ group: ['**/engines/**', '**/flows/**', '**/http/**'], message: 'admin depends on domain, storage and lib only' }]),
  // lookup holds the name-lookup sources over storage and HTTP; it never sees the calls or the edges.
  layer(['src/lookup/**'], [{ group: ['**/engines/**', '**/flows/**', '**/http/**'], message: 'lookup depends on domain, storage and lib only' }]),
  // The page's scripts run in the browser (plain ES modules, type-checked through src/web/tsconfig.json).
  {
    files: ['src/web/**/*.js'],
    // TypeScript (lib DOM) knows the browser's names; no-undef would not.
    rules: { 'no-undef': 'off' },
  },
  // notify sends what the record says (email); it never sees the calls or the edges.
  layer(['src/notify/**'], [{ group: ['**/engines/**', '**/flows/**', '**/http/**'], message: 'notify depends on domain, storage and lib only' }]),
  // tests may use anything, and tap's assertion style trips a few type-checked rules.
  {
    files: ['test/**', 'scripts/**'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests read JSON bodies (typed any by inject()/fetch) and assert on them directly.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Scripted peers stand in for vendor objects by shape.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
);
