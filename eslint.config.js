// The linter `npm test` runs. Rules follow Temporal's TypeScript samples: a floating promise in a
// workflow is a lost Activity or timer, and workflow code may import nothing that reaches the
// outside world (Node built-ins, I/O clients, the activity or worker SDKs), because the bundler
// would otherwise fail late or, worse, the code would stop being deterministic on replay.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);
const outsideWorld = [
  '@temporalio/activity',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/testing',
  '@duckdb/node-api',
  'facebook-nodejs-business-sdk',
  'nodemailer',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'dist.*.tmp/**',
      'test-artifacts/**',
      'data/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-deprecated': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'object-shorthand': ['error', 'always'],
      // Prettier keeps code at 120; this keeps comments there too (strings may run long).
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...outsideWorld].map((name) => ({
            name,
            message: 'Workflow code must stay deterministic: do this in an activity.',
          })),
        },
      ],
    },
  },
);
