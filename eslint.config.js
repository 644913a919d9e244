// One lint configuration for src/, test/ and bench/: typescript-eslint's strict, type-checked rules.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'tools/', 'test/fixtures/', 'eslint.config.js']},
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
    rules: {
      // tsconfig's noUncheckedIndexedAccess types every typed-array read as `number | undefined`; the kernels
      // index within bounds by construction and say so with `!` (a check per pixel would cost time for nothing).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // oclif's flag `parse` hooks must return promises whether or not they await anything.
      '@typescript-eslint/require-await': 'off',
      // `const {a: _a, ...rest} = x` drops keys on purpose.
      '@typescript-eslint/no-unused-vars': ['error', {ignoreRestSiblings: true}],
      // Numbers in messages and paths are the point of most templates here.
      '@typescript-eslint/restrict-template-expressions': ['error', {allowNumber: true}],
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach']},
          ],
        },
      ],
    },
  },
)
