// Two rule sets. n8n's community-node rules on the code n8n loads (nodes/ and credentials/) and on the n8n packages'
// manifests; `npm run lint` then runs n8n's own scanner and `n8n-node lint` on what each n8n package's own repository
// holds (packaging/scan.js). Every other source file
// (Node-RED adapter, sandbox, journeys, scripts, end-to-end suites, benchmarks, tests) gets typescript-eslint's
// recommended rules, so nothing ships or runs unlinted.
import tseslint from 'typescript-eslint';
import { configs } from '@n8n/eslint-plugin-community-nodes';
import manifestRules from './packaging/rules/index.js';

const NODE_GLOBALS = {
	require: 'readonly',
	module: 'writable',
	process: 'readonly',
	console: 'readonly',
	__dirname: 'readonly',
	Buffer: 'readonly',
	setTimeout: 'readonly',
	clearTimeout: 'readonly',
	setInterval: 'readonly',
	clearInterval: 'readonly',
	setImmediate: 'readonly',
	URL: 'readonly',
};

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'examples/**', 'templates/**', '.node-red-user/**', '.n8n-user/**', 'coverage/**'] },
	{ files: ['nodes/**/*.ts', 'credentials/**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json' } } },
	{ ...configs.recommended, files: ['nodes/**/*.ts', 'credentials/**/*.ts'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		// These two read the n8n section of the nearest package.json, which is the private workspace's here: the
		// scanner step of `npm run lint` (packaging/scan.js) runs them on each package's repository, its manifest at the root.
		rules: { '@n8n/community-nodes/no-credential-reuse': 'off', '@n8n/community-nodes/credential-test-required': 'off' },
	},
	// Each is published from the root of its own repository (packaging/repository.js): no repository.directory.
	manifestRules.manifestConfig(['packages/n8n-nodes-*/package.json']),
	...tseslint.configs.recommended.map((c) => ({
		...c,
		files: ['node-red/**/*.ts', 'sandbox/**/*.ts', 'journeys/**/*.ts', 'generate/**/*.ts', 'test/**/*.ts'],
	})),
	...tseslint.configs.recommended.map((c) => ({ ...c, files: ['scripts/**/*.js', 'e2e/**/*.js', 'bench/**/*.js', 'packaging/**/*.js', 'gulpfile.js'] })),
	{
		files: ['scripts/**/*.js', 'e2e/**/*.js', 'bench/**/*.js', 'packaging/**/*.js', 'gulpfile.js'],
		languageOptions: { sourceType: 'commonjs', globals: NODE_GLOBALS },
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
	{
		files: [
			'node-red/**/*.ts',
			'sandbox/**/*.ts',
			'journeys/**/*.ts',
			'generate/**/*.ts',
			'test/**/*.ts',
			'scripts/**/*.js',
			'packaging/**/*.js',
			'e2e/**/*.js',
			'bench/**/*.js',
			'gulpfile.js',
		],
		// A leading underscore marks what is left unused on purpose (a destructured-away key, a positional argument).
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
			],
			// A process handle declared before the cleanup that reads it, and assigned after: `let` on purpose.
			'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
		},
	},
	{
		files: ['test/**/*.ts'],
		// Tests reach into untyped runtime objects (Node-RED's helper, n8n run data) on purpose.
		rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
	},
];
