export { KomojuApi } from './credentials/KomojuApi.credentials';
export { KomojuWebhookApi } from './credentials/KomojuWebhookApi.credentials';
export { Komoju } from './nodes/Komoju/Komoju.node';
export { KomojuEventsTrigger } from './nodes/Komoju/KomojuEventsTrigger.node';
export { KomojuTrigger } from './nodes/Komoju/KomojuTrigger.node';
