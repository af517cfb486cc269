/** Tests are TypeScript, transpiled by swc (type-checking is `tsc -p tsconfig.test.json`). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2021' } }] },
	testTimeout: 30000,
};
