// n8n's community-node rules on the code n8n loads (nodes/ and credentials/).
// node-red/, sandbox/ and scripts/ are not loaded by n8n and are not subject to them.
import tseslint from 'typescript-eslint';
import { configs } from '@n8n/eslint-plugin-community-nodes';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'node-red/**', 'sandbox/**', 'scripts/**', 'test/**', 'examples/**', 'templates/**'] },
	{ files: ['nodes/**/*.ts', 'credentials/**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json' } } },
	{ ...configs.recommended, files: ['nodes/**/*.ts', 'credentials/**/*.ts'] },
];
