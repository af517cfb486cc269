import type { IAuthenticate, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';
import { credentialAuthenticate, credentialProperties, credentialTest } from '../nodes/n8n';
import { capillary } from '../nodes/providers/capillary';

export class CapillaryAuthEngineApi implements ICredentialType {
	name = 'capillaryAuthEngineApi';

	displayName = 'Capillary Auth Engine API';

	icon: Icon = { light: 'file:../icons/capillary.svg', dark: 'file:../icons/capillary.dark.svg' };

	// A literal, so n8n's scanner can read it; a test keeps it equal to the provider description's.
	documentationUrl = 'https://docs.capillarytech.com/reference/generate-otp';

	properties: INodeProperties[] = credentialProperties(capillary.credential);

	authenticate: IAuthenticate = credentialAuthenticate(capillary.credential);

	test: ICredentialTestRequest = credentialTest(capillary.credential);
}
