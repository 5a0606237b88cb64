export { KomojuApi } from './credentials/KomojuApi.credentials';
export { KomojuWebhookApi } from './credentials/KomojuWebhookApi.credentials';
export { Komoju } from './nodes/Komoju/Komoju.node';
export { KomojuEventsTrigger } from './nodes/KomojuEventsTrigger/KomojuEventsTrigger.node';
export { KomojuTrigger } from './nodes/KomojuTrigger/KomojuTrigger.node';
