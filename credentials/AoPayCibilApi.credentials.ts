import type { IAuthenticate, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';
import { credentialAuthenticate, credentialProperties, credentialTest } from '../nodes/n8n';
import { aopay } from '../nodes/providers/cibil';

export class AoPayCibilApi implements ICredentialType {
	name = 'aopayCibilApi';

	displayName = 'AOPay CIBIL Score API';

	icon: Icon = { light: 'file:../icons/aopay.svg', dark: 'file:../icons/aopay.dark.svg' };

	documentationUrl = aopay.credential.documentationUrl;

	properties: INodeProperties[] = credentialProperties(aopay.credential);

	authenticate: IAuthenticate = credentialAuthenticate(aopay.credential);

	test: ICredentialTestRequest = credentialTest(aopay.credential);
}
