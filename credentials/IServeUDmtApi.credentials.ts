import type { IAuthenticate, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';
import { credentialAuthenticate, credentialProperties, credentialTest } from '../nodes/n8n';
import { iserveu } from '../nodes/providers/iserveu';

export class IServeUDmtApi implements ICredentialType {
	name = 'iServeUDmtApi';

	displayName = 'iServeU DMT Lite API';

	icon: Icon = { light: 'file:../icons/iserveu.svg', dark: 'file:../icons/iserveu.dark.svg' };

	documentationUrl = iserveu.credential.documentationUrl;

	properties: INodeProperties[] = credentialProperties(iserveu.credential);

	authenticate: IAuthenticate = credentialAuthenticate(iserveu.credential);

	test: ICredentialTestRequest = credentialTest(iserveu.credential);
}
