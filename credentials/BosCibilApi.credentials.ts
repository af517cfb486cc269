import type { IAuthenticate, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';
import { credentialAuthenticate, credentialProperties } from '../nodes/n8n';
import { bos } from '../nodes/providers/cibil';

export class BosCibilApi implements ICredentialType {
	name = 'bosCibilApi';

	displayName = 'BOS CIBIL Score API';

	icon: Icon = { light: 'file:../icons/bos.svg', dark: 'file:../icons/bos.dark.svg' };

	// A literal, so n8n's scanner can read it; a test keeps it equal to the provider description's.
	documentationUrl = 'https://github.com/otpflow/otpflow#bos-cibil-score';

	properties: INodeProperties[] = credentialProperties(bos.credential);

	authenticate: IAuthenticate = credentialAuthenticate(bos.credential);

	// Tested by the Bos node's credentialTest method: the test is a GET with a JSON body (see nodes/n8n/credential-test.ts).
}
