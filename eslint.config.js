// Lint = the architecture rules (HOUSE_STYLE): libs import each other only through their index,
// no library imports Nest, the pure libs import no driver, runtime or file system outside their
// adapters, and a few correctness rules. Run by `npm test` (`npm run lint`).
import tseslint from 'typescript-eslint';

const DRIVERS = ['pg', 'better-sqlite3', 'onnxruntime-node', 'node:fs', 'node:fs/promises', 'fs', 'fs/promises'];
const deepImports = {
  group: ['@radledger/*/*', '**/libs/*/src/**', '**/apps/*/src/**', '../../../libs/**', '../../../apps/**'],
  message: 'Import another lib or app through its index (@radledger/<lib>), never its files.',
};
const nest = { group: ['@nestjs/*'], message: 'Libraries know no framework: Nest stays in apps/.' };
const drivers = { paths: DRIVERS.map((name) => ({ name, message: 'A pure library reaches drivers and the file system only in its adapters.' })) };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'apps/console/dist/**', '**/*.d.ts', 'models/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      'no-restricted-imports': ['error', { patterns: [deepImports] }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-debugger': 'error',
      'no-var': 'error',
      'prefer-const': ['error', { destructuring: 'all' }],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [deepImports, nest] }] },
  },
  {
    files: ['libs/domain/src/**/*.ts', 'libs/ledger/src/core/**/*.ts', 'libs/radiomics/src/**/*.ts', 'libs/dossier/src/**/*.ts', 'libs/projections/src/projections/**/*.ts', 'libs/interop/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.adapter.ts', '**/*.io.ts', '**/adapters/**', '**/testing/**'],
    rules: { 'no-restricted-imports': ['error', { ...drivers, patterns: [deepImports, nest] }] },
  },
  {
    // Tests may reach into test support of another app (the CLI tests spawn the API's harness).
    files: ['**/*.spec.ts', '**/testing/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
