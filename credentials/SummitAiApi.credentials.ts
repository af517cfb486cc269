import type { IAuthenticate, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';
import { credentialAuthenticate, credentialProperties, credentialTest } from '../nodes/n8n';
import { summitai } from '../nodes/providers/summitai';

export class SummitAiApi implements ICredentialType {
	name = 'summitAiApi';

	displayName = 'SummitAI ITSM API';

	icon: Icon = { light: 'file:../icons/summitai.svg', dark: 'file:../icons/summitai.dark.svg' };

	documentationUrl = summitai.credential.documentationUrl;

	properties: INodeProperties[] = credentialProperties(summitai.credential);

	authenticate: IAuthenticate = credentialAuthenticate(summitai.credential);

	test: ICredentialTestRequest = credentialTest(summitai.credential);
}
