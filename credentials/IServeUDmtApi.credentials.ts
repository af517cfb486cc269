import type { IAuthenticate, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';
import { credentialAuthenticate, credentialProperties, credentialTest } from '../nodes/n8n';
import { iserveu } from '../nodes/providers/iserveu';

export class IServeUDmtApi implements ICredentialType {
	name = 'iServeUDmtApi';

	displayName = 'iServeU DMT Lite API';

	icon: Icon = { light: 'file:../icons/iserveu.svg', dark: 'file:../icons/iserveu.dark.svg' };

	// A literal, so n8n's scanner can read it; a test keeps it equal to the provider description's.
	documentationUrl = 'https://github.com/otpflow/otpflow#iserveu-dmt-lite';

	properties: INodeProperties[] = credentialProperties(iserveu.credential);

	authenticate: IAuthenticate = credentialAuthenticate(iserveu.credential);

	test: ICredentialTestRequest = credentialTest(iserveu.credential);
}
