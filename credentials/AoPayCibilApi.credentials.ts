import type { IAuthenticate, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';
import { credentialAuthenticate, credentialProperties } from '../nodes/n8n';
import { aopay } from '../nodes/providers/cibil';

export class AoPayCibilApi implements ICredentialType {
	name = 'aopayCibilApi';

	displayName = 'AOPay CIBIL Score API';

	icon: Icon = { light: 'file:../icons/aopay.svg', dark: 'file:../icons/aopay.dark.svg' };

	// A literal, so n8n's scanner can read it; a test keeps it equal to the provider description's.
	documentationUrl = 'https://github.com/otpflow/otpflow#aopay-cibil-score';

	properties: INodeProperties[] = credentialProperties(aopay.credential);

	authenticate: IAuthenticate = credentialAuthenticate(aopay.credential);

	// Tested by the AoPay node's credentialTest method: the test is a GET with a JSON body (see nodes/n8n/credential-test.ts).
}
