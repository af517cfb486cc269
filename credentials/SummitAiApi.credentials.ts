import type { IAuthenticate, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';
import { credentialAuthenticate, credentialProperties, credentialTest } from '../nodes/n8n';
import { summitai } from '../nodes/providers/summitai';

export class SummitAiApi implements ICredentialType {
	name = 'summitAiApi';

	displayName = 'SummitAI ITSM API';

	icon: Icon = { light: 'file:../icons/summitai.svg', dark: 'file:../icons/summitai.dark.svg' };

	// A literal, so n8n's scanner can read it; a test keeps it equal to the provider description's.
	documentationUrl = 'https://github.com/otpflow/otpflow#summitai-itsm';

	properties: INodeProperties[] = credentialProperties(summitai.credential);

	authenticate: IAuthenticate = credentialAuthenticate(summitai.credential);

	test: ICredentialTestRequest = credentialTest(summitai.credential);
}
