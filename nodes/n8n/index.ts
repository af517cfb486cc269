export { executeProvider, webhookProvider } from './execute';
export { nodeDescription } from './description';
export { credentialProperties, credentialTest } from './properties';
export { credentialAuthenticate } from './authenticate';
export { credentialTestFunction } from './credential-test';
